import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerUnderTest, KAFKA_VERSION, type BrokerKind } from './brokers.js';
import { diskSequentialWriteBytesPerSec, loopbackTcpBytesPerSec } from './limits.js';
import { topSelfTime } from './profile.js';
import { consumerPerfTest, createTopic, firstAcknowledgedProduce, producerPerfTest } from './tools.js';

/**
 * `npm run bench -- compare`: Samsa beside Apache Kafka 3.9.2 on this machine (issue 9), the same
 * client (Kafka's own perf tools) against both, alternating Kafka, Samsa, Kafka, Samsa... one fresh
 * broker per round and kind. Workloads, numbered as in the issue:
 *   (1) produce 100-byte records to 1 partition, acks=1, batch.size=65536, linger.ms=5
 *   (2) produce 1 KiB records to 8 partitions, same producer settings
 *   (4) consume COMPARE_CONSUME_MIB of 1 KiB records (8 partitions, just written: from page cache)
 *   (6) broker RSS (median and peak of 100 ms samples) and broker CPU seconds per GB during (2) and (4)
 *   (7) time from spawning the broker process to the first acknowledged produce
 * and, in the same run, loopback TCP and sequential disk write throughput as physical limits.
 *
 * Sizes (env): COMPARE_ROUNDS (3), COMPARE_W1_RECORDS (2,000,000), COMPARE_W2_RECORDS (500,000),
 * COMPARE_CONSUME_MIB (256; the figure is 1024). COMPARE_PROFILE=1 adds a last Samsa run of
 * workload (2) under `node --cpu-prof` and prints its top functions by self time.
 * Needs java and mvn (scripts/kafka-dist.sh) and a built Samsa (npm run build; node scripts/bundle.mjs).
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = env('COMPARE_ROUNDS', 3);
const W1_RECORDS = env('COMPARE_W1_RECORDS', 2_000_000);
const W2_RECORDS = env('COMPARE_W2_RECORDS', 500_000);
const CONSUME_MIB = env('COMPARE_CONSUME_MIB', 256);
const CONSUME_RECORDS = CONSUME_MIB * 1024;
const PRODUCER_PROPS = ['acks=1', 'batch.size=65536', 'linger.ms=5'];

type Metric =
  | 'w1 MiB/s'
  | 'w1 records/s'
  | 'w1 p99 ms'
  | 'w2 MiB/s'
  | 'w2 p99 ms'
  | 'w4 MiB/s (fetch)'
  | 'w4 MiB/s (incl. group join)'
  | 'w2 RSS median MiB'
  | 'w2 RSS peak MiB'
  | 'w2 CPU s/GB'
  | 'w4 RSS median MiB'
  | 'w4 RSS peak MiB'
  | 'w4 CPU s/GB'
  | 'idle RSS after start MiB'
  | 'start → first ack ms';

type Results = Record<BrokerKind, Partial<Record<Metric, number[]>>>;

const MIB = 1048576;

/** Runs `work` while sampling the broker's RSS every 100 ms and its CPU time before and after. */
async function observed<T>(
  b: BrokerUnderTest,
  work: () => Promise<T>,
): Promise<{ value: T; rssMedian: number; rssPeak: number; cpu: number }> {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(b.rssBytes()), 100);
  const cpu0 = b.cpuSeconds();
  const value = await work();
  const cpu = b.cpuSeconds() - cpu0;
  clearInterval(timer);
  samples.sort((x, y) => x - y);
  return { value, rssMedian: samples[Math.floor(samples.length / 2)] ?? 0, rssPeak: samples.at(-1) ?? 0, cpu };
}

