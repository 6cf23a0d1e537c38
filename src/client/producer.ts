import { Produce } from '../protocol/messages/00-produce.js';
import { CompressionType, buildRecordBatch, type RecordHeader, type SimpleRecord } from '../protocol/records/index.js';
import type { Cluster, TopicMetadata } from './cluster.js';
import { CliError, KafkaError } from './errors.js';
import { partitionForKey } from './murmur2.js';

/** Kafka's producer settings, by their property names' meaning. */
export interface ProducerOptions {
  /** acks: 0 (no response), 1 (leader) or -1 (all in-sync replicas). */
  readonly acks: number;
  readonly compression: CompressionType;
  /** batch.size: bytes of records per partition batch before it is sent. */
  readonly batchSize: number;
  /** linger.ms: how long a batch waits for more records. */
  readonly lingerMs: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  /** max.in.flight.requests.per.connection */
  readonly maxInFlight: number;
  /** buffer.memory: bytes queued before send() waits. */
  readonly bufferMemory: number;
}

export const DEFAULT_PRODUCER_OPTIONS: ProducerOptions = {
  acks: -1,
  compression: CompressionType.NONE,
  batchSize: 16384,
  lingerMs: 5,
  retries: 5,
  retryBackoffMs: 100,
  maxInFlight: 5,
  bufferMemory: 32 * 1024 * 1024,
};

export interface ProducerRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly RecordHeader[];
  readonly timestamp?: number;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1 with acks=0. */
  readonly offset: number;
}

interface Callback {
  resolve(m: RecordMetadata): void;
  reject(err: Error): void;
}

/** Records of one partition on their way: open while filling, then sealed and queued to send. */
interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly records: SimpleRecord[];
  readonly callbacks: Callback[];
  bytes: number;
  attempts: number;
  timer: NodeJS.Timeout | null;
}

const RECORD_OVERHEAD_ESTIMATE = 24;

/**
 * A producer like Kafka's: records gather per partition (keyed by murmur2, unkeyed sticky to one
 * partition until its batch is full), a batch goes when it holds batch.size bytes or has waited
 * linger.ms, each Produce request carries the head batch of every ready partition led by one broker,
 * and at most max.in.flight requests per broker are outstanding. Retriable errors refresh metadata
 * and send the batch again (as Kafka without idempotence, a retry may reorder a partition's batches).
 */
