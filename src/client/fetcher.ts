import { Fetch } from '../protocol/messages/01-fetch.js';
import { readRecordBatches, readRecords, type RecordBatch, type RecordHeader } from '../protocol/records/index.js';
import type { Cluster } from './cluster.js';
import { CliError, KafkaError } from './errors.js';
import { EARLIEST, LATEST, listOffsets, tpKey, type TopicPartition } from './offsets.js';

export interface FetcherOptions {
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED (aborted transactions and open ones are not returned). */
  readonly isolationLevel: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly partitionMaxBytes: number;
  /** auto.offset.reset: where to go when a position is out of range (or there is none). */
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
}

export const DEFAULT_FETCHER_OPTIONS: FetcherOptions = {
  isolationLevel: 0,
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 52_428_800,
  partitionMaxBytes: 1_048_576,
  autoOffsetReset: 'latest',
};

export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  /** 0 CreateTime, 1 LogAppendTime. */
  readonly timestampType: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/** A start position: an offset, or where the log begins or ends now. */
export type StartOffset = number | 'earliest' | 'latest';

/** Errors after which the leader may have moved: refresh metadata and fetch again. */
const REFRESH_ERRORS = new Set([3, 5, 6, 74, 75]);
const OFFSET_OUT_OF_RANGE = 1;

/**
 * Fetches assigned partitions from their leaders, one Fetch per leader per poll (no fetch sessions),
 * and keeps each partition's position: the offset of the next record to return. Control batches are
 * never returned; with READ_COMMITTED, batches of aborted transactions are dropped as Kafka's consumer
 * does, from the aborted-transaction list of the response.
 */
export class Fetcher {
  private readonly positions = new Map<string, TopicPartition & { offset: number }>();

  constructor(
    private readonly cluster: Cluster,
    private readonly options: FetcherOptions = DEFAULT_FETCHER_OPTIONS,
  ) {}

  /** Sets the positions of partitions (replacing any earlier assignment when `replace`). */
  async assign(partitions: readonly (TopicPartition & { start: StartOffset })[], replace = true): Promise<void> {
    if (replace) this.positions.clear();
    const special = partitions.filter((p) => typeof p.start !== 'number');
    const resolved = await listOffsets(this.cluster, special, (tp) =>
      special.find((s) => s.topic === tp.topic && s.partition === tp.partition)!.start === 'earliest'
        ? EARLIEST
        : LATEST,
    );
    for (const p of partitions) {
      const key = tpKey(p.topic, p.partition);
      const offset = typeof p.start === 'number' ? p.start : resolved.get(key)!.offset;
      this.positions.set(key, { topic: p.topic, partition: p.partition, offset });
    }
  }

  /** Where a partition without a committed offset starts (auto.offset.reset). */
  get resetPolicy(): 'earliest' | 'latest' {
    return this.options.autoOffsetReset === 'earliest' ? 'earliest' : 'latest';
  }

  get assignment(): (TopicPartition & { offset: number })[] {
    return [...this.positions.values()];
  }

  /** Moves an assigned partition's position. */
  seek(topic: string, partition: number, offset: number): void {
    const pos = this.positions.get(tpKey(topic, partition));
    if (pos !== undefined) pos.offset = offset;
  }

  position(topic: string, partition: number): number | undefined {
    return this.positions.get(tpKey(topic, partition))?.offset;
  }

