import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordBatch, TimestampType } from '../protocol/records/record-batch.js';
import { readRecordBatches } from '../protocol/records/batch-iterator.js';
import { readRegion } from './fetch-data-info.js';
import type { LogConfig } from './log-config.js';
import { LogError } from './log-error.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP, PartitionLog } from './partition-log.js';
import { ManualTime, MemoryLogger, makeTmpDir, removeTmpDir, testBatch, testConfig } from './testing/test-batches.js';

let root: string;
let time: ManualTime;
beforeEach(() => {
  root = makeTmpDir();
  time = new ManualTime();
});
afterEach(() => removeTmpDir(root));

function open(
  overrides: Partial<LogConfig> = {},
  extra: { hadCleanShutdown?: boolean; recoveryPoint?: number } = {},
): PartitionLog {
  return PartitionLog.open({
    dir: path.join(root, 'orders-0'),
    topic: 'orders',
    partition: 0,
    config: testConfig(overrides),
    time,
    logger: new MemoryLogger(),
    ...extra,
  });
}

function readAll(log: PartitionLog, from: number, maxBytes = 1 << 20): { bytes: Buffer; next: number } {
  const info = log.read(from, { maxBytes, isolation: 'LOG_END', minOneMessage: true });
  const bytes = readRegion(info.region);
  info.release();
  return { bytes, next: info.nextOffset };
}

function baseOffsets(bytes: Buffer): number[] {
  return readRecordBatches(bytes).batches.map((b) => b.baseOffset);
}

describe('PartitionLog appends', () => {
  it('assigns offsets and the leader epoch in place and returns LogAppendInfo', () => {
    const log = open();
    const a = testBatch({ count: 3, timestamp: 5000 });
    const b = testBatch({ count: 2, timestamp: 7000 });
    const info = log.appendAsLeader([a, b], 4);
    expect(info).toMatchObject({
      baseOffset: 0,
      lastOffset: 4,
      maxTimestamp: 7001,
      offsetOfMaxTimestamp: 4,
      logAppendTime: -1,
    });
    expect(info.validBytes).toBe(a.length + b.length);
    expect(new RecordBatch(b).baseOffset).toBe(3);
    expect(new RecordBatch(b).partitionLeaderEpoch).toBe(4);
    expect(new RecordBatch(b).isValid()).toBe(true);
    expect(log.logEndOffset).toBe(5);
    expect(log.leaderEpochCache.entries).toEqual([{ epoch: 4, startOffset: 0 }]);
    const second = log.appendAsLeader(testBatch({ count: 1 }), 6);
    expect(second.baseOffset).toBe(5);
    expect(log.endOffsetForEpoch(4)).toEqual({ leaderEpoch: 4, endOffset: 5 });
    expect(log.endOffsetForEpoch(6)).toEqual({ leaderEpoch: 6, endOffset: 6 });
    expect(baseOffsets(readAll(log, 0).bytes)).toEqual([0, 3, 5]);
    log.close();
  });

  it('stamps LogAppendTime into the batch header and recomputes the CRC', () => {
    const log = open({ messageTimestampType: 'LogAppendTime' });
    const b = testBatch({ count: 2, timestamp: 10 });
    const info = log.appendAsLeader(b, 0);
    expect(info.logAppendTime).toBe(time.now);
    expect(info.maxTimestamp).toBe(time.now);
    const stored = new RecordBatch(readAll(log, 0).bytes);
    expect(stored.timestampType).toBe(TimestampType.LOG_APPEND_TIME);
    expect(stored.maxTimestamp).toBe(time.now);
    expect(stored.isValid()).toBe(true);
    log.close();
  });

  it('rejects malformed batches and appends larger than segment.bytes', () => {
    const log = open({ segmentBytes: 500 });
    const bad = testBatch();
    bad.writeInt8(1, 16);
    expect(() => log.appendAsLeader(bad, 0)).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE' }));
    expect(() => log.appendAsLeader(testBatch({ valueSize: 600 }), 0)).toThrow(
      expect.objectContaining({ code: 'RECORD_LIST_TOO_LARGE' }),
    );
    expect(log.logEndOffset).toBe(0);
    log.close();
  });

  it('appends as follower keeping offsets, checking CRC and order, learning epochs', () => {
    const log = open();
    log.appendAsFollower([
      testBatch({ baseOffset: 0, count: 2, partitionLeaderEpoch: 1 }),
      testBatch({ baseOffset: 5, partitionLeaderEpoch: 2 }),
    ]);
    expect(log.logEndOffset).toBe(6);
    expect(log.leaderEpochCache.entries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 5 },
    ]);
    expect(() => log.appendAsFollower(testBatch({ baseOffset: 4 }))).toThrow(
      expect.objectContaining({ code: 'INVALID_RECORD' }),
    );
    expect(() => log.appendAsFollower([testBatch({ baseOffset: 8 }), testBatch({ baseOffset: 8 })])).toThrow(
      expect.objectContaining({ code: 'INVALID_RECORD' }),
    );
    const corrupt = testBatch({ baseOffset: 10 });
    corrupt[corrupt.length - 1]! ^= 0xff;
    expect(() => log.appendAsFollower(corrupt)).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE' }));
    expect(log.appendAsFollower(Buffer.alloc(0)).batchCount).toBe(0);
    expect(log.logEndOffset).toBe(6);
    log.close();
  });
});