export class Producer {
  private readonly open = new Map<string, Batch>();
  private readonly queues = new Map<string, Batch[]>();
  private readonly inFlight = new Map<number, number>();
  private readonly topics = new Map<string, Promise<TopicMetadata>>();
  private readonly sticky = new Map<string, number>();
  private queuedBytes = 0;
  private pendingBatches = 0;
  private readonly spaceWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  /** send() calls that have not yet put their record into a batch (flush waits for them). */
  private accepting = 0;
  private acceptedWaiters: (() => void)[] = [];
  private draining = false;
  private drainAgain = false;
  private readonly stale = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ProducerOptions = DEFAULT_PRODUCER_OPTIONS,
  ) {}

  private topic(name: string): Promise<TopicMetadata> {
    let t = this.topics.get(name);
    if (t === undefined) {
      t = this.cluster.topic(name, this.stale.delete(name));
      this.topics.set(name, t);
      t.catch(() => this.topics.delete(name));
    }
    return t;
  }

  /** Whether queued records fill buffer.memory: a caller reading input should wait (waitForSpace). */
  get full(): boolean {
    return this.queuedBytes >= this.options.bufferMemory || this.spaceWaiters.length > 0;
  }

  waitForSpace(): Promise<void> {
    return this.full ? new Promise<void>((r) => this.spaceWaiters.push(r)) : Promise.resolve();
  }

  /** Queues a record; resolves when the broker has acknowledged it (at once with acks=0). */
  async send(record: ProducerRecord): Promise<RecordMetadata> {
    this.accepting++;
    let acked: { done: Promise<RecordMetadata> };
    try {
      acked = await this.accept(record);
    } finally {
      if (--this.accepting === 0) {
        const w = this.acceptedWaiters;
        this.acceptedWaiters = [];
        for (const f of w) f();
      }
    }
    return acked.done;
  }

  /** Puts a record into its partition's open batch; `done` resolves when the batch is acknowledged. */
  private async accept(record: ProducerRecord): Promise<{ done: Promise<RecordMetadata> }> {
    if (this.queuedBytes >= this.options.bufferMemory || this.spaceWaiters.length > 0) {
      await new Promise<void>((r) => this.spaceWaiters.push(r));
    }
    const t = await this.topic(record.topic);
    const partition = this.choosePartition(record, t);
    const size =
      RECORD_OVERHEAD_ESTIMATE +
      (record.key?.length ?? 0) +
      (record.value?.length ?? 0) +
      (record.headers ?? []).reduce((n, h) => n + h.key.length + (h.value?.length ?? 0) + 4, 0);
    const key = `${record.topic}:${partition}`;
    let batch = this.open.get(key);
    if (batch !== undefined && batch.bytes + size > this.options.batchSize) {
      this.seal(batch);
      batch = undefined;
      if (record.partition === undefined && record.key === null) this.sticky.delete(record.topic);
    }
    const result = new Promise<RecordMetadata>((resolve, reject) => {
      if (batch === undefined) {
        batch = { topic: record.topic, partition, records: [], callbacks: [], bytes: 0, attempts: 0, timer: null };
        this.open.set(key, batch);
        this.pendingBatches++;
        const b = batch;
        b.timer = setTimeout(() => this.seal(b), this.options.lingerMs);
      }
      batch.records.push({
        timestamp: record.timestamp ?? Date.now(),
        key: record.key,
        value: record.value,
        headers: record.headers ?? [],
      });
      batch.callbacks.push({ resolve, reject });
      batch.bytes += size;
      this.queuedBytes += size;
    });
    return { done: result };
  }

  private choosePartition(record: ProducerRecord, t: TopicMetadata): number {
    const count = t.partitions.length;
    if (record.partition !== undefined) {
      if (record.partition < 0 || record.partition >= count) {
        throw new CliError(`partition ${record.partition} of topic ${record.topic} does not exist (it has ${count})`);
      }
      return record.partition;
    }
    if (record.key !== null) return partitionForKey(record.key, count);
    let p = this.sticky.get(record.topic);
    if (p === undefined) {
      const available = t.partitions.filter((x) => x.leaderId >= 0).map((x) => x.partitionIndex);
      const from = available.length > 0 ? available : t.partitions.map((x) => x.partitionIndex);
      p = from[Math.floor(Math.random() * from.length)]!;
      this.sticky.set(record.topic, p);
    }
    return p;
  }

  private seal(batch: Batch): void {
    const key = `${batch.topic}:${batch.partition}`;
    if (this.open.get(key) !== batch) return;
    this.open.delete(key);
    if (batch.timer !== null) clearTimeout(batch.timer);
    batch.timer = null;
    const queue = this.queues.get(key) ?? [];
    queue.push(batch);
    this.queues.set(key, queue);
    this.drain();
  }

  /** Sends what is ready, one request per broker with a free in-flight slot. */
  private drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    void this.drainOnce().finally(() => {
      this.draining = false;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.drain();
      }
    });
  }

  private async drainOnce(): Promise<void> {
    const byLeader = new Map<number, Batch[]>();
    for (const [key, queue] of this.queues) {
      const head = queue[0];
      if (head === undefined) continue;
      let leader: number;
      try {
        const t = await this.topic(head.topic);
        leader = t.partitions.find((p) => p.partitionIndex === head.partition)?.leaderId ?? -1;
      } catch (err) {
        queue.shift();
        this.fail(head, err as Error);
        continue;
      }
      if (leader < 0) {
        queue.shift();
        this.retry(head, new KafkaError(5, `producing to ${key.replace(/:(\d+)$/, '-$1')}`));
        continue;
      }
      if ((this.inFlight.get(leader) ?? 0) >= this.options.maxInFlight) continue;
      queue.shift();
      const list = byLeader.get(leader) ?? [];
      list.push(head);
      byLeader.set(leader, list);
    }
    for (const [leader, batches] of byLeader) this.sendTo(leader, batches);
    for (const [key, queue] of this.queues) if (queue.length === 0) this.queues.delete(key);
  }

  private sendTo(leader: number, batches: Batch[]): void {
    this.inFlight.set(leader, (this.inFlight.get(leader) ?? 0) + 1);
    const topics = new Map<string, { index: number; records: Buffer }[]>();
    for (const b of batches) {
      b.attempts++;
      const records = buildRecordBatch(b.records, { compression: this.options.compression });
      topics.set(b.topic, [...(topics.get(b.topic) ?? []), { index: b.partition, records }]);
    }
    const body = {
      transactionalId: null,
      acks: this.options.acks,
      timeoutMs: this.cluster.settings.requestTimeoutMs,
      topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
    };
    const done = () => {
      this.inFlight.set(leader, (this.inFlight.get(leader) ?? 1) - 1);
      this.drain();
    };
    this.cluster
      .connectionTo(leader)
      .then(async (conn) => {
        if (this.options.acks === 0) {
          conn.sendOneWay(Produce, body);
          for (const b of batches) this.complete(b, -1);
          return;
        }
        const res = await conn.send(Produce, body);
        for (const b of batches) {
          const p = res.responses
            .find((r) => r.name === b.topic)
            ?.partitionResponses.find((x) => x.index === b.partition);
          const where = `producing to ${b.topic}-${b.partition}`;
          if (p === undefined) this.retry(b, new CliError(`${where}: no answer for the partition`));
          else if (p.errorCode === 0) this.complete(b, p.baseOffset);
          else this.retry(b, new KafkaError(p.errorCode, where, p.errorMessage));
        }
      })
      .catch((err: Error) => {
        for (const b of batches) this.retry(b, err);
      })
      .finally(done);
  }

  private retry(batch: Batch, err: Error): void {
    const retriable = !(err instanceof KafkaError) || err.retriable;
    if (!retriable || batch.attempts > this.options.retries) {
      this.fail(batch, err);
      return;
    }
    this.topics.delete(batch.topic);
    this.stale.add(batch.topic);
    setTimeout(() => {
      const key = `${batch.topic}:${batch.partition}`;
      const queue = this.queues.get(key) ?? [];
      queue.unshift(batch);
      this.queues.set(key, queue);
      this.drain();
    }, this.options.retryBackoffMs);
  }

  private complete(batch: Batch, baseOffset: number): void {
    batch.callbacks.forEach((c, i) =>
      c.resolve({ topic: batch.topic, partition: batch.partition, offset: baseOffset < 0 ? -1 : baseOffset + i }),
    );
    this.release(batch);
  }

  private fail(batch: Batch, err: Error): void {
    for (const c of batch.callbacks) c.reject(err);
    this.release(batch);
  }

  private release(batch: Batch): void {
    this.queuedBytes -= batch.bytes;
    this.pendingBatches--;
    while (this.spaceWaiters.length > 0 && this.queuedBytes < this.options.bufferMemory) this.spaceWaiters.shift()!();
    if (this.pendingBatches === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  /** Sends every open batch now and waits until all records are acknowledged or failed. */
  async flush(): Promise<void> {
    if (this.accepting > 0) await new Promise<void>((r) => this.acceptedWaiters.push(r));
    for (const b of [...this.open.values()]) this.seal(b);
    if (this.pendingBatches === 0) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }
}
