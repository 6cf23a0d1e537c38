/**
 * Time- and size-based retention (Kafka's UnifiedLog.deleteOldSegments and LocalLog.deletableSegments).
 *
 * Rules, checked in this order, each deleting a prefix of whole segments:
 * 1. log start offset: a segment whose successor starts at or below logStartOffset (DeleteRecords
 *    moved the start past all of it). Applies under every cleanup.policy.
 * 2. retention.bytes (cleanup.policy delete, value >= 0): while the log is larger than the limit,
 *    the oldest segments whose removal keeps it at or above the limit (`size - limit` is the budget).
 * 3. retention.ms (cleanup.policy delete, value >= 0): segments whose largest timestamp (the greatest
 *    batch max timestamp, or the file's mtime if no batch has one) is more than retention.ms old.
 *
 * Every rule stops at the first segment that does not qualify, never deletes a segment holding
 * offsets at or above the high watermark (so the log start offset never passes it), and never
 * deletes an empty active segment. When every segment qualifies, the active one is rolled first and
 * the old segments deleted, leaving an empty active segment at the log end (as Kafka does). The log
 * start offset moves to the first remaining segment's base offset. Deleted segments are renamed to
 * `.deleted` and unlinked after file.delete.delay.ms; readers holding a region of one finish reading
 * it through their retained fd (see SegmentFile).
 */
import { isDeletePolicy } from './log-config.js';
import type { LogSegment } from './log-segment.js';
import type { PartitionLog } from './partition-log.js';
import type { LogLogger } from './time.js';

/** Decides whether `segment` (followed by `next`, or the log end if it is the last) may go. */
type SegmentPredicate = (segment: LogSegment, next: LogSegment | undefined) => boolean;

/** Kafka's deletableSegments: the longest prefix of segments satisfying `predicate`, never an empty active segment. */
export function deletableSegments(log: PartitionLog, predicate: SegmentPredicate): LogSegment[] {
  const all = log.logSegments;
  const out: LogSegment[] = [];
  for (let i = 0; i < all.length; i++) {
    const segment = all[i]!;
    const next = all[i + 1];
    const upperBound = next?.baseOffset ?? log.logEndOffset;
    const isLastAndEmpty = next === undefined && segment.size === 0;
    if (log.highWatermark < upperBound || isLastAndEmpty || !predicate(segment, next)) break;
    out.push(segment);
  }
  return out;
}

/** Rule 1: segments wholly below the log start offset. */
export function logStartOffsetBreached(log: PartitionLog): LogSegment[] {
  const start = log.logStartOffset;
  return deletableSegments(log, (_, next) => next !== undefined && next.baseOffset <= start);
}

/** Rule 2: the oldest segments beyond retention.bytes. */
export function retentionSizeBreached(log: PartitionLog): LogSegment[] {
  const limit = log.config.retentionBytes;
  const size = log.size;
  if (limit < 0 || size < limit) return [];
  let diff = size - limit;
  return deletableSegments(log, (segment) => {
    if (diff - segment.size < 0) return false;
    diff -= segment.size;
    return true;
  });
}

/** Rule 3: segments older than retention.ms. */
export function retentionMsBreached(log: PartitionLog, now: number): LogSegment[] {
  const retentionMs = log.config.retentionMs;
  if (retentionMs < 0) return [];
  return deletableSegments(log, (segment) => now - segment.largestTimestamp > retentionMs);
}

/** Applies the three rules in Kafka's order; returns the number of segments deleted. */
export function deleteOldSegments(log: PartitionLog, now: number, logger: LogLogger): number {
  const step = (deletable: LogSegment[], reason: string): number => {
    if (deletable.length === 0) return 0;
    const from = deletable[0]!.baseOffset;
    const to = deletable.at(-1)!.baseOffset;
    const n = log.deleteSegments(deletable);
    if (n > 0) {
      logger.info(
        `${log.name}: deleted ${n} segment(s) (base offsets ${from}..${to}) due to ${reason}; log start offset ${log.logStartOffset}`,
      );
    }
    return n;
  };
  let deleted = step(logStartOffsetBreached(log), 'log start offset breach');
  if (!isDeletePolicy(log.config)) return deleted;
  deleted += step(retentionSizeBreached(log), `retention.bytes ${log.config.retentionBytes}`);
  deleted += step(retentionMsBreached(log, now), `retention.ms ${log.config.retentionMs}`);
  return deleted;
}
