import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';
import type { Measurement } from '../harness.js';
import { PartitionLog } from '../../src/log/partition-log.js';
import { LOG_BYTES, QUIET, benchConfig, benchDir, buildLog, mbps, removeDir, summarize } from './common.js';

const ROUNDS = 5;
const CHUNK = 1024 * 1024;

/**
 * Recovery after a crash (PartitionLog.open with no clean shutdown and recovery point 0: every batch's
 * header checked, CRC-32C verified, indexes rebuilt) of SAMSA_BENCH_LOG_GB (default 1 GiB) of 16 KiB
 * batches in 1 GiB segments, beside the raw floor: reading the same files in 1 MiB chunks and
 * computing CRC-32C over each whole chunk. Files are in the page cache for both (warm-up round first).
 * The bar: recovery at >= 0.5 of raw.
 */
export function logRecoveryBenchmarks(): Measurement[] {
  const dir = benchDir('recovery');
  const config = benchConfig();
  try {
    buildLog(dir, LOG_BYTES, config);
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => path.join(dir, f));
    const total = files.reduce((s, f) => s + fs.statSync(f).size, 0);
    const chunk = Buffer.allocUnsafe(CHUNK);
    const raw: number[] = [];
    const recovery: number[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      let t = performance.now();
      let sum = 0;
      for (const file of files) {
        const fd = fs.openSync(file, 'r');
        for (let pos = 0; ;) {
          const n = fs.readSync(fd, chunk, 0, CHUNK, pos);
          if (n === 0) break;
          sum ^= crc32c(n === CHUNK ? chunk : chunk.subarray(0, n));
          pos += n;
        }
        fs.closeSync(fd);
      }
      if (r > 0) raw.push(1 / ((performance.now() - t) / 1000));
      void sum;
      t = performance.now();
      const log = PartitionLog.open({
        dir,
        topic: 'bench',
        partition: 0,
        config,
        hadCleanShutdown: false,
        logger: QUIET,
      });
      if (r > 0) recovery.push(1 / ((performance.now() - t) / 1000));
      log.close();
    }
    const gb = (total / 1024 ** 3).toFixed(1);
    const rawM = summarize(`raw read + CRC32C of ${gb} GiB (1 MiB chunks)`, raw, total);
    const recM = summarize(`recovery of ${gb} GiB (PartitionLog.open after a crash)`, recovery, total);
    console.log(
      `log-recovery: ${mbps(recM)} MB/s vs raw ${mbps(rawM)} MB/s = ${(recM.bytesPerSec / rawM.bytesPerSec).toFixed(2)} of raw`,
    );
    return [rawM, recM];
  } finally {
    removeDir(dir);
  }
}
