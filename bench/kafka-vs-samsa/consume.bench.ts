import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerUnderTest, KAFKA_VERSION, type BrokerOptions } from './brokers.js';
import { topSelfTime } from './profile.js';
import { rawConsume } from './raw-consumer.js';
import { consumerPerfTest, createTopic, fillTopic } from './tools.js';

/**
 * `npm run bench -- consume`: workload (4) alone, Kafka beside Samsa's fetch paths, alternating
 * (A B C A B C ...) with a fresh broker per round and variant: CONSUME_MIB of 1 KiB records are written
 * to an 8-partition topic (untimed, the same bytes on every broker: tools.ts fillTopic), then Kafka's ConsumerPerformance reads them back from page cache.
 *
 * Variants (CONSUME_VARIANTS, comma-separated; default `kafka,samsa:sendfile,samsa:read`): `kafka`, or
 * `samsa:<mode>` with mode the value of samsa.fetch.zero.copy (auto, sendfile, read). Reported per
 * variant: the tool's fetch MiB/s, broker CPU s/GB, consumer JVM CPU s/GB; then, on the same broker and
 * data, a raw consumer that does not decode records (raw-consumer.ts): the broker's fetch path with
 * the client's cost near zero, MiB/s and broker CPU s/GB. CONSUME_ROUNDS (3),
 * CONSUME_MIB (256), CONSUME_SOURCE=1 runs Samsa from the sources (tsx) instead of the build,
 * CONSUME_PROFILE=1 adds one profiled Samsa run (first samsa variant, from sources) and prints its top
 * functions by self time. CONSUME_PROPS: extra consumer properties, `;`-separated.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = env('CONSUME_ROUNDS', 3);
const MIB = env('CONSUME_MIB', 256);
const RECORDS = MIB * 1024;
const VARIANTS = (process.env.CONSUME_VARIANTS ?? 'kafka,samsa:sendfile,samsa:read').split(',');
const CONSUMER_PROPS = (process.env.CONSUME_PROPS ?? '').split(';').filter((s) => s !== '');

interface Sample {
  fetchMibPerSec: number;
  brokerCpuPerGb: number;
  clientCpuPerGb: number;
  rawMibPerSec: number;
  rawBrokerCpuPerGb: number;
  /** Broker threads' time waiting for a CPU while the perf tool consumed, per second of that. */
  brokerWaitPerSec: number;
}

function optionsOf(variant: string, profileDir?: string): BrokerOptions {
  const mode = variant.split(':')[1];
  return {
    source: process.env.CONSUME_SOURCE === '1' || profileDir !== undefined,
    extraConfig: mode === undefined ? [] : [`samsa.fetch.zero.copy=${mode}`],
    nodeArgs: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  };
}

async function oneRun(variant: string, profileDir?: string): Promise<Sample> {
  const kind = variant.startsWith('kafka') ? 'kafka' : 'samsa';
  const b = await BrokerUnderTest.start(kind, optionsOf(variant, profileDir));
  try {
    await createTopic(b.port, 'w4', 8);
    await fillTopic(b.port, 'w4', 8, RECORDS, 1024);
    const cpu0 = b.cpuSeconds();
    const wait0 = b.runQueueWaitSeconds();
    const t0 = performance.now();
    const r = await consumerPerfTest(b.port, 'w4', RECORDS, CONSUMER_PROPS);
    const gb = (RECORDS * 1024) / 1e9;
    const cpu1 = b.cpuSeconds();
    const brokerWaitPerSec = (b.runQueueWaitSeconds() - wait0) / ((performance.now() - t0) / 1000);
    const raw = await rawConsume(b.port, 'w4', 8);
    return {
      fetchMibPerSec: r.fetchMibPerSec,
      brokerCpuPerGb: (cpu1 - cpu0) / gb,
      clientCpuPerGb: r.clientCpuSeconds / gb,
      rawMibPerSec: raw.bytes / 1048576 / raw.seconds,
      rawBrokerCpuPerGb: (b.cpuSeconds() - cpu1) / (raw.bytes / 1e9),
      brokerWaitPerSec,
    };
  } finally {
    await b.stop();
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (xs: readonly number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

export async function consumeBenchmarks(): Promise<string> {
  const log = (s: string) => console.error(`[consume] ${s}`);
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v, []]));
  const loads: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of VARIANTS) {
      loads.push(loadavg()[0]!);
      const s = await oneRun(v);
      samples.get(v)!.push(s);
      log(
        `round ${round + 1}/${ROUNDS} ${v}: ${s.fetchMibPerSec} MiB/s, broker ${fmt(s.brokerCpuPerGb)} CPU s/GB; ` +
          `raw ${fmt(s.rawMibPerSec)} MiB/s, broker ${fmt(s.rawBrokerCpuPerGb)} CPU s/GB; ` +
          `broker waited for a CPU ${fmt(s.brokerWaitPerSec)} s/s`,
      );
    }
  }
  const base = samples.get('kafka');
  const lines = [
    `Workload (4): ${MIB} MiB of 1 KiB records, 8 partitions, Kafka ${KAFKA_VERSION} ConsumerPerformance; ` +
      `${ROUNDS} rounds alternating ${VARIANTS.join(', ')}; ${cpus().length} CPUs; 1-min load average before ` +
      `each run ${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))}. Cells: median (min–max).`,
    '',
    '| variant | perf tool fetch MiB/s | ratio to Kafka | broker CPU s/GB | consumer CPU s/GB | broker run-queue wait s/s | raw consumer MiB/s | ratio to Kafka | broker CPU s/GB (raw) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...VARIANTS.map((v) => {
      const s = samples.get(v)!;
      const mibs = s.map((x) => x.fetchMibPerSec);
      const ratio = base ? (median(mibs) / median(base.map((x) => x.fetchMibPerSec))).toFixed(2) : 'n/a';
      const raws = s.map((x) => x.rawMibPerSec);
      const rawRatio = base ? (median(raws) / median(base.map((x) => x.rawMibPerSec))).toFixed(2) : 'n/a';
      return (
        `| ${v} | ${cell(mibs)} | ${ratio} | ${cell(s.map((x) => x.brokerCpuPerGb))} | ${cell(s.map((x) => x.clientCpuPerGb))} ` +
        `| ${cell(s.map((x) => x.brokerWaitPerSec))} ` +
        `| ${cell(raws)} | ${rawRatio} | ${cell(s.map((x) => x.rawBrokerCpuPerGb))} |`
      );
    }),
  ];
  const profiled = VARIANTS.find((v) => v.startsWith('samsa'));
  if (process.env.CONSUME_PROFILE === '1' && profiled !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'consume-prof-'));
    const s = await oneRun(profiled, dir);
    lines.push(
      '',
      `${profiled} under node --cpu-prof (${s.fetchMibPerSec} MiB/s while profiled; whole broker life):`,
      '',
    );
    lines.push(topSelfTime(dir, 25));
    rmSync(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}
