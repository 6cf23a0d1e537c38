import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerUnderTest, KAFKA_VERSION, ROOT, type BrokerKind } from './brokers.js';
import { renderChart, type ChartSection } from './chart.js';
import { endToEndLatency } from './e2e-latency.js';
import { diskSequentialWriteBytesPerSec, loopbackTcpBytesPerSec } from './limits.js';
import { startNullSink } from './null-sink.js';
import { topSelfTime } from './profile.js';
import { createPartitions, metadataLatency, openIdleConnections } from './scale.js';
import { consumerPerfTest, createTopic, fillTopic, firstAcknowledgedProduce, producerPerfTest } from './tools.js';

/**
 * `npm run bench -- compare`: Samsa beside Apache Kafka 3.9.2 on this machine (issue 9), the same
 * client (Kafka's own perf tools, and a Java end-to-end latency probe) against both, alternating Kafka,
 * Samsa, Kafka, Samsa... one fresh broker per round and kind. Workloads, numbered as in the issue:
 *   (1) produce 100-byte records to 1 partition, acks=1, batch.size=65536, linger.ms=5
 *   (2) produce 1 KiB records to 8 partitions, same producer settings
 *   (3) as (2) with acks=all
 *   (4) consume COMPARE_CONSUME_MIB of 1 KiB records (8 equal partitions of the same bytes on both
 *       brokers, written by fillTopic just before: from page cache)
 *   (5) end-to-end latency (send to receipt) of 1 KiB records to 8 partitions at half of Kafka's
 *       records/s in (2) of the same round, for COMPARE_W5_SECONDS after 5 s of warm-up
 *   (6) broker RSS (median and peak of 100 ms samples) and broker CPU seconds per GB during (2) and (4)
 *   (7) time from spawning the broker process to the first acknowledged produce
 * then, on a second fresh broker of the same kind:
 *   (9) load (2) while 1,000 idle connections (each past ApiVersions) stay open
 *   (8) COMPARE_PARTITIONS partitions (10 topics): time until all have leaders, Metadata latency, RSS
 * and, in the same run, as physical limits: loopback TCP and sequential disk write throughput, and the
 * producer of (1) and (2) alone against a null sink (null-sink.ts: every produce acknowledged unread).
 *
 * Sizes (env): COMPARE_ROUNDS (3), COMPARE_W1_RECORDS (2,000,000), COMPARE_W2_RECORDS (500,000; also
 * (3) and (9)), COMPARE_CONSUME_MIB (256; the figure is 1024), COMPARE_W5_SECONDS (30),
 * COMPARE_PARTITIONS (10,000; 0 skips (8)), COMPARE_IDLE_CONNECTIONS (1,000). COMPARE_PROFILE=1 adds a
 * last Samsa run of workload (2) under `node --cpu-prof` and prints its top functions by self time.
 * Writes the chart to COMPARE_CHART (docs/benchmarks-kafka-vs-samsa.svg) and the raw numbers beside it
 * in .cache/bench-compare.json.
 * Needs java and mvn (scripts/kafka-dist.sh) and a built Samsa (npm run build; node scripts/bundle.mjs).
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = env('COMPARE_ROUNDS', 3);
const W1_RECORDS = env('COMPARE_W1_RECORDS', 2_000_000);
const W2_RECORDS = env('COMPARE_W2_RECORDS', 500_000);
const CONSUME_MIB = env('COMPARE_CONSUME_MIB', 256);
const CONSUME_RECORDS = CONSUME_MIB * 1024;
const W5_SECONDS = env('COMPARE_W5_SECONDS', 30);
const PARTITIONS = env('COMPARE_PARTITIONS', 10_000);
const IDLE_CONNECTIONS = env('COMPARE_IDLE_CONNECTIONS', 1_000);
const CHART = process.env['COMPARE_CHART'] ?? join(ROOT, 'docs/benchmarks-kafka-vs-samsa.svg');
const PRODUCER_PROPS = ['acks=1', 'batch.size=65536', 'linger.ms=5'];
const ACKS_ALL_PROPS = ['acks=all', 'batch.size=65536', 'linger.ms=5'];

/** Each metric: its chart section, unit, and which direction is better. */
const METRICS = {
  'w1 MiB/s': { section: 'throughput', unit: 'MiB/s', higherIsBetter: true },
  'w1 records/s': { section: 'none', unit: 'records/s', higherIsBetter: true },
  'w1 p99 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w2 MiB/s': { section: 'throughput', unit: 'MiB/s', higherIsBetter: true },
  'w2 records/s': { section: 'none', unit: 'records/s', higherIsBetter: true },
  'w2 p99 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w3 MiB/s': { section: 'throughput', unit: 'MiB/s', higherIsBetter: true },
  'w3 p99 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w4 MiB/s (fetch)': { section: 'throughput', unit: 'MiB/s', higherIsBetter: true },
  'w4 MiB/s (incl. group join)': { section: 'throughput', unit: 'MiB/s', higherIsBetter: true },
  'w5 rate records/s': { section: 'none', unit: 'records/s', higherIsBetter: true },
  'w5 e2e p50 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w5 e2e p99 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w5 e2e p99.9 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w2 RSS median MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
  'w2 RSS peak MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
  'w2 CPU s/GB': { section: 'cpu', unit: 's/GB', higherIsBetter: false },
  'w4 RSS median MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
  'w4 RSS peak MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
  'w4 CPU s/GB': { section: 'cpu', unit: 's/GB', higherIsBetter: false },
  'idle RSS after start MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
  'start → first ack ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w9 MiB/s (1,000 idle connections)': { section: 'throughput', unit: 'MiB/s', higherIsBetter: true },
  'w9 RSS peak MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
  'w8 create s': { section: 'latency', unit: 's', higherIsBetter: false },
  'w8 Metadata p50 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w8 Metadata p99 ms': { section: 'latency', unit: 'ms', higherIsBetter: false },
  'w8 RSS MiB': { section: 'memory', unit: 'MiB', higherIsBetter: false },
} as const;