describe('PartitionLog reads', () => {
  it('honours max bytes with KIP-74, never returns a partial batch, and stops at the high watermark', () => {
    const log = open();
    const size = testBatch({ count: 2 }).length;
    for (let i = 0; i < 10; i++) log.appendAsLeader(testBatch({ count: 2 }), 0);
    const r = log.read(4, { maxBytes: size * 3 + 10, isolation: 'LOG_END', minOneMessage: false });
    expect(r.region?.length).toBe(size * 3);
    expect(r.nextOffset).toBe(10);
    expect(baseOffsets(readRegion(r.region))).toEqual([4, 6, 8]);
    r.release();
    const tiny = log.read(4, { maxBytes: 1, isolation: 'LOG_END', minOneMessage: false });
    expect(tiny.region).toBeNull();
    const one = log.read(5, { maxBytes: 1, isolation: 'LOG_END', minOneMessage: true });
    expect(baseOffsets(readRegion(one.region))).toEqual([4]);
    expect(one.nextOffset).toBe(6);
    one.release();
    expect(log.read(0, { maxBytes: 1 << 20, isolation: 'HIGH_WATERMARK', minOneMessage: true }).region).toBeNull();
    log.updateHighWatermark(7);
    const hw = log.read(0, { maxBytes: 1 << 20, isolation: 'HIGH_WATERMARK', minOneMessage: true });
    expect(baseOffsets(readRegion(hw.region))).toEqual([0, 2, 4]);
    expect(hw.nextOffset).toBe(6);
    hw.release();
    const lso = log.read(0, { maxBytes: 1 << 20, isolation: 'LOG_END', maxOffset: 4, minOneMessage: true });
    expect(baseOffsets(readRegion(lso.region))).toEqual([0, 2]);
    lso.release();
    expect(log.read(20, { maxBytes: 100, isolation: 'LOG_END', minOneMessage: true }).region).toBeNull();
    expect(() => log.read(21, { maxBytes: 100, isolation: 'LOG_END', minOneMessage: true })).toThrow(
      expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }),
    );
    expect(log.updateHighWatermark(100)).toBe(20);
    log.close();
  });

  it('reads one segment at a time and moves on to the next', () => {
    const log = open({ segmentBytes: 300 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(testBatch({ valueSize: 50 }), 0);
    expect(log.numberOfSegments).toBeGreaterThan(2);
    const offsets: number[] = [];
    let next = 0;
    while (next < log.logEndOffset) {
      const r = readAll(log, next);
      offsets.push(...baseOffsets(r.bytes));
      next = r.next;
    }
    expect(offsets).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    log.close();
  });

  it('lets a reader finish a region of a segment deleted meanwhile', () => {
    const log = open({ segmentBytes: 300 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(testBatch({ valueSize: 50 }), 0);
    log.updateHighWatermark(log.logEndOffset);
    const info = log.read(0, { maxBytes: 1 << 20, isolation: 'HIGH_WATERMARK', minOneMessage: true });
    const firstSegmentFile = log.logSegments[0]!.log.path;
    expect(log.deleteRecordsBefore(8)).toBe(8);
    expect(fs.existsSync(firstSegmentFile)).toBe(false);
    expect(baseOffsets(readRegion(info.region))[0]).toBe(0);
    info.release();
    expect(() => log.read(0, { maxBytes: 100, isolation: 'LOG_END', minOneMessage: true })).toThrow(
      expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }),
    );
    expect(() => log.deleteRecordsBefore(11)).toThrow(expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }));
    log.close();
  });
});

