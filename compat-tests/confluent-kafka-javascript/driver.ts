// Drives @confluentinc/kafka-javascript (librdkafka inside) through its node-rdkafka-style API, the one
// closest to librdkafka: Producer with delivery reports, KafkaConsumer with assign() (no consumer group)
// and AdminClient. Promise wrappers and minimal interfaces only; no client behaviour is replaced.
import { compatVersion, requireCompat } from '../harness/node-clients.js';
import type { ConsumedRecord, TestRecord } from '../harness/records.js';

export interface RdError extends Error {
  code: number;
  isFatal?: boolean;
}
export interface DeliveryReport {
  topic: string;
  partition: number;
  offset: number;
  opaque?: unknown;
  timestamp?: number;
}
type Headers = Array<Record<string, Buffer | string>>;
interface RdProducer {
  connect(o: unknown, cb: (err: RdError | null) => void): void;
  disconnect(cb: (err: RdError | null) => void): void;
  setPollInterval(ms: number): void;
  produce(
    topic: string,
    partition: number,
    value: Buffer | null,
    key: Buffer | null,
    timestamp: number | null,
    opaque: unknown,
    headers?: Headers,
  ): boolean;
  flush(timeout: number, cb: (err: RdError | null) => void): void;
  on(ev: 'delivery-report', cb: (err: RdError | null, r: DeliveryReport) => void): void;
  on(ev: 'event.error', cb: (err: RdError) => void): void;
}
export interface RdMessage {
  value: Buffer | null;
  key: Buffer | string | null | undefined;
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  headers?: Array<Record<string, Buffer>>;
}
interface RdConsumer {
  connect(o: unknown, cb: (err: RdError | null) => void): void;
  disconnect(cb: (err: RdError | null) => void): void;
  assign(a: Array<{ topic: string; partition: number; offset: number }>): void;
  consume(n: number, cb: (err: RdError | null, messages: RdMessage[]) => void): void;
  setDefaultConsumeTimeout(ms: number): void;
}
interface RdAdmin {
  createTopic(
    t: { topic: string; num_partitions: number; replication_factor: number; config?: Record<string, string> },
    cb: (err: RdError | null) => void,
  ): void;
  listTopics(cb: (err: RdError | null, topics: string[]) => void): void;
  describeTopics(
    topics: string[],
    o: Record<string, unknown>,
    cb: (err: RdError | null, r: Array<{ name: string; error?: RdError }>) => void,
  ): void;
  listOffsets(
    p: Array<{ topic: string; partition: number; offset: unknown }>,
    o: Record<string, unknown>,
    cb: (
      err: RdError | null,
      r: Array<{ partition: number; offset: number; timestamp: number; error?: RdError }>,
    ) => void,
  ): void;
  deleteRecords(
    p: Array<{ topic: string; partition: number; offset: number }>,
    o: Record<string, unknown>,
    cb: (err: RdError | null, r: Array<{ partition: number; lowWatermark: number; error?: RdError }>) => void,
  ): void;
  disconnect(): void;
}
interface CkjsModule {
  Producer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdProducer;
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdConsumer;
  AdminClient: { create(conf: Record<string, unknown>): RdAdmin };
  OffsetSpec: { new (timestamp: number): unknown; EARLIEST: unknown; LATEST: unknown };
  CODES: { ERRORS: Record<string, number> };
  librdkafkaVersion: string;
}

export const ckjs = requireCompat<CkjsModule>('@confluentinc/kafka-javascript');
export const ckjsVersion = compatVersion('@confluentinc/kafka-javascript');
export const ERR = ckjs.CODES.ERRORS;

const cb2p = <T>(f: (cb: (err: RdError | null, v: T) => void) => void): Promise<T> =>
  new Promise((res, rej) => f((err, v) => (err ? rej(err) : res(v))));

/** A connected librdkafka producer whose delivery reports are routed to per-message callbacks. */
export class Producer {
  private readonly p: RdProducer;
  private pending = new Map<number, (err: RdError | null, r: DeliveryReport) => void>();
  private seq = 0;
  readonly errors: RdError[] = [];

  private constructor(conf: Record<string, unknown>) {
    this.p = new ckjs.Producer({ dr_cb: true, 'linger.ms': 5, ...conf });
    this.p.on('delivery-report', (err, r) => {
      const id = r.opaque as number;
      const done = this.pending.get(id);
      this.pending.delete(id);
      done?.(err, r);
    });
    this.p.on('event.error', (err) => this.errors.push(err));
  }

  static async connect(conf: Record<string, unknown>): Promise<Producer> {
    const prod = new Producer(conf);
    await cb2p<void>((cb) => prod.p.connect({}, (err) => cb(err, undefined)));
    prod.p.setPollInterval(5);
    return prod;
  }

  /** Enqueues one record; the promise settles with its delivery report. */
  send(topic: string, r: TestRecord, timestamp: number | null = r.timestamp): Promise<DeliveryReport> {
    const id = this.seq++;
    const done = new Promise<DeliveryReport>((res, rej) =>
      this.pending.set(id, (err, rep) => (err ? rej(err) : res(rep))),
    );
    const headers = r.headers.length ? r.headers.map(([k, v]) => ({ [k]: v })) : undefined;
    // produce() returns false or throws (QUEUE_FULL) only when the local queue is full.
    this.p.produce(topic, r.partition, r.value, r.key, timestamp, id, headers);
    return done;
  }

  flush(): Promise<void> {
    return cb2p<void>((cb) => this.p.flush(120_000, (err) => cb(err, undefined)));
  }

