import { cpus, loadavg } from 'node:os';
import { BrokerUnderTest } from './brokers.js';
import { rawConsume } from './raw-consumer.js';
import { createTopic, fillTopic } from './tools.js';

/**
 * `npm run bench -- zero-copy`: Samsa's two fetch paths side by side, without the JVM consumer's cost.
 * Two brokers run at once, one with samsa.fetch.zero.copy=sendfile and one with read, each holding
 * the same ZERO_COPY_MIB (256) of 1 KiB records in 8 partitions (the same bytes in both: tools.ts
 * fillTopic; in page cache); then ZERO_COPY_ROUNDS (5) alternating reads of all of it by the raw consumer
 * of raw-consumer.ts (Fetch v12, 1 MiB per partition, one request in flight), broker CPU from /proc.
 * ZERO_COPY_SOURCE=1 runs the brokers from the sources (tsx) instead of the build.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MIB = env('ZERO_COPY_MIB', 256);
const ROUNDS = env('ZERO_COPY_ROUNDS', 5);
const MODES = ['sendfile', 'read'] as const;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (xs: readonly number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

export async function zeroCopyBenchmarks(): Promise<string> {
  const brokers = new Map<string, BrokerUnderTest>();
  const rates = new Map<string, number[]>(MODES.map((m) => [m, []]));
  const cpuPerGb = new Map<string, number[]>(MODES.map((m) => [m, []]));
  const loads: number[] = [];
  try {
    for (const mode of MODES) {
      const b = await BrokerUnderTest.start('samsa', {
        source: process.env.ZERO_COPY_SOURCE === '1',
        extraConfig: [`samsa.fetch.zero.copy=${mode}`],
      });
      brokers.set(mode, b);
      await createTopic(b.port, 'w4', 8);
      await fillTopic(b.port, 'w4', 8, MIB * 1024, 1024);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const b = brokers.get(mode)!;
        loads.push(loadavg()[0]!);
        const cpu0 = b.cpuSeconds();
        const r = await rawConsume(b.port, 'w4', 8);
        rates.get(mode)!.push(r.bytes / 1048576 / r.seconds);
        cpuPerGb.get(mode)!.push((b.cpuSeconds() - cpu0) / (r.bytes / 1e9));
        console.error(`[zero-copy] round ${round + 1}/${ROUNDS} ${mode}: ${fmt(rates.get(mode)!.at(-1)!)} MiB/s`);
      }
    }
  } finally {
    for (const b of brokers.values()) await b.stop();
  }
  const ratio = (m: Map<string, number[]>) => (median(m.get('sendfile')!) / median(m.get('read')!)).toFixed(2);
  return [
    `${MIB} MiB of 1 KiB records in 8 partitions, read ${ROUNDS} times per path by the raw consumer, alternating; ` +
      `${cpus().length} CPUs; 1-min load average ${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))}. Cells: median (min–max).`,
    '',
    '| samsa.fetch.zero.copy | MiB/s | broker CPU s/GB |',
    '|---|---:|---:|',
    ...MODES.map((m) => `| ${m} | ${cell(rates.get(m)!)} | ${cell(cpuPerGb.get(m)!)} |`),
    `| sendfile / read | ${ratio(rates)} | ${ratio(cpuPerGb)} |`,
  ].join('\n');
}
