import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { ErrorCode, errorInfo } from '../../src/protocol/errors.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';
import { kafkaLibs } from './brokers.js';

/**
 * The workload drivers: Kafka's own perf tools from the 3.9.2 jars (the same client against both
 * brokers), run with the heap their bin/ scripts give them (-Xmx512M), and a raw-protocol client for
 * topic creation and the first produce.
 */
const run = promisify(execFile);

async function java(mainClass: string, args: readonly string[]): Promise<string> {
  return (await javaWithCpu(mainClass, args)).stdout;
}

/**
 * Runs a tool's JVM under `sh`, which prints its own /proc stat after the JVM exits: fields 16-17
 * (cutime, cstime) are the CPU ticks of its waited-for children, i.e. the JVM's user + system time.
 * `classDirs` go on the classpath before the Kafka jars (for the bench's own compiled programs).
 */
export async function javaWithCpu(
  mainClass: string,
  args: readonly string[],
  classDirs: readonly string[] = [],
): Promise<{ stdout: string; cpuSeconds: number }> {
  const { stdout } = await run(
    'sh',
    [
      '-c',
      's=0; "$@" || s=$?; echo; echo "CHILD-CPU $(cat /proc/$$/stat)"; exit $s',
      'sh',
      'java',
      '-Xmx512M',
      '-Djava.awt.headless=true',
      '-Dlog4j.configuration=none',
      '-cp',
      [...classDirs, `${kafkaLibs()}/*`].join(':'),
      mainClass,
      ...args,
    ],
    { maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 },
  );
  const marker = stdout.lastIndexOf('CHILD-CPU ');
  if (marker < 0) return { stdout, cpuSeconds: NaN };
  const stat = stdout.slice(marker).split(') ')[1]!.split(' ');
  return { stdout: stdout.slice(0, marker), cpuSeconds: (Number(stat[13]) + Number(stat[14])) / 100 };
}

export interface ProduceResult {
  readonly recordsPerSec: number;
  /** The tool's MB/s: MiB (1048576 bytes) per second. */
  readonly mibPerSec: number;
  readonly avgLatencyMs: number;
  readonly p99LatencyMs: number;
}

/** org.apache.kafka.tools.ProducerPerformance (kafka-producer-perf-test.sh), unthrottled. */
export async function producerPerfTest(
  port: number,
  topic: string,
  numRecords: number,
  recordSize: number,
  props: readonly string[],
): Promise<ProduceResult> {
  const out = await java('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(numRecords),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=127.0.0.1:${port}`,
    ...props,
  ]);
  // The summary: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency,
  // p50 ms 50th, p95 ms 95th, p99 ms 99th, p999 ms 99.9th."
  const m =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, [\d.]+ ms max latency, \d+ ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(
      out,
    );
  if (!m) throw new Error(`unexpected ProducerPerformance output:\n${out.slice(-2000)}`);
  return {
    recordsPerSec: Number(m[2]),
    mibPerSec: Number(m[3]),
    avgLatencyMs: Number(m[4]),
    p99LatencyMs: Number(m[5]),
  };
}

export interface ConsumeResult {
  /** MiB/s over the whole run, group join included (the tool's MB.sec). */
  readonly mibPerSec: number;
  /** MiB/s over fetching only, rebalance excluded (the tool's fetch.MB.sec). */
  readonly fetchMibPerSec: number;
  readonly recordsPerSec: number;
  readonly rebalanceMs: number;
  /** CPU seconds (user + system) of the consumer's JVM over its whole run. */
  readonly clientCpuSeconds: number;
}

/** org.apache.kafka.tools.ConsumerPerformance (kafka-consumer-perf-test.sh): a group consumer from the start. */
export async function consumerPerfTest(
  port: number,
  topic: string,
  messages: number,
  consumerProps: readonly string[] = [],
): Promise<ConsumeResult> {
  let config: string[] = [];
  if (consumerProps.length > 0) {
    const file = join(mkdtempSync(join(tmpdir(), 'consumer-props-')), 'consumer.properties');
    writeFileSync(file, consumerProps.map((l) => `${l}\n`).join(''));
    config = ['--consumer.config', file];
  }
  const { stdout: out, cpuSeconds } = await javaWithCpu('org.apache.kafka.tools.ConsumerPerformance', [
    ...config,
    '--bootstrap-server',
    `127.0.0.1:${port}`,
    '--topic',
    topic,
    '--messages',
    String(messages),
    '--timeout',
    '60000',
  ]);
  // Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then one line of values.
  const line = out
    .trim()
    .split('\n')
    .filter((l) => /^\d{4}-/.test(l))
    .pop();
  const f = line?.split(',').map((s) => s.trim());
  if (!f || f.length < 10) throw new Error(`unexpected ConsumerPerformance output:\n${out.slice(-2000)}`);
  if (Number(f[4]) < messages) throw new Error(`consumed ${f[4]} of ${messages} records:\n${out.slice(-2000)}`);
  return {
    mibPerSec: Number(f[3]),
    recordsPerSec: Number(f[5]),
    rebalanceMs: Number(f[6]),
    fetchMibPerSec: Number(f[8]),
    clientCpuSeconds: cpuSeconds,
  };
}