  disconnect(): Promise<void> {
    return cb2p<void>((cb) => this.p.disconnect((err) => cb(err, undefined)));
  }
}

export async function consumer(conf: Record<string, unknown>): Promise<RdConsumer> {
  // The binding insists on a group.id, but with assign() and no commits librdkafka never joins the group
  // (it may look the coordinator up; nothing depends on the answer).
  const c = new ckjs.KafkaConsumer({
    'group.id': 'compat-ckjs-assigned',
    'enable.auto.commit': false,
    'enable.auto.offset.store': false,
    ...conf,
  });
  await cb2p<void>((cb) => c.connect({}, (err) => cb(err, undefined)));
  c.setDefaultConsumeTimeout(200);
  return c;
}

export function fromMessage(m: RdMessage): ConsumedRecord {
  return {
    partition: m.partition,
    offset: m.offset,
    key: m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key),
    value: m.value,
    headers: (m.headers ?? []).flatMap((h) => Object.entries(h).map(([k, v]): [string, Buffer] => [k, Buffer.from(v)])),
    timestamp: m.timestamp,
  };
}

/**
 * Reads partitions of `topic` with an assigned (group-less) consumer, from `from` (partition → offset)
 * until each partition's last record before `until` has been read.
 */
export async function consumeAll(
  bootstrap: string,
  topic: string,
  from: Map<number, number>,
  until: Map<number, number>,
  conf: Record<string, unknown> = {},
): Promise<Map<number, ConsumedRecord[]>> {
  const c = await consumer({ 'bootstrap.servers': bootstrap, ...conf });
  const got = new Map<number, ConsumedRecord[]>([...from.keys()].map((p) => [p, []]));
  const done = (): boolean =>
    [...until].every(([p, end]) => {
      const rs = got.get(p) ?? [];
      return end <= (from.get(p) ?? 0) || (rs[rs.length - 1]?.offset ?? -1) >= end - 1;
    });
  try {
    c.assign([...from].map(([partition, offset]) => ({ topic, partition, offset })));
    while (!done()) {
      const msgs = await cb2p<RdMessage[]>((cb) => c.consume(1000, cb));
      for (const m of msgs) got.get(m.partition)?.push(fromMessage(m));
    }
  } finally {
    await cb2p<void>((cb) => c.disconnect((err) => cb(err, undefined)));
  }
  return got;
}

export class Admin {
  private readonly a: RdAdmin;
  constructor(bootstrap: string) {
    this.a = ckjs.AdminClient.create({ 'bootstrap.servers': bootstrap });
  }
  createTopic(topic: string, partitions: number, config?: Record<string, string>): Promise<void> {
    return cb2p<void>((cb) =>
      this.a.createTopic(
        { topic, num_partitions: partitions, replication_factor: 1, ...(config ? { config } : {}) },
        (e) => cb(e, undefined),
      ),
    );
  }
  /**
   * Creates a topic and waits (bounded) until every partition answers ListOffsets: CreateTopics returns
   * once the controller has the topic, before the broker necessarily leads its partitions, and a record
   * sent with acks=0 in that window is dropped without any error reaching the producer.
   */
  async createTopicReady(topic: string, partitions: number, config?: Record<string, string>): Promise<void> {
    await this.createTopic(topic, partitions, config);
    const ps = Array.from({ length: partitions }, (_, i) => i);
    for (let i = 0; i < 100; i++) {
      const ok = await this.listOffsets(topic, ps, ckjs.OffsetSpec.LATEST).then(
        (r) => r.length === partitions && r.every((e) => !e.error && e.offset === 0),
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`topic ${topic}: partitions not ready`);
  }
  listTopics(): Promise<string[]> {
    return cb2p((cb) => this.a.listTopics(cb));
  }
  describeTopics(topics: string[]): Promise<Array<{ name: string; error?: RdError }>> {
    return cb2p((cb) => this.a.describeTopics(topics, {}, cb));
  }
  listOffsets(
    topic: string,
    partitions: number[],
    spec: unknown,
  ): Promise<Array<{ partition: number; offset: number; error?: RdError }>> {
    return cb2p((cb) =>
      this.a.listOffsets(
        partitions.map((partition) => ({ topic, partition, offset: spec })),
        {},
        cb,
      ),
    );
  }
  deleteRecords(
    topic: string,
    partition: number,
    offset: number,
  ): Promise<Array<{ partition: number; lowWatermark: number; error?: RdError }>> {
    return cb2p((cb) => this.a.deleteRecords([{ topic, partition, offset }], {}, cb));
  }
  disconnect(): void {
    this.a.disconnect();
  }
}

/** A partition as librdkafka's consumer reports it in assignments and rebalances. */
export interface TopicPartition {
  topic: string;
  partition: number;
}
/** The parts of @confluentinc/kafka-javascript's KafkaConsumer the group tests use. */
export interface RdGroupConsumer {
  connect(o: unknown, cb: (err: RdError | null) => void): void;
  disconnect(cb: (err: RdError | null) => void): void;
  subscribe(topics: string[]): void;
  consume(n: number, cb: (err: RdError | null, messages: RdMessage[]) => void): void;
  setDefaultConsumeTimeout(ms: number): void;
  commitSync(tps: null): void;
  assignments(): TopicPartition[];
  rebalanceProtocol(): string;
  on(ev: 'rebalance', cb: (err: RdError, assignment: TopicPartition[]) => void): void;
}
export type RdCtor = new (conf: Record<string, unknown>) => RdGroupConsumer;