  /** One round of fetches; returns the records in offset order per partition. */
  async poll(): Promise<ConsumerRecord[]> {
    if (this.positions.size === 0) {
      await new Promise((r) => setTimeout(r, this.options.maxWaitMs));
      return [];
    }
    const byLeader = new Map<number, (TopicPartition & { offset: number })[]>();
    let refresh = false;
    for (const pos of this.positions.values()) {
      const t = await this.cluster.topic(pos.topic);
      const leader = t.partitions.find((p) => p.partitionIndex === pos.partition)?.leaderId ?? -1;
      if (leader < 0) {
        refresh = true;
        continue;
      }
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), pos]);
    }
    const results = await Promise.all([...byLeader].map(([leader, list]) => this.fetchFrom(leader, list)));
    const out: ConsumerRecord[] = [];
    for (const r of results) {
      out.push(...r.records);
      refresh ||= r.refresh;
    }
    if (refresh) {
      for (const topic of new Set([...this.positions.values()].map((p) => p.topic))) {
        await this.cluster.topic(topic, true).catch(() => undefined);
      }
      if (out.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    return out;
  }

  private async fetchFrom(
    leader: number,
    partitions: (TopicPartition & { offset: number })[],
  ): Promise<{ records: ConsumerRecord[]; refresh: boolean }> {
    const conn = await this.cluster.connectionTo(leader);
    const topics = new Map<string, (TopicPartition & { offset: number })[]>();
    for (const p of partitions) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p]);
    const res = await conn.send(Fetch, {
      replicaId: -1,
      maxWaitMs: this.options.maxWaitMs,
      minBytes: this.options.minBytes,
      maxBytes: this.options.maxBytes,
      isolationLevel: this.options.isolationLevel,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [...topics].map(([topic, list]) => ({
        topic,
        partitions: list.map((p) => ({
          partition: p.partition,
          fetchOffset: p.offset,
          partitionMaxBytes: this.options.partitionMaxBytes,
        })),
      })),
      forgottenTopicsData: [],
      rackId: '',
    });
    if (res.errorCode !== 0) throw new KafkaError(res.errorCode, `fetching from ${conn.address}`);
    const records: ConsumerRecord[] = [];
    let refresh = false;
    for (const t of res.responses) {
      for (const p of t.partitions) {
        const pos = this.positions.get(tpKey(t.topic, p.partitionIndex));
        if (pos === undefined) continue;
        if (REFRESH_ERRORS.has(p.errorCode)) {
          refresh = true;
        } else if (p.errorCode === OFFSET_OUT_OF_RANGE) {
          await this.reset(pos);
        } else if (p.errorCode !== 0) {
          throw new KafkaError(p.errorCode, `fetching ${t.topic}-${p.partitionIndex} at offset ${pos.offset}`);
        } else if (Buffer.isBuffer(p.records) && p.records.length > 0) {
          pos.offset = this.collect(pos, p.records, p.abortedTransactions, records);
        }
      }
    }
    return { records, refresh };
  }

  private async reset(pos: TopicPartition & { offset: number }): Promise<void> {
    const policy = this.options.autoOffsetReset;
    if (policy === 'none') {
      throw new CliError(`offset ${pos.offset} is out of range for ${pos.topic}-${pos.partition}`);
    }
    const found = await listOffsets(this.cluster, [pos], policy === 'earliest' ? EARLIEST : LATEST);
    pos.offset = found.get(tpKey(pos.topic, pos.partition))!.offset;
  }

  /** Appends the partition's records at or past its position; returns the next position. */
  private collect(
    pos: TopicPartition & { offset: number },
    bytes: Buffer,
    abortedTransactions: readonly { producerId: number; firstOffset: number }[] | null,
    out: ConsumerRecord[],
  ): number {
    const { batches } = readRecordBatches(bytes);
    const aborted = [...(abortedTransactions ?? [])].sort((a, b) => a.firstOffset - b.firstOffset);
    const abortedProducers = new Set<number>();
    let next = pos.offset;
    for (const batch of batches) {
      if (batch.lastOffset < pos.offset) continue;
      next = batch.nextOffset;
      if (this.options.isolationLevel === 1) {
        while (aborted.length > 0 && aborted[0]!.firstOffset <= batch.lastOffset) {
          abortedProducers.add(aborted.shift()!.producerId);
        }
        if (batch.isControlBatch) {
          if (isAbortMarker(batch)) abortedProducers.delete(batch.producerId);
          continue;
        }
        if (batch.isTransactional && abortedProducers.has(batch.producerId)) continue;
      }
      if (batch.isControlBatch) continue;
      for (const r of readRecords(batch)) {
        if (r.offset < pos.offset) continue;
        out.push({
          topic: pos.topic,
          partition: pos.partition,
          offset: r.offset,
          timestamp: r.timestamp,
          timestampType: batch.timestampType === 1 ? 1 : 0,
          key: r.key,
          value: r.value,
          headers: r.headers,
        });
      }
    }
    return next;
  }
}

/** A control batch's one record has key version:int16 | type:int16, type 0 ABORT and 1 COMMIT. */
function isAbortMarker(batch: RecordBatch): boolean {
  for (const r of readRecords(batch)) return r.key !== null && r.key.length >= 4 && r.key.readInt16BE(2) === 0;
  return false;
}
