/**
 * Disk full. As root, on a 1 MiB tmpfs mounted for the test: appends fail with KAFKA_STORAGE_ERROR,
 * the log keeps serving what it had, recovers cleanly after a crash, and accepts appends again once
 * space is freed. Without root (or without mount) the test is skipped; segment-file.test.ts covers
 * the same ENOSPC path through /dev/full.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordBatches } from '../protocol/records/batch-iterator.js';
import { readRegion } from './fetch-data-info.js';
import { LogError } from './log-error.js';
import { PartitionLog } from './partition-log.js';
import { MemoryLogger, makeTmpDir, removeTmpDir, testBatch, testConfig } from './testing/test-batches.js';

let mountPoint: string;
let mounted = false;

beforeAll(() => {
  mountPoint = makeTmpDir('samsa-full-');
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  removeTmpDir(mountPoint);
});

function readOffsets(log: PartitionLog): number[] {
  const out: number[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const info = log.read(next, { maxBytes: 1 << 20, isolation: 'LOG_END', minOneMessage: true });
    if (info.region === null) break;
    out.push(...readRecordBatches(readRegion(info.region)).batches.map((b) => b.baseOffset));
    info.release();
    next = info.nextOffset;
  }
  return out;
}

describe('disk full', () => {
  it('fails appends with KAFKA_STORAGE_ERROR, stays readable, recovers and resumes', (ctx) => {
    if (!mounted) ctx.skip();
    const dir = path.join(mountPoint, 'full-0');
    const config = testConfig({ segmentBytes: 200_000 });
    const logger = new MemoryLogger();
    const log = PartitionLog.open({ dir, topic: 'full', partition: 0, config, logger });
    const filler = path.join(mountPoint, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(600 * 1024));
    let error: unknown = null;
    const acknowledged: number[] = [];
    for (let i = 0; i < 1000 && error === null; i++) {
      try {
        acknowledged.push(log.appendAsLeader(testBatch({ count: 4, valueSize: 1000 }), 0).baseOffset);
      } catch (err) {
        error = err;
      }
    }
    expect(error).toBeInstanceOf(LogError);
    expect((error as LogError).code).toBe('KAFKA_STORAGE_ERROR');
    expect((error as LogError).message).toContain('ENOSPC');
    expect(acknowledged.length).toBeGreaterThan(10);
    const leo = log.logEndOffset;
    expect(leo).toBe(acknowledged.at(-1)! + 4);
    expect(readOffsets(log)).toEqual(acknowledged);
    expect(log.offlineError).toBeNull();

    // Crash and recover on the full disk: every acknowledged batch is there, nothing else.
    for (const s of log.logSegments) s.log.close();
    const recovered = PartitionLog.open({ dir, topic: 'full', partition: 0, config, logger });
    expect(recovered.logEndOffset).toBe(leo);
    expect(readOffsets(recovered)).toEqual(acknowledged);
    expect(recovered.recoveryTruncations).toEqual([]);

    // Space freed: appends resume at the log end.
    fs.unlinkSync(filler);
    expect(recovered.appendAsLeader(testBatch({ count: 4, valueSize: 1000 }), 0).baseOffset).toBe(leo);
    recovered.close();
  });
});