describe('PartitionLog offsets by timestamp', () => {
  it('answers ListOffsets -2, -1, -3 and a timestamp at record level', () => {
    const log = open();
    log.appendAsLeader(testBatch({ timestamps: [100, 300, 200] }), 1);
    log.appendAsLeader(testBatch({ timestamps: [400, 500] }), 2);
    log.appendAsLeader(testBatch({ timestamps: [450] }), 2);
    expect(log.fetchOffsetByTimestamp(EARLIEST_TIMESTAMP)).toEqual({ timestamp: -1, offset: 0, leaderEpoch: 1 });
    expect(log.fetchOffsetByTimestamp(LATEST_TIMESTAMP)).toEqual({ timestamp: -1, offset: 6, leaderEpoch: 2 });
    expect(log.fetchOffsetByTimestamp(MAX_TIMESTAMP)).toEqual({ timestamp: 500, offset: 4, leaderEpoch: 2 });
    expect(log.fetchOffsetByTimestamp(150)).toEqual({ timestamp: 300, offset: 1, leaderEpoch: 1 });
    expect(log.fetchOffsetByTimestamp(350)).toEqual({ timestamp: 400, offset: 3, leaderEpoch: 2 });
    expect(log.fetchOffsetByTimestamp(501)).toBeNull();
    log.close();
  });
});

describe('PartitionLog rolls', () => {
  it('rolls on segment.bytes, segment.ms, full index and offset overflow', () => {
    const log = open({ segmentBytes: 1000, segmentMs: 60_000, segmentIndexBytes: 32, indexIntervalBytes: 0 });
    log.appendAsLeader(testBatch({ valueSize: 300, timestamp: -1 }), 0);
    log.appendAsLeader(testBatch({ valueSize: 300, timestamp: -1 }), 0);
    expect(log.numberOfSegments).toBe(1);
    log.appendAsLeader(testBatch({ valueSize: 400, timestamp: -1 }), 0);
    expect(log.logSegments.map((s) => s.baseOffset)).toEqual([0, 2]);
    time.sleep(60_001);
    log.appendAsLeader(testBatch({ timestamp: -1 }), 0);
    expect(log.logSegments.map((s) => s.baseOffset)).toEqual([0, 2, 3]);
    for (let i = 0; i < 4; i++) log.appendAsLeader(testBatch({ timestamp: -1 }), 0);
    expect(log.activeSegment.offsetIndex.isFull).toBe(true);
    log.appendAsLeader(testBatch({ timestamp: -1 }), 0);
    expect(log.activeSegment.baseOffset).toBe(8);
    log.appendAsFollower(testBatch({ baseOffset: 9 + 2 ** 31, timestamp: -1 }));
    expect(log.activeSegment.baseOffset).toBe(9 + 2 ** 31);
    expect(log.logEndOffset).toBe(10 + 2 ** 31);
    log.close();
  });

  it('flushes a rolled segment in the background and moves the recovery point', async () => {
    const log = open();
    log.appendAsLeader(testBatch({ count: 5 }), 0);
    expect(log.recoveryPoint).toBe(0);
    log.roll();
    await log.flush();
    expect(log.recoveryPoint).toBe(5);
    log.close();
  });
});