/** CreateTopics v5 over the raw client; waits until every partition accepts a produce. */
export async function createTopic(port: number, name: string, partitions: number): Promise<void> {
  const c = await RawClient.open(port);
  try {
    const r = await c.request<{ topics: { errorCode: number; errorMessage: string | null }[] }>(CreateTopics, 5, {
      topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    const t = r.topics[0]!;
    if (t.errorCode !== 0) throw new Error(`CreateTopics ${name}: error ${t.errorCode} ${t.errorMessage ?? ''}`);
  } finally {
    c.close();
  }
}

/** The errors of a topic whose leaders are still spreading: fillTopic retries them. */
const RETRIABLE_PRODUCE_ERRORS = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
]);

/** Records per batch in fillTopic: as many 1 KiB records as a producer's batch.size of 64 KiB holds. */
const FILL_BATCH_BYTES = 65_536;

/**
 * Writes the same bytes to either broker: `records` records of `recordSize` bytes (no key, one fixed
 * random value, like the perf producer's payload) spread exactly evenly over `partitions`, in
 * uncompressed v2 batches of at most FILL_BATCH_BYTES, over Produce v9 with acks=1 (one batch per
 * partition in each request, as Kafka requires from v3 on). The consume
 * workload reads data laid out this way rather than the perf producer's, whose sticky partitioner
 * spreads records unevenly (by 1-8% between partitions, more against the broker that acknowledges
 * faster) and unevenly from run to run; an uneven tail costs the consumer a 500 ms empty long poll
 * per remaining MiB (docs/benchmarks.md), which would measure the layout, not the fetch path.
 */
export async function fillTopic(
  port: number,
  topic: string,
  partitions: number,
  records: number,
  recordSize: number,
): Promise<void> {
  if (records % partitions !== 0) throw new Error(`${records} records do not divide over ${partitions} partitions`);
  const value = Buffer.alloc(recordSize);
  for (let i = 0, x = 0x2545f491; i < recordSize; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    value[i] = 65 + ((x >>> 16) % 26);
  }
  const batchOf = (n: number) =>
    buildRecordBatch(Array.from({ length: n }, () => ({ timestamp: Date.now(), key: null, value })));
  const perBatch = Math.max(1, Math.floor((FILL_BATCH_BYTES - 61) / (recordSize + 12)));
  const full = batchOf(perBatch);
  let left = records / partitions;
  const c = await RawClient.open(port);
  try {
    while (left > 0) {
      const n = Math.min(perBatch, left);
      const batch = n === perBatch ? full : batchOf(n);
      left -= n;
      // A partition not led yet (a new topic's leaders are still spreading) is retried alone.
      let pending = Array.from({ length: partitions }, (_, index) => index);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const r = await c.request<{ responses: { partitionResponses: { index: number; errorCode: number }[] }[] }>(
          Produce,
          9,
          {
            transactionalId: null,
            acks: 1,
            timeoutMs: 30_000,
            topicData: [{ name: topic, partitionData: pending.map((index) => ({ index, records: batch })) }],
          },
        );
        const failed = r.responses.flatMap((t) => t.partitionResponses).filter((p) => p.errorCode !== 0);
        const fatal = failed.find((p) => !RETRIABLE_PRODUCE_ERRORS.has(p.errorCode) || attempt > 200);
        if (fatal) {
          const name = errorInfo(fatal.errorCode)?.name ?? String(fatal.errorCode);
          throw new Error(`fillTopic ${topic}: partition ${fatal.index}: ${name}`);
        }
        pending = failed.map((p) => p.index);
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    c.close();
  }
}

/**
 * From an already-spawned broker: connects (retrying), asks Metadata to auto-create `topic`, and sends
 * one record (acks=1) until it is acknowledged. Resolves with performance.now() of the acknowledgement.
 */
export async function firstAcknowledgedProduce(port: number, topic: string): Promise<number> {
  const records = buildRecordBatch([{ timestamp: Date.now(), key: null, value: Buffer.from('first') }]);
  for (let attempt = 0; attempt < 20_000; attempt++) {
    let c: RawClient | null = null;
    try {
      c = await RawClient.open(port);
      await c.request(Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: true });
      const r = await c.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 30_000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
      });
      if (r.responses[0]?.partitionResponses[0]?.errorCode === 0) return performance.now();
    } catch {
      // not accepting yet
    } finally {
      c?.close();
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no produce was acknowledged');
}