type Metric = keyof typeof METRICS;

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

/** Appends a measurement to one broker kind's results. */
const adder = (r: Partial<Record<Metric, number[]>>) => (m: Metric, v: number) => (r[m] ??= []).push(v);

/**
 * One broker of `kind`: workloads (7), (1), (2), (3), (4), (5). (5) runs at half of `kafkaW2RecordsPerSec`
 * (Kafka's (2) in this round; Kafka runs first), or, for Kafka itself, half of what it just did.
 */
async function mainRound(kind: BrokerKind, r: Partial<Record<Metric, number[]>>, kafkaW2RecordsPerSec: number | null) {
  const add = adder(r);
  const b = await BrokerUnderTest.start(kind);
  try {
    add('start → first ack ms', (await firstAcknowledgedProduce(b.port, 'first')) - b.spawnedAt);
    await new Promise((res) => setTimeout(res, 1000));
    add('idle RSS after start MiB', b.rssBytes() / MIB);
    for (const [topic, partitions] of [
      ['w1', 1],
      ['w2', 8],
      ['w3', 8],
      ['w4', 8],
      ['w5', 8],
    ] as const)
      await createTopic(b.port, topic, partitions);

    const w1 = await producerPerfTest(b.port, 'w1', W1_RECORDS, 100, PRODUCER_PROPS);
    add('w1 MiB/s', w1.mibPerSec);
    add('w1 records/s', w1.recordsPerSec);
    add('w1 p99 ms', w1.p99LatencyMs);

    const w2 = await observed(b, () => producerPerfTest(b.port, 'w2', W2_RECORDS, 1024, PRODUCER_PROPS));
    add('w2 MiB/s', w2.value.mibPerSec);
    add('w2 records/s', w2.value.recordsPerSec);
    add('w2 p99 ms', w2.value.p99LatencyMs);
    add('w2 RSS median MiB', w2.rssMedian / MIB);
    add('w2 RSS peak MiB', w2.rssPeak / MIB);
    add('w2 CPU s/GB', w2.cpu / ((W2_RECORDS * 1024) / 1e9));

    const w3 = await producerPerfTest(b.port, 'w3', W2_RECORDS, 1024, ACKS_ALL_PROPS);
    add('w3 MiB/s', w3.mibPerSec);
    add('w3 p99 ms', w3.p99LatencyMs);

    await fillTopic(b.port, 'w4', 8, CONSUME_RECORDS, 1024);
    const w4 = await observed(b, () => consumerPerfTest(b.port, 'w4', CONSUME_RECORDS));
    add('w4 MiB/s (fetch)', w4.value.fetchMibPerSec);
    add('w4 MiB/s (incl. group join)', w4.value.mibPerSec);
    add('w4 RSS median MiB', w4.rssMedian / MIB);
    add('w4 RSS peak MiB', w4.rssPeak / MIB);
    add('w4 CPU s/GB', w4.cpu / ((CONSUME_RECORDS * 1024) / 1e9));

    const rate = Math.round((kafkaW2RecordsPerSec ?? w2.value.recordsPerSec) / 2);
    const w5 = await endToEndLatency(b.port, 'w5', {
      ratePerSec: rate,
      seconds: W5_SECONDS,
      warmupSeconds: 5,
      recordSize: 1024,
    });
    add('w5 rate records/s', w5.achievedRate);
    add('w5 e2e p50 ms', w5.p50Ms);
    add('w5 e2e p99 ms', w5.p99Ms);
    add('w5 e2e p99.9 ms', w5.p999Ms);
    return w2.value.recordsPerSec;
  } finally {
    await b.stop();
  }
}

