/**
 * Compaction: MB/s cleaned by the log cleaner (worker thread), and p99 append latency on another
 * partition while a cleaning runs, against p99 with no cleaning (the bar: within 2×).
 *
 * The cleaner is asynchronous (a worker thread) and the harness's groups are synchronous, so
 * `compactionBenchmarks()` runs this file as a child process (`--child`) and reads back JSON; the
 * latency table is printed directly, the MB/s rows returned for the common table.
 *
 * Workload: 32 MiB of 1,000-byte records in batches of 10, over 20,000 keys (each key written ~3
 * times), 8 MiB segments, one pass. Appends: 1 KiB single-record batches to an uncompacted partition,
 * in bursts of 200 with an event-loop turn between bursts (as a broker interleaves requests).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as turn } from 'node:timers/promises';
import type { Measurement } from '../harness.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';
import { LogCleaner } from '../../src/log/cleaner/log-cleaner.js';
import { logConfig } from '../../src/log/log-config.js';
import { PartitionLog } from '../../src/log/partition-log.js';
import type { LogLogger } from '../../src/log/time.js';

const QUIET: LogLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const TOTAL_BYTES = 32 * 1024 * 1024;
const KEYS = 20_000;
const BURST = 200;

interface ChildReport {
  readonly measurements: Measurement[];
  readonly latency: string;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function appendLatencies(log: PartitionLog, until: () => boolean, minAppends: number): Promise<number[]> {
  const value = Buffer.alloc(1024, 7);
  const out: number[] = [];
  let i = 0;
  while (out.length < minAppends || !until()) {
    for (let j = 0; j < BURST; j++, i++) {
      const batch = buildRecordBatch([{ timestamp: Date.now(), key: Buffer.from(`a${i % 1000}`), value }]);
      const t = process.hrtime.bigint();
      log.appendAsLeader(batch, 0);
      out.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    await turn();
  }
  return out.sort((a, b) => a - b);
}

async function child(): Promise<ChildReport> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-compaction-bench-'));
  try {
    const compacted = PartitionLog.open({
      dir: path.join(root, 'c-0'),
      topic: 'c',
      partition: 0,
      config: logConfig({ segmentBytes: 8 * 1024 * 1024, cleanupPolicy: ['compact'] }),
      logger: QUIET,
    });
    const value = Buffer.alloc(1000, 1);
    let n = 0;
    while (compacted.size < TOTAL_BYTES) {
      const records = Array.from({ length: 10 }, () => ({
        timestamp: Date.now(),
        key: Buffer.from(`key-${(n++ * 7919) % KEYS}`),
        value,
      }));
      compacted.appendAsLeader(buildRecordBatch(records), 0);
    }
    compacted.roll();
    compacted.updateHighWatermark(compacted.logEndOffset);
    await compacted.flush();
    const appendLog = PartitionLog.open({
      dir: path.join(root, 'a-0'),
      topic: 'a',
      partition: 0,
      config: logConfig({ segmentBytes: 64 * 1024 * 1024 }),
      logger: QUIET,
    });
    const cleaner = new LogCleaner(
      { dedupeBufferSize: 128 * 1024 * 1024, ioBufferLoadFactor: 0.9, ioBufferSize: 512 * 1024, backoffMs: 15_000 },
      { logs: () => [{ logDir: root, log: compacted }], time: { milliseconds: () => Date.now() }, logger: QUIET },
    );
    // Warm up: start the worker and the append path.
    await appendLatencies(appendLog, () => true, 5_000);
    const baseline = await appendLatencies(appendLog, () => true, 40_000);

    let done = false;
    const started = performance.now();
    const cleaning = cleaner.cleanFilthiestLog().finally(() => {
      done = true;
    });
    const during = await appendLatencies(appendLog, () => done, 5_000);
    const summary = await cleaning;
    const wallMs = performance.now() - started;
    await cleaner.shutdown();
    appendLog.close();
    compacted.close();
    if (summary === null) throw new Error('nothing was cleaned');
    const s = summary.stats;
    const measurements: Measurement[] = [
      {
        name: `clean pass, worker time (${(s.bytesRead / 1e6).toFixed(0)} MB → ${(s.bytesWritten / 1e6).toFixed(1)} MB)`,
        opsPerSec: 1000 / s.elapsedMs,
        bytesPerSec: s.bytesRead / (s.elapsedMs / 1000),
        spread: [1000 / s.elapsedMs, 1000 / s.elapsedMs],
      },
      {
        name: 'clean pass, wall time with appends running',
        opsPerSec: 1000 / wallMs,
        bytesPerSec: s.bytesRead / (wallMs / 1000),
        spread: [1000 / wallMs, 1000 / wallMs],
      },
      {
        name: 'offset map build (dirty section)',
        opsPerSec: 1000 / s.mapElapsedMs,
        bytesPerSec: s.mapBytesRead / (s.mapElapsedMs / 1000),
        spread: [1000 / s.mapElapsedMs, 1000 / s.mapElapsedMs],
      },
    ];
    const row = (name: string, l: readonly number[]): string =>
      `| ${name} | ${l.length.toLocaleString('en')} | ${percentile(l, 0.5).toFixed(1)} | ${percentile(l, 0.99).toFixed(1)} | ${percentile(l, 0.999).toFixed(1)} | ${l.at(-1)!.toFixed(0)} |`;
    const latency = [
      '| 1 KiB append to another partition | appends | p50 (µs) | p99 (µs) | p99.9 (µs) | max (µs) |',
      '|---|---:|---:|---:|---:|---:|',
      row('no compaction', baseline),
      row('during a compaction pass', during),
      '',
      `p99 during / p99 without: ${(percentile(during, 0.99) / percentile(baseline, 0.99)).toFixed(2)}× (bar: ≤ 2×)`,
    ].join('\n');
    return { measurements, latency };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function compactionBenchmarks(): Measurement[] {
  const file = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', file, '--child'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const report = JSON.parse(out) as ChildReport;
  console.log(`${report.latency}\n`);
  return report.measurements;
}

if (process.argv.includes('--child')) {
  child().then(
    (report) => process.stdout.write(JSON.stringify(report)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
