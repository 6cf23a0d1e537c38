// Drives kafkajs 2.2.4 (unmodified, from .cache/compat-node) with its snappy, lz4 and zstd codec
// packages registered. Only kafkajs's public API is used; the minimal interfaces below describe the
// parts of it this suite calls (kafkajs's own .d.ts is not on the main project's type path).
import { compatVersion, requireCompat } from '../harness/node-clients.js';
import type { ConsumedRecord, TestRecord } from '../harness/records.js';
import type { Codec } from '../harness/matrix.js';

export interface KMessage {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[]>;
  timestamp?: string;
  partition?: number;
}
export interface KRecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  baseOffset?: string;
}
export interface KProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(r: {
    topic: string;
    messages: KMessage[];
    acks?: number;
    compression?: number;
    timeout?: number;
  }): Promise<KRecordMetadata[]>;
}
export interface KConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[] | undefined>;
  timestamp: string;
  offset: string;
}
export interface KBatch {
  topic: string;
  partition: number;
  messages: KConsumedMessage[];
}
export interface KConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(r: { eachBatch: (p: { batch: KBatch }) => Promise<void>; autoCommit?: boolean }): Promise<void>;
  seek(s: { topic: string; partition: number; offset: string }): void;
  stop(): Promise<void>;
}
export interface KConfigEntry {
  configName: string;
  configValue: string | null;
  isDefault: boolean;
  readOnly: boolean;
}
export interface KAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  createTopics(o: {
    topics: Array<{
      topic: string;
      numPartitions?: number;
      replicationFactor?: number;
      configEntries?: Array<{ name: string; value: string }>;
    }>;
    waitForLeaders?: boolean;
  }): Promise<boolean>;
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(o: { topics: string[] }): Promise<{ topics: Array<{ name: string; partitions: unknown[] }> }>;
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; offset: string; high: string; low: string }>>;
  fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp?: number,
  ): Promise<Array<{ partition: number; offset: string }>>;
  deleteTopicRecords(o: { topic: string; partitions: Array<{ partition: number; offset: string }> }): Promise<void>;
  describeCluster(): Promise<{
    brokers: Array<{ nodeId: number; host: string; port: number }>;
    controller: number | null;
  }>;
  describeConfigs(o: {
    resources: Array<{ type: number; name: string; configNames?: string[] }>;
    includeSynonyms: boolean;
  }): Promise<{ resources: Array<{ errorCode: number; resourceName: string; configEntries: KConfigEntry[] }> }>;
  alterConfigs(o: {
    validateOnly: boolean;
    resources: Array<{ type: number; name: string; configEntries: Array<{ name: string; value: string }> }>;
  }): Promise<unknown>;
}
export interface KLogEntry {
  namespace: string;
  level: number;
  label: string;
  log: { message: string; error?: string; [k: string]: unknown };
}
export interface KKafka {
  producer(o?: Record<string, unknown>): KProducer;
  consumer(o: Record<string, unknown>): KConsumer;
  admin(o?: Record<string, unknown>): KAdmin;
}
interface KafkaJsModule {
  Kafka: new (o: Record<string, unknown>) => KKafka;
  CompressionTypes: { None: number; GZIP: number; Snappy: number; LZ4: number; ZSTD: number };
  CompressionCodecs: Record<number, unknown>;
  ConfigResourceTypes: { TOPIC: number; BROKER: number };
  logLevel: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
}

export const kafkajs = requireCompat<KafkaJsModule>('kafkajs');
export const kafkajsVersion = compatVersion('kafkajs');

// Codec registration as the codec packages' READMEs describe it.
const SnappyCodec = requireCompat<unknown>('kafkajs-snappy');
const LZ4Codec = requireCompat<new () => { codec: unknown }>('kafkajs-lz4');
const ZstdCodec = requireCompat<() => unknown>('@kafkajs/zstd');
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy] = SnappyCodec;
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.LZ4] = new LZ4Codec().codec;
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD] = ZstdCodec();

export const COMPRESSION: Record<Codec, number> = {
  none: kafkajs.CompressionTypes.None,
  gzip: kafkajs.CompressionTypes.GZIP,
  snappy: kafkajs.CompressionTypes.Snappy,
  lz4: kafkajs.CompressionTypes.LZ4,
  zstd: kafkajs.CompressionTypes.ZSTD,
};

/** A kafkajs client whose log entries are kept (kafkajs reports some broker errors only by logging). */
export function client(bootstrap: string, clientId: string): { kafka: KKafka; logs: KLogEntry[] } {
  const logs: KLogEntry[] = [];
  const kafka = new kafkajs.Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.WARN,
    logCreator: () => (entry: KLogEntry) => logs.push(entry),
    retry: { retries: 3, initialRetryTime: 100 },
  });
  return { kafka, logs };
}

/** kafkajs's header object from an ordered header list (repeated keys become arrays). */
export function toKafkaJsHeaders(headers: Array<[string, Buffer]>): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const [k, v] of headers) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * kafkajs represents headers as an object, so repeated keys come back grouped under their first
 * occurrence. This is the order kafkajs can express; the verifier compares against it.
 */
export function groupHeaders(headers: Array<[string, Buffer]>): Array<[string, Buffer]> {
  const groups = new Map<string, Buffer[]>();
  for (const [k, v] of headers) {
    const g = groups.get(k);
    if (g) g.push(v);
    else groups.set(k, [v]);
  }
  return [...groups].flatMap(([k, vs]) => vs.map((v): [string, Buffer] => [k, v]));
}

export function toMessage(r: TestRecord): KMessage {
  return {
    partition: r.partition,
    key: r.key,
    value: r.value,
    headers: toKafkaJsHeaders(r.headers),
    timestamp: String(r.timestamp),
  };
}

export function fromMessage(partition: number, m: KConsumedMessage): ConsumedRecord {
  const headers: Array<[string, Buffer]> = [];
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v === undefined) continue;
    for (const b of Array.isArray(v) ? v : [v]) headers.push([k, b]);
  }
  return {
    partition,
    offset: Number(m.offset),
    key: m.key,
    value: m.value,
    headers,
    timestamp: Number(m.timestamp),
  };
}

/**
 * Reads every partition of `topic` from its log start offset up to the end offsets `until`
 * (partition → offset), with kafkajs's consumer. kafkajs 2.2.4 has no group-less (assigned) consumer,
 * so this joins a fresh consumer group and never commits.
 */
export async function consumeAll(
  kafka: KKafka,
  topic: string,
  until: Map<number, number>,
  groupId: string,
  seekTo?: Map<number, number>,
): Promise<Map<number, ConsumedRecord[]>> {
  const consumer = kafka.consumer({ groupId, maxBytes: 16 << 20, maxBytesPerPartition: 4 << 20 });
  const got = new Map<number, ConsumedRecord[]>();
  for (const p of until.keys()) got.set(p, []);
  const done = (): boolean =>
    [...until].every(([p, end]) => {
      const rs = got.get(p) ?? [];
      const last = rs[rs.length - 1];
      return end === 0 || (last !== undefined && last.offset >= end - 1);
    });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((res) => (finish = res));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const list = got.get(batch.partition);
        if (!list) return;
        for (const m of batch.messages) list.push(fromMessage(batch.partition, m));
        if (done()) finish();
      },
    });
    if (seekTo) for (const [partition, offset] of seekTo) consumer.seek({ topic, partition, offset: String(offset) });
    if (done()) finish();
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return got;
}