/** A second fresh broker of `kind`: (9) load (2) beside idle connections, then (8) many partitions. */
async function scaleRound(kind: BrokerKind, r: Partial<Record<Metric, number[]>>): Promise<void> {
  const add = adder(r);
  const b = await BrokerUnderTest.start(kind);
  try {
    await createTopic(b.port, 'w9', 8);
    const idle = await openIdleConnections(b.port, IDLE_CONNECTIONS);
    try {
      const w9 = await observed(b, () => producerPerfTest(b.port, 'w9', W2_RECORDS, 1024, PRODUCER_PROPS));
      add('w9 MiB/s (1,000 idle connections)', w9.value.mibPerSec);
      add('w9 RSS peak MiB', w9.rssPeak / MIB);
    } finally {
      idle.close();
    }
    if (PARTITIONS > 0) {
      const created = await createPartitions(b.port, 10, PARTITIONS / 10);
      add('w8 create s', created.createMs / 1000);
      const md = await metadataLatency(b.port, 20);
      add('w8 Metadata p50 ms', md.medianMs);
      add('w8 Metadata p99 ms', md.p99Ms);
      add('w8 RSS MiB', b.rssBytes() / MIB);
    }
  } finally {
    await b.stop();
  }
}

async function oneRound(results: Results, log: (s: string) => void): Promise<void> {
  const kafkaW2 = await mainRound('kafka', results.kafka, null);
  await mainRound('samsa', results.samsa, kafkaW2);
  for (const kind of ['kafka', 'samsa'] as const) await scaleRound(kind, results[kind]);
  for (const kind of ['kafka', 'samsa'] as const) {
    const last = (m: Metric) => fmt(results[kind][m]?.at(-1) ?? NaN);
    log(
      `${kind}: w1 ${last('w1 MiB/s')} w2 ${last('w2 MiB/s')} w3 ${last('w3 MiB/s')} w4 ${last('w4 MiB/s (fetch)')} MiB/s, ` +
        `w5 p99 ${last('w5 e2e p99 ms')} ms, first ack ${last('start → first ack ms')} ms, w8 create ${last('w8 create s')} s`,
    );
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (xs: readonly number[] | undefined) =>
  xs === undefined || xs.length === 0 ? 'n/a' : `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

const SECTIONS = {
  throughput: 'Throughput (longer is better)',
  latency: 'Latency and times (shorter is better)',
  memory: 'Broker memory, RSS (shorter is better)',
  cpu: 'Broker CPU per GB moved (shorter is better)',
} as const;

/** The SVG chart of every charted metric, and the raw numbers as JSON in .cache. */
function writeChart(results: Results, metrics: readonly Metric[]): void {
  const sections: ChartSection[] = Object.entries(SECTIONS).map(([key, title]) => ({
    title,
    metrics: metrics
      .filter((m) => METRICS[m].section === key)
      .map((m) => ({
        label: m,
        unit: METRICS[m].unit,
        higherIsBetter: METRICS[m].higherIsBetter,
        kafka: results.kafka[m] ?? [],
        samsa: results.samsa[m] ?? [],
      })),
  }));
  const when = new Date().toISOString().slice(0, 10);
  writeFileSync(
    CHART,
    renderChart(
      `Samsa beside Apache Kafka ${KAFKA_VERSION}, same machine, same clients`,
      `${when}, ${ROUNDS} rounds alternating, ${cpus().length} vCPUs; bars: medians, lines: min–max; scaled per metric`,
      sections,
    ),
  );
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  writeFileSync(join(ROOT, '.cache/bench-compare.json'), JSON.stringify(results, null, 2));
  console.error(`[compare] chart written to ${CHART}`);
}

export async function kafkaVsSamsaBenchmarks(): Promise<string> {
  const log = (s: string) => console.error(`[compare] ${s}`);
  const results: Results = { kafka: {}, samsa: {} };
  const loopback: number[] = [];
  const disk: number[] = [];
  const sinkW1: number[] = [];
  const sinkW2: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    log(`round ${round + 1}/${ROUNDS}`);
    loopback.push(await loopbackTcpBytesPerSec());
    disk.push(await diskSequentialWriteBytesPerSec(512));
    const sink = await startNullSink((topic) => (topic === 'w1' ? 1 : 8));
    try {
      sinkW1.push((await producerPerfTest(sink.port, 'w1', W1_RECORDS, 100, PRODUCER_PROPS)).mibPerSec);
      sinkW2.push((await producerPerfTest(sink.port, 'w2', W2_RECORDS, 1024, PRODUCER_PROPS)).mibPerSec);
    } finally {
      await sink.close();
    }
    await oneRound(results, log);
  }
  const metrics = (Object.keys(METRICS) as Metric[]).filter((m) => results.kafka[m] || results.samsa[m]);
  writeChart(results, metrics);
  const lines = [
    `Apache Kafka ${KAFKA_VERSION} and Samsa, ${ROUNDS} rounds alternating (Kafka, Samsa), ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model ?? '?'}); W1 ${W1_RECORDS.toLocaleString('en')} × 100 B, W2 ${W2_RECORDS.toLocaleString('en')} × 1 KiB, ` +
      `W4 ${CONSUME_MIB} MiB of 1 KiB records, W5 ${W5_SECONDS} s, W8 ${PARTITIONS.toLocaleString('en')} partitions, ` +
      `W9 ${IDLE_CONNECTIONS.toLocaleString('en')} idle connections. Cells: median (min–max).`,
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
    `| producer of (1) alone, null sink, MiB/s | ${cell(sinkW1)} |`,
    `| producer of (2) alone, null sink, MiB/s | ${cell(sinkW2)} |`,
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
