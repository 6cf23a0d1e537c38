/**
 * Which log to clean next and how far (Kafka's LogCleanerManager.cleanableOffsets,
 * maxCompactionDelay, calculateCleanableBytes and grabFilthiestCompactedLog).
 *
 * - firstDirtyOffset: the cleaner-offset-checkpoint's entry, reset to the log start offset when the
 *   entry is missing, below the log start offset or above the log end offset (a truncation).
 * - uncleanable offset: the least of the last stable offset (the high watermark unless the broker
 *   says otherwise), the active segment's base offset, and, with min.compaction.lag.ms > 0, the base
 *   offset of the first dirty inactive segment whose largest timestamp is within the lag of now.
 *   Cleaning stops at the base offset of the segment holding it (firstUncleanableOffset), so a segment
 *   is either wholly cleaned or untouched.
 * - cleanableRatio = dirty bytes / (clean bytes + dirty bytes), by segment sizes. A log is cleaned
 *   when the ratio exceeds min.cleanable.dirty.ratio, or when max.compaction.lag.ms has passed since
 *   its earliest dirty segment's first batch timestamp and it has dirty bytes. Among those, the one
 *   with the highest ratio goes first.
 */
import { cleanerSetting } from '../log-config.js';
import type { LogSegment } from '../log-segment.js';
import type { PartitionLog } from '../partition-log.js';

export interface OffsetsToClean {
  readonly firstDirtyOffset: number;
  readonly firstUncleanableDirtyOffset: number;
  /** The checkpointed offset was invalid and must be rewritten. */
  readonly forceUpdateCheckpoint: boolean;
}

/** Segments overlapping [from, to): from the one holding `from` up to those starting below `to`. */
export function segmentsIn(segments: readonly LogSegment[], from: number, to: number): LogSegment[] {
  const out: LogSegment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.baseOffset >= to) break;
    const next = segments[i + 1];
    if (next !== undefined && next.baseOffset <= from) continue;
    out.push(s);
  }
  return out;
}

/** Kafka's nonActiveLogSegmentsFrom: the inactive segments from the one holding `from`. */
export function nonActiveSegmentsFrom(log: PartitionLog, from: number): LogSegment[] {
  const active = log.activeSegment;
  if (from > active.baseOffset) return [];
  return segmentsIn(log.logSegments, from, active.baseOffset);
}

export function cleanableOffsets(
  log: PartitionLog,
  lastCleanOffset: number | undefined,
  now: number,
  lastStableOffset: number,
): OffsetsToClean {
  const start = log.logStartOffset;
  const checkpoint = lastCleanOffset ?? start;
  const invalid = checkpoint < start || checkpoint > log.logEndOffset;
  const firstDirtyOffset = invalid ? start : checkpoint;
  let uncleanable = Math.min(lastStableOffset, log.activeSegment.baseOffset);
  const lag = Math.max(cleanerSetting(log.config, 'minCompactionLagMs'), 0);
  if (lag > 0) {
    const young = nonActiveSegmentsFrom(log, firstDirtyOffset).find((s) => s.largestTimestamp > now - lag);
    if (young !== undefined) uncleanable = Math.min(uncleanable, young.baseOffset);
  }
  return {
    firstDirtyOffset,
    firstUncleanableDirtyOffset: uncleanable,
    forceUpdateCheckpoint: invalid && lastCleanOffset !== undefined,
  };
}

/** How long past max.compaction.lag.ms the earliest dirty segment is (0 if not). */
export function maxCompactionDelay(log: PartitionLog, firstDirtyOffset: number, now: number): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const s of nonActiveSegmentsFrom(log, firstDirtyOffset)) {
    const ts = s.firstBatchTimestamp;
    if (ts > 0 && ts < earliest) earliest = ts;
  }
  const cleanUntil = now - Math.max(cleanerSetting(log.config, 'maxCompactionLagMs'), 0);
  return earliest < cleanUntil ? cleanUntil - earliest : 0;
}

/** A log and the section the cleaner would clean now (Kafka's LogToClean). */
export interface LogToClean {
  readonly log: PartitionLog;
  readonly firstDirtyOffset: number;
  /** Base offset of the segment holding the uncleanable offset: cleaning stops before it. */
  readonly firstUncleanableOffset: number;
  readonly cleanBytes: number;
  readonly cleanableBytes: number;
  readonly totalBytes: number;
  readonly cleanableRatio: number;
  readonly needCompactionNow: boolean;
  readonly forceUpdateCheckpoint: boolean;
}

export function logToClean(
  log: PartitionLog,
  lastCleanOffset: number | undefined,
  now: number,
  lastStableOffset: number,
): LogToClean {
  const offsets = cleanableOffsets(log, lastCleanOffset, now, lastStableOffset);
  const { firstDirtyOffset } = offsets;
  const segments = log.logSegments;
  const uncleanableSegment = nonActiveSegmentsFrom(log, offsets.firstUncleanableDirtyOffset)[0] ?? log.activeSegment;
  const firstUncleanableOffset = uncleanableSegment.baseOffset;
  let cleanBytes = 0;
  for (const s of segmentsIn(segments, -1, firstDirtyOffset)) cleanBytes += s.size;
  let cleanableBytes = 0;
  for (const s of segmentsIn(segments, Math.min(firstDirtyOffset, firstUncleanableOffset), firstUncleanableOffset)) {
    cleanableBytes += s.size;
  }
  const totalBytes = cleanBytes + cleanableBytes;
  return {
    log,
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    cleanableBytes,
    totalBytes,
    cleanableRatio: totalBytes === 0 ? 0 : cleanableBytes / totalBytes,
    needCompactionNow: maxCompactionDelay(log, firstDirtyOffset, now) > 0,
    forceUpdateCheckpoint: offsets.forceUpdateCheckpoint,
  };
}

/** Kafka's selection: cleanable logs (ratio above the minimum, or overdue with dirty bytes), dirtiest first. */
export function filthiest(candidates: readonly LogToClean[]): LogToClean | null {
  let best: LogToClean | null = null;
  for (const c of candidates) {
    if (c.totalBytes <= 0) continue;
    const minRatio = cleanerSetting(c.log.config, 'minCleanableDirtyRatio');
    const cleanable = (c.needCompactionNow && c.cleanableBytes > 0) || c.cleanableRatio > minRatio;
    if (cleanable && (best === null || c.cleanableRatio > best.cleanableRatio)) best = c;
  }
  return best;
}
