/**
 * A small timing harness for micro-benchmarks: warm up, then several timed rounds of a fixed number of
 * operations; report the median and the spread (min..max) across rounds. Numbers are for comparison
 * within one run on one machine, side by side, never for pass/fail.
 */
export interface Measurement {
  readonly name: string;
  readonly opsPerSec: number;
  readonly bytesPerSec: number;
  readonly spread: readonly [number, number];
}

export function measure(name: string, bytesPerOp: number, op: () => void, targetMs = 300, rounds = 7): Measurement {
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) op();
    if (performance.now() - t > 30) break;
    n *= 2;
  }
  const perRound = Math.max(1, Math.round((n * targetMs) / 30 / rounds));
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < perRound; i++) op();
    rates.push(perRound / ((performance.now() - t) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  return { name, opsPerSec: median, bytesPerSec: median * bytesPerOp, spread: [rates[0]!, rates[rates.length - 1]!] };
}

export function formatTable(rows: readonly Measurement[]): string {
  const lines = ['| benchmark | ops/s | MB/s | spread (ops/s) |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    const mb = r.bytesPerSec / 1e6;
    lines.push(
      `| ${r.name} | ${Math.round(r.opsPerSec).toLocaleString('en')} | ${mb >= 100 ? mb.toFixed(0) : mb.toFixed(1)} | ` +
        `${Math.round(r.spread[0]).toLocaleString('en')}–${Math.round(r.spread[1]).toLocaleString('en')} |`,
    );
  }
  return lines.join('\n');
}