async function oneRound(kind: BrokerKind, results: Results, log: (s: string) => void): Promise<void> {
  const r = results[kind];
  const add = (m: Metric, v: number) => (r[m] ??= []).push(v);
  const b = await BrokerUnderTest.start(kind);
  try {
    add('start → first ack ms', (await firstAcknowledgedProduce(b.port, 'first')) - b.spawnedAt);
    await new Promise((res) => setTimeout(res, 1000));
    add('idle RSS after start MiB', b.rssBytes() / MIB);
    await createTopic(b.port, 'w1', 1);
    await createTopic(b.port, 'w2', 8);
    await createTopic(b.port, 'w4', 8);

    const w1 = await producerPerfTest(b.port, 'w1', W1_RECORDS, 100, PRODUCER_PROPS);
    add('w1 MiB/s', w1.mibPerSec);
    add('w1 records/s', w1.recordsPerSec);
    add('w1 p99 ms', w1.p99LatencyMs);

    const w2 = await observed(b, () => producerPerfTest(b.port, 'w2', W2_RECORDS, 1024, PRODUCER_PROPS));
    add('w2 MiB/s', w2.value.mibPerSec);
    add('w2 p99 ms', w2.value.p99LatencyMs);
    add('w2 RSS median MiB', w2.rssMedian / MIB);
    add('w2 RSS peak MiB', w2.rssPeak / MIB);
    add('w2 CPU s/GB', w2.cpu / ((W2_RECORDS * 1024) / 1e9));

    await producerPerfTest(b.port, 'w4', CONSUME_RECORDS, 1024, PRODUCER_PROPS);
    const w4 = await observed(b, () => consumerPerfTest(b.port, 'w4', CONSUME_RECORDS));
    add('w4 MiB/s (fetch)', w4.value.fetchMibPerSec);
    add('w4 MiB/s (incl. group join)', w4.value.mibPerSec);
    add('w4 RSS median MiB', w4.rssMedian / MIB);
    add('w4 RSS peak MiB', w4.rssPeak / MIB);
    add('w4 CPU s/GB', w4.cpu / ((CONSUME_RECORDS * 1024) / 1e9));
    log(
      `${kind}: w1 ${w1.mibPerSec} MiB/s, w2 ${w2.value.mibPerSec} MiB/s, w4 ${w4.value.fetchMibPerSec} MiB/s, ` +
        `first ack ${r['start → first ack ms']!.at(-1)!.toFixed(0)} ms`,
    );
  } finally {
    await b.stop();
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (xs: readonly number[] | undefined) =>
  xs === undefined || xs.length === 0 ? 'n/a' : `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

export async function kafkaVsSamsaBenchmarks(): Promise<string> {
  const log = (s: string) => console.error(`[compare] ${s}`);
  const results: Results = { kafka: {}, samsa: {} };
  const loopback: number[] = [];
  const disk: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    log(`round ${round + 1}/${ROUNDS}`);
    loopback.push(await loopbackTcpBytesPerSec());
    disk.push(await diskSequentialWriteBytesPerSec(512));
    for (const kind of ['kafka', 'samsa'] as const) await oneRound(kind, results, log);
  }
  const metrics = Object.keys(results.kafka) as Metric[];
  const lines = [
    `Apache Kafka ${KAFKA_VERSION} and Samsa, ${ROUNDS} rounds alternating (Kafka, Samsa), ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model ?? '?'}); W1 ${W1_RECORDS.toLocaleString('en')} × 100 B, W2 ${W2_RECORDS.toLocaleString('en')} × 1 KiB, ` +
      `W4 ${CONSUME_MIB} MiB of 1 KiB records. Cells: median (min–max).`,
    '',
    '| metric | Kafka | Samsa | Samsa/Kafka |',
    '|---|---:|---:|---:|',
    ...metrics.map((m) => {
      const k = results.kafka[m];
      const s = results.samsa[m];
      const ratio = k && s ? (median(s) / median(k)).toFixed(2) : 'n/a';
      return `| ${m} | ${cell(k)} | ${cell(s)} | ${ratio} |`;
    }),
    '',
    '| physical limit (same run) | median (min–max) |',
    '|---|---:|',
    `| loopback TCP, one Node connection, MiB/s | ${cell(loopback.map((x) => x / MIB))} |`,
    `| sequential disk write (dd 512 MiB, fdatasync), MiB/s | ${cell(disk.map((x) => x / MIB))} |`,
  ];
  if (process.env.COMPARE_PROFILE === '1') lines.push('', await profileSamsaW2());
  return lines.join('\n');
}

/**
 * Workload (2) once more against a Samsa under `node --cpu-prof`, run from dist/cli/ so that functions
 * carry their source file names; the profile is written on exit.
 */
async function profileSamsaW2(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'compare-prof-'));
  const b = await BrokerUnderTest.start('samsa', { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], compiled: true });
  let result;
  try {
    await createTopic(b.port, 'w2', 8);
    result = await producerPerfTest(b.port, 'w2', W2_RECORDS, 1024, PRODUCER_PROPS);
  } finally {
    await b.stop();
  }
  const table = topSelfTime(dir);
  rmSync(dir, { recursive: true, force: true });
  return `Samsa (dist/cli/) under node --cpu-prof, workload (2) (${result.mibPerSec} MiB/s while profiled):\n\n${table}`;
}
