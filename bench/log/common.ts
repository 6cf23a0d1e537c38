/**
 * What the log benchmarks share: where they write (SAMSA_BENCH_DIR, default the OS temp dir, which
 * on our VMs is the same disk as the repository), the size of the logs they build (SAMSA_BENCH_LOG_GB,
 * default 1; the figure is 10), a 16 KiB v2 batch, and a median-of-rounds summary in the
 * harness's Measurement shape.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Measurement } from '../harness.js';
import { logConfig, type LogConfig } from '../../src/log/log-config.js';
import { PartitionLog } from '../../src/log/partition-log.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';

export const BATCH_BYTES = 16 * 1024;
export const LOG_BYTES = Math.round(Number(process.env.SAMSA_BENCH_LOG_GB ?? 1) * 1024 ** 3);

export function benchDir(prefix: string): string {
  const root = process.env.SAMSA_BENCH_DIR ?? os.tmpdir();
  return fs.mkdtempSync(path.join(root, `samsa-bench-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** One uncompressed v2 batch of exactly 16 KiB: 15 records of ~1 KiB (incompressible bytes). */
export function batch16k(): Buffer {
  const make = (valueSize: number): Buffer =>
    buildRecordBatch(
      Array.from({ length: 15 }, (_, i) => ({
        timestamp: 1_700_000_000_000 + i,
        key: null,
        value: Buffer.alloc(valueSize, i * 31 + 7),
      })),
    );
  const probe = make(1000).length;
  const valueSize = 1000 + Math.floor((BATCH_BYTES - probe) / 15);
  let b = make(valueSize);
  // Varint lengths may shift the size by a byte or two; pad the last record's value.
  for (let extra = 0; b.length < BATCH_BYTES; extra++) b = make(valueSize + extra);
  return b;
}

/** Kafka's defaults (1 GiB segments, index every 4 KiB), no deletion delay. */
export function benchConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return logConfig({ fileDeleteDelayMs: 0, ...overrides });
}

export const QUIET = { info: (): void => {}, warn: (): void => {}, error: (m: string): void => console.error(m) };

/** Writes `bytes` of 16 KiB batches into a new PartitionLog in `dir` and closes it. */
export function buildLog(dir: string, bytes: number, config: LogConfig): { batches: number; lastOffset: number } {
  const log = PartitionLog.open({ dir, topic: 'bench', partition: 0, config, logger: QUIET });
  const batch = batch16k();
  const batches = Math.ceil(bytes / batch.length);
  for (let i = 0; i < batches; i++) log.appendAsLeader(batch, 0);
  const lastOffset = log.logEndOffset - 1;
  log.close();
  return { batches, lastOffset };
}

/** Median and spread of per-round rates (ops/s), with `bytesPerOp` for MB/s. */
export function summarize(name: string, opsPerSecByRound: number[], bytesPerOp: number): Measurement {
  const rates = [...opsPerSecByRound].sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  return { name, opsPerSec: median, bytesPerSec: median * bytesPerOp, spread: [rates[0]!, rates[rates.length - 1]!] };
}

export function mbps(m: Measurement): string {
  return (m.bytesPerSec / 1e6).toFixed(0);
}
