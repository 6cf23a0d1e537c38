/**
 * ListOffsets over a partition's segments (Kafka's UnifiedLog.fetchOffsetByTimestamp).
 *
 * - EARLIEST_TIMESTAMP (-2): the log start offset, with the epoch that wrote it.
 * - LATEST_TIMESTAMP (-1): the log end offset, with the latest epoch (the broker substitutes the high
 *   watermark or last stable offset for consumers).
 * - MAX_TIMESTAMP (-3, KIP-734): the first record carrying the greatest timestamp in the log.
 * - t >= 0: the first record, at or after the log start offset, with timestamp >= t, searching segments
 *   in offset order, from the time index entry at or below t, batch by batch (by max timestamp).
 *
 * The segments and indexes locate the batch; the answer is record-level, as Kafka's: the one batch is
 * read and its records decoded with the records layer. A batch that cannot be decoded (corrupt) is
 * answered at batch level (its max timestamp and first offset) with a warning.
 */
import { RecordBatch } from '../protocol/records/record-batch.js';
import { readRecords } from '../protocol/records/record.js';
import type { LeaderEpochFileCache } from './leader-epoch-cache.js';
import type { BatchPosition, LogSegment } from './log-segment.js';
import type { LogLogger } from './time.js';

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;

export interface TimestampAndOffset {
  readonly timestamp: number;
  readonly offset: number;
  readonly leaderEpoch: number;
}

/** What the lookup needs from a PartitionLog. */
export interface TimestampSearchable {
  readonly name: string;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly logSegments: readonly LogSegment[];
  readonly leaderEpochCache: LeaderEpochFileCache;
}

export function fetchOffsetByTimestamp(
  log: TimestampSearchable,
  targetTimestamp: number,
  logger: LogLogger,
): TimestampAndOffset | null {
  const start = log.logStartOffset;
  if (targetTimestamp === EARLIEST_TIMESTAMP) {
    return { timestamp: -1, offset: start, leaderEpoch: log.leaderEpochCache.epochForOffset(start) };
  }
  if (targetTimestamp === LATEST_TIMESTAMP) {
    return { timestamp: -1, offset: log.logEndOffset, leaderEpoch: log.leaderEpochCache.latestEpoch };
  }
  const segments = log.logSegments;
  if (targetTimestamp === MAX_TIMESTAMP) {
    let best: LogSegment | undefined;
    for (const s of segments) if (best === undefined || s.maxTimestampSoFar > best.maxTimestampSoFar) best = s;
    if (best === undefined || best.maxTimestampSoFar < 0) return null;
    const batch = best.translateOffset(best.offsetOfMaxTimestampSoFar);
    if (batch === null) return null;
    const max = batch.maxTimestamp;
    const epoch = batch.partitionLeaderEpoch >= 0 ? batch.partitionLeaderEpoch : -1;
    return (
      recordAt(log.name, best, batch, (ts) => ts === max, -1, logger) ?? {
        timestamp: max,
        offset: batch.lastOffset,
        leaderEpoch: epoch,
      }
    );
  }
  for (const s of segments) {
    if (s.maxTimestampSoFar < targetTimestamp) continue;
    let found: TimestampAndOffset | null = null;
    s.findBatchByTimestamp(targetTimestamp, start, (batch) => {
      found = recordAt(log.name, s, batch, (ts) => ts >= targetTimestamp, start, logger);
      return found !== null;
    });
    if (found !== null) return found;
  }
  return null;
}

/**
 * The first record of `batch` at or after minOffset whose timestamp matches, or null if none does;
 * the batch itself (its max timestamp, first offset) if its records cannot be decoded.
 */
function recordAt(
  name: string,
  segment: LogSegment,
  batch: BatchPosition,
  matches: (timestamp: number) => boolean,
  minOffset: number,
  logger: LogLogger,
): TimestampAndOffset | null {
  const epoch = batch.partitionLeaderEpoch >= 0 ? batch.partitionLeaderEpoch : -1;
  try {
    const bytes = segment.log.read(batch.position, batch.size);
    for (const record of readRecords(new RecordBatch(bytes))) {
      if (record.offset >= minOffset && matches(record.timestamp)) {
        return { timestamp: record.timestamp, offset: record.offset, leaderEpoch: epoch };
      }
    }
    return null;
  } catch (err) {
    logger.warn(`${name}: cannot decode the batch at ${batch.baseOffset}: ${String(err)}`);
    return { timestamp: batch.maxTimestamp, offset: Math.max(batch.baseOffset, minOffset), leaderEpoch: epoch };
  }
}
