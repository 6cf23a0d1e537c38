/**
 * What the log checks and patches in a batch group before writing it, and what it reports back
 * (Kafka's analyzeAndValidateRecords, the offset assignment of LogValidator, and LogAppendInfo).
 *
 * Batches are opaque beyond their 61-byte header. The broker has validated them (records, CRC,
 * compression) for a leader append; the log still checks every header (size, magic, lastOffsetDelta)
 * so a bad length can never make it write a partial batch. A follower append is checked further:
 * CRC-32C and strictly increasing offsets. Nothing is written unless the whole group passes.
 */
import { RecordBatch, TimestampType } from '../protocol/records/record-batch.js';
import {
  baseOffsetAt,
  batchSizeAt,
  headerProblemAt,
  isCrcValidAt,
  lastOffsetDeltaAt,
  maxTimestampAt,
  setBaseOffsetAt,
  setPartitionLeaderEpochAt,
} from './batch-header.js';
import { LogError } from './log-error.js';

/** What an append did (Kafka's LogAppendInfo). Timestamps are -1 when the batches carry none. */
export interface LogAppendInfo {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  /** The last offset of the first batch holding maxTimestamp (Kafka's shallowOffsetOfMaxTimestamp). */
  readonly offsetOfMaxTimestamp: number;
  /** The broker time stamped into the batches with message.timestamp.type=LogAppendTime, else -1. */
  readonly logAppendTime: number;
  readonly logStartOffset: number;
  readonly validBytes: number;
  readonly batchCount: number;
}

export function emptyAppendInfo(logStartOffset: number): LogAppendInfo {
  return {
    baseOffset: -1,
    lastOffset: -1,
    maxTimestamp: -1,
    offsetOfMaxTimestamp: -1,
    logAppendTime: -1,
    logStartOffset,
    validBytes: 0,
    batchCount: 0,
  };
}

/** The shape of a batch group. Offsets are the batches' own (meaningful for a follower append only). */
export interface BatchGroup {
  readonly bytes: number;
  readonly batchCount: number;
  /** Sum of (lastOffsetDelta + 1): the offsets a leader append assigns. */
  readonly offsetCount: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly offsetOfMaxTimestamp: number;
}

export function toBuffers(records: Buffer | readonly Buffer[]): readonly Buffer[] {
  return Buffer.isBuffer(records) ? [records] : records;
}

/**
 * Checks every header (and for a follower every CRC and offset order) before any byte is written.
 * CORRUPT_MESSAGE, INVALID_RECORD, or RECORD_LIST_TOO_LARGE beyond segment.bytes.
 */
export function analyzeBatches(
  name: string,
  buffers: readonly Buffer[],
  follower: boolean,
  segmentBytes: number,
): BatchGroup {
  let bytes = 0;
  let batchCount = 0;
  let offsetCount = 0;
  let firstOffset = -1;
  let lastOffset = -1;
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  for (const buf of buffers) {
    for (let at = 0; at < buf.length;) {
      const problem = headerProblemAt(buf, at, buf.length);
      const size = problem === null ? batchSizeAt(buf, at) : 0;
      if (problem !== null || at + size > buf.length) {
        throw new LogError('CORRUPT_MESSAGE', `${name}: batch at byte ${at}: ${problem ?? 'runs past the records'}`);
      }
      const delta = lastOffsetDeltaAt(buf, at);
      if (follower) {
        if (!isCrcValidAt(buf, at, size)) throw new LogError('CORRUPT_MESSAGE', `${name}: batch CRC mismatch`);
        const base = baseOffsetAt(buf, at);
        if (base <= lastOffset) {
          throw new LogError('INVALID_RECORD', `${name}: offsets out of order: ${base} after ${lastOffset}`);
        }
        if (firstOffset < 0) firstOffset = base;
        lastOffset = base + delta;
      }
      const ts = maxTimestampAt(buf, at);
      if (ts > maxTimestamp) {
        maxTimestamp = ts;
        offsetOfMaxTimestamp = lastOffset;
      }
      offsetCount += delta + 1;
      bytes += size;
      batchCount++;
      at += size;
    }
  }
  if (bytes > segmentBytes) {
    throw new LogError(
      'RECORD_LIST_TOO_LARGE',
      `${name}: ${bytes} bytes to append exceed segment.bytes ${segmentBytes}`,
    );
  }
  return { bytes, batchCount, offsetCount, firstOffset, lastOffset, maxTimestamp, offsetOfMaxTimestamp };
}

/**
 * Patches baseOffset (from `firstOffset` on) and partitionLeaderEpoch into every batch, both outside
 * the CRC; with `logAppendTime` >= 0 also the timestamp type and maxTimestamp (CRC recomputed).
 */
export function assignOffsetsAsLeader(
  buffers: readonly Buffer[],
  firstOffset: number,
  leaderEpoch: number,
  logAppendTime: number,
): { maxTimestamp: number; offsetOfMaxTimestamp: number } {
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  let next = firstOffset;
  for (const buf of buffers) {
    for (let at = 0; at < buf.length;) {
      const size = batchSizeAt(buf, at);
      setBaseOffsetAt(buf, at, next);
      setPartitionLeaderEpochAt(buf, at, leaderEpoch);
      const batchLast = next + lastOffsetDeltaAt(buf, at);
      if (logAppendTime >= 0) {
        new RecordBatch(buf.subarray(at, at + size)).setMaxTimestamp(TimestampType.LOG_APPEND_TIME, logAppendTime);
      }
      const ts = maxTimestampAt(buf, at);
      if (ts > maxTimestamp) {
        maxTimestamp = ts;
        offsetOfMaxTimestamp = batchLast;
      }
      next = batchLast + 1;
      at += size;
    }
  }
  return { maxTimestamp, offsetOfMaxTimestamp };
}
