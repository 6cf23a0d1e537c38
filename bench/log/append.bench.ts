import fs from 'node:fs';
import path from 'node:path';
import type { Measurement } from '../harness.js';
import { PartitionLog } from '../../src/log/partition-log.js';
import { QUIET, batch16k, benchConfig, benchDir, mbps, removeDir, summarize } from './common.js';

const ROUND_BYTES = 256 * 1024 * 1024;
const ROUNDS = 5;

/**
 * Append of 16 KiB batches through PartitionLog.appendAsLeader (header checks, offset assignment,
 * one writev, index upkeep) beside raw `fs.writevSync` of the same batch at increasing positions of
 * a plain file, in the same directory and the same run; rounds alternate which goes first. Each round
 * writes 256 MiB into a fresh file or log (no fsync: Kafka's defaults leave that to the page cache).
 * The bar: the log at >= 0.8 of raw.
 */
export function logAppendBenchmarks(): Measurement[] {
  const batch = batch16k();
  const n = ROUND_BYTES / batch.length;
  const dir = benchDir('append');
  const raw: number[] = [];
  const log: number[] = [];
  const runRaw = (round: number): void => {
    const file = path.join(dir, `raw-${round}`);
    const fd = fs.openSync(file, 'w');
    const t = performance.now();
    for (let i = 0, pos = 0; i < n; i++, pos += batch.length) fs.writevSync(fd, [batch], pos);
    raw.push(n / ((performance.now() - t) / 1000));
    fs.closeSync(fd);
    fs.rmSync(file);
  };
  const runLog = (round: number): void => {
    const logDir = path.join(dir, `bench-${round}`);
    const l = PartitionLog.open({
      dir: logDir,
      topic: 'bench',
      partition: round,
      config: benchConfig(),
      logger: QUIET,
    });
    const t = performance.now();
    for (let i = 0; i < n; i++) l.appendAsLeader(batch, 0);
    log.push(n / ((performance.now() - t) / 1000));
    l.delete();
  };
  try {
    runRaw(-1); // warm-up
    runLog(-1);
    raw.length = 0;
    log.length = 0;
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        runRaw(r);
        runLog(r);
      } else {
        runLog(r);
        runRaw(r);
      }
    }
  } finally {
    removeDir(dir);
  }
  const rawM = summarize('raw fs.writevSync, 16 KiB per call', raw, batch.length);
  const logM = summarize('PartitionLog.appendAsLeader, 16 KiB batch', log, batch.length);
  console.log(
    `log-append: ${mbps(logM)} MB/s vs raw ${mbps(rawM)} MB/s = ${(logM.bytesPerSec / rawM.bytesPerSec).toFixed(2)} of raw`,
  );
  return [rawM, logM];
}
