import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegion } from './fetch-data-info.js';
import type { LogConfig } from './log-config.js';
import { DEFAULT_LOG_MANAGER_CONFIG, LogManager } from './log-manager.js';
import { PartitionLog } from './partition-log.js';
import { ManualTime, MemoryLogger, makeTmpDir, removeTmpDir, testBatch, testConfig } from './testing/test-batches.js';

let root: string;
let time: ManualTime;
beforeEach(() => {
  root = makeTmpDir();
  time = new ManualTime(1_000_000);
});
afterEach(() => removeTmpDir(root));

function open(overrides: Partial<LogConfig>): PartitionLog {
  return PartitionLog.open({
    dir: path.join(root, 't-0'),
    topic: 't',
    partition: 0,
    config: testConfig({ segmentBytes: 200, ...overrides }),
    time,
    logger: new MemoryLogger(),
  });
}

/** Appends `n` one-record batches (≈80 bytes: two a segment at segment.bytes 200) with timestamps ts, ts+1, ... */
function fill(log: PartitionLog, n: number, ts: number): void {
  for (let i = 0; i < n; i++) log.appendAsLeader(testBatch({ timestamp: ts + i }), 0);
  log.updateHighWatermark(log.logEndOffset);
}
const bases = (log: PartitionLog): number[] => log.logSegments.map((s) => s.baseOffset);

describe('retention', () => {
  it('retention.ms deletes whole segments by their largest timestamp and moves the log start offset', () => {
    const log = open({ retentionMs: 10_000 });
    fill(log, 6, 100_000); // segments [0,1] [2,3] [4,5]
    fill(log, 2, 995_000); // [6,7] recent
    expect(bases(log)).toEqual([0, 2, 4, 6]);
    expect(log.deleteOldSegments()).toBe(3);
    expect(bases(log)).toEqual([6]);
    expect(log.logStartOffset).toBe(6);
    expect(() => log.read(5, { maxBytes: 100, isolation: 'LOG_END', minOneMessage: true })).toThrow(
      expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }),
    );
    expect(log.deleteOldSegments()).toBe(0);
    log.close();
  });

  it('rolls an active segment that is wholly expired, then deletes it (the log keeps an empty one)', () => {
    const log = open({ retentionMs: 10_000 });
    fill(log, 3, 100_000);
    expect(log.deleteOldSegments()).toBe(2);
    expect(bases(log)).toEqual([3]);
    expect(log.activeSegment.size).toBe(0);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([3, 3]);
    // An empty active segment is never deleted.
    expect(log.deleteOldSegments()).toBe(0);
    log.close();
  });

  it('never deletes at or above the high watermark', () => {
    const log = open({ retentionMs: 10_000 });
    fill(log, 6, 100_000);
    log.updateHighWatermark(3);
    expect(log.deleteOldSegments()).toBe(1);
    expect(bases(log)).toEqual([2, 4]);
    expect(log.logStartOffset).toBe(2);
    log.close();
  });

  it('retention.bytes deletes the oldest segments while the rest stays at or above the limit', () => {
    const log = open({ retentionMs: -1 });
    fill(log, 8, 1_000_000);
    const segSize = log.logSegments[0]!.size;
    const limit = log.size - 2 * segSize - 1;
    log.updateConfig(testConfig({ segmentBytes: 200, retentionMs: -1, retentionBytes: limit }));
    expect(log.deleteOldSegments()).toBe(2);
    expect(log.size).toBeGreaterThanOrEqual(limit);
    expect(bases(log)).toEqual([4, 6]);
    log.close();
  });

  it('uses the file mtime for segments without timestamps', () => {
    const log = open({ retentionMs: 10_000 });
    for (let i = 0; i < 4; i++) log.appendAsLeader(testBatch({ timestamp: -1 }), 0);
    log.updateHighWatermark(4);
    time.now = Date.now();
    expect(log.deleteOldSegments()).toBe(0);
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(log.logSegments[0]!.log.path, old, old);
    expect(log.deleteOldSegments()).toBe(1);
    log.close();
  });

  it('under cleanup.policy compact only deletes segments below the log start offset', () => {
    const log = open({ retentionMs: 10, retentionBytes: 1, cleanupPolicy: ['compact'] });
    fill(log, 6, 100_000);
    expect(log.deleteOldSegments()).toBe(0);
    log.deleteRecordsBefore(3);
    expect(bases(log)).toEqual([2, 4]); // DeleteRecords deletes what is wholly below at once
    log.close();
  });

  it('lets a reader holding a region of a deleted segment finish its read', () => {
    const log = open({ retentionMs: 10_000, fileDeleteDelayMs: 0 });
    fill(log, 4, 100_000);
    const info = log.read(0, { maxBytes: 1000, isolation: 'LOG_END', minOneMessage: true });
    const file = log.logSegments[0]!.log.path;
    fill(log, 2, 999_000);
    expect(log.deleteOldSegments()).toBe(2);
    expect(fs.existsSync(file)).toBe(false);
    const bytes = readRegion(info.region);
    expect(bytes.length).toBe(info.sizeInBytes);
    expect(bytes.readInt32BE(8) + 12).toBeLessThanOrEqual(bytes.length);
    info.release();
    log.close();
  });

  it('with file.delete.delay.ms renames to .deleted first', () => {
    const log = open({ retentionMs: 10_000, fileDeleteDelayMs: 20 });
    fill(log, 4, 100_000);
    fill(log, 1, 999_000);
    expect(log.deleteOldSegments()).toBe(2);
    const names = fs.readdirSync(log.dir);
    expect(names.filter((n) => n.endsWith('.log.deleted'))).toHaveLength(2);
    log.close();
  });
});

describe('LogManager.cleanupLogs', () => {
  it('applies retention to every log', async () => {
    const manager = LogManager.open(
      { ...DEFAULT_LOG_MANAGER_CONFIG, logDirs: [root], cleanerEnable: false },
      { time, logger: new MemoryLogger(), topicConfig: () => testConfig({ segmentBytes: 200, retentionMs: 10_000 }) },
    );
    const a = manager.getOrCreateLog('a', 0);
    const b = manager.getOrCreateLog('b', 0);
    fill(a, 4, 100_000);
    fill(b, 4, 999_000);
    expect(manager.cleanupLogs()).toBe(2);
    expect(a.logStartOffset).toBe(4);
    expect(b.logStartOffset).toBe(0);
    await manager.shutdown();
  });
});