describe('PartitionLog flush', () => {
  it('group-commits: concurrent flushes share one queued flush', async () => {
    const log = open();
    log.appendAsLeader(testBatch(), 0);
    const first = log.flush();
    log.appendAsLeader(testBatch(), 0);
    const second = log.flush();
    log.appendAsLeader(testBatch(), 0);
    const third = log.flush();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(log.recoveryPoint).toBe(3);
    expect(log.unflushedMessages).toBe(0);
    log.close();
  });

  it('flushes on its own after flush.messages', async () => {
    const log = open({ flushMessages: 3 });
    const segment = log.activeSegment;
    const flushLog = segment.flushLog.bind(segment);
    let syncs = 0;
    segment.flushLog = () => {
      syncs++;
      return flushLog();
    };
    log.appendAsLeader(testBatch({ count: 2 }), 0);
    expect(syncs).toBe(0);
    log.appendAsLeader(testBatch({ count: 1 }), 0);
    expect(syncs).toBe(1);
    await log.flush();
    expect(log.recoveryPoint).toBe(3);
    log.close();
  });
});

describe('PartitionLog truncation', () => {
  it('truncateTo removes whole batches and later segments and lowers the offsets', () => {
    const log = open({ segmentBytes: 400 });
    for (let i = 0; i < 12; i++) log.appendAsLeader(testBatch({ count: 2, valueSize: 40 }), i < 6 ? 1 : 2);
    log.updateHighWatermark(20);
    const segmentsBefore = log.numberOfSegments;
    expect(log.truncateTo(30)).toBe(false);
    expect(log.truncateTo(10)).toBe(true);
    expect(log.logEndOffset).toBe(10);
    expect(log.highWatermark).toBe(10);
    expect(log.numberOfSegments).toBeLessThan(segmentsBefore);
    expect(log.leaderEpochCache.entries).toEqual([{ epoch: 1, startOffset: 0 }]);
    expect(baseOffsets(readAll(log, 0).bytes).at(-1)).toBeLessThan(10);
    const info = log.appendAsLeader(testBatch(), 3);
    expect(info.baseOffset).toBe(10);
    log.close();
    const files = fs.readdirSync(path.join(root, 'orders-0'));
    expect(files.filter((f) => f.endsWith('.deleted'))).toEqual([]);
  });

  it('truncateFullyAndStartAt starts an empty log at the offset', () => {
    const log = open();
    for (let i = 0; i < 5; i++) log.appendAsLeader(testBatch(), 1);
    log.truncateFullyAndStartAt(100);
    expect(log.logStartOffset).toBe(100);
    expect(log.logEndOffset).toBe(100);
    expect(log.logSegments.map((s) => s.baseOffset)).toEqual([100]);
    expect(log.leaderEpochCache.entries).toEqual([]);
    log.appendAsFollower(testBatch({ baseOffset: 100, partitionLeaderEpoch: 5 }));
    expect(log.logEndOffset).toBe(101);
    log.close();
    const reopened = open({}, { hadCleanShutdown: true });
    expect(reopened.logStartOffset).toBe(100);
    expect(reopened.logEndOffset).toBe(101);
    reopened.close();
  });
});

describe('PartitionLog reopen', () => {
  it('reopens after a clean close with the same offsets, indexes and data', () => {
    const log = open({ segmentBytes: 2000, indexIntervalBytes: 100 });
    for (let i = 0; i < 40; i++) log.appendAsLeader(testBatch({ count: 2, valueSize: 30 }), 0);
    const before = readAll(log, 0, 1 << 30);
    const segments = log.logSegments.map((s) => [s.baseOffset, s.offsetIndex.entries]);
    log.close();
    expect(log.recoveryPoint).toBe(80);
    const again = open({ segmentBytes: 2000, indexIntervalBytes: 100 }, { hadCleanShutdown: true });
    expect(again.logEndOffset).toBe(80);
    expect(again.logSegments.map((s) => [s.baseOffset, s.offsetIndex.entries])).toEqual(segments);
    expect(readAll(again, 0, 1 << 30).bytes.equals(before.bytes)).toBe(true);
    again.close();
  });

  it('is closed after close()', () => {
    const log = open();
    log.close();
    expect(() => log.appendAsLeader(testBatch(), 0)).toThrow(LogError);
  });
});
