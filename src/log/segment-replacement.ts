/**
 * Taking segments out of a partition's log and swapping cleaned ones in (Kafka's
 * LocalLog.removeAndDeleteSegments, deleteSegmentFiles and replaceSegments). PartitionLog owns the
 * log's state and calls these synchronously, so no await splits a change of the segment list from
 * the renames that go with it.
 *
 * File suffixes a segment passes through:
 * - deletion: live → `.deleted` at once (the fd is closed, readers holding a region keep theirs),
 *   unlinked after file.delete.delay.ms (at once if 0); a restart deletes leftover `.deleted` files.
 * - the cleaner's swap, of a segment opened with `.cleaned` taking the place of `old` (consecutive
 *   inactive segments, the first with the same base offset):
 *     1. cleaned files `.cleaned` → `.swap`    (a crash from here on: recovery finishes the swap)
 *     2. the in-memory segment list changes
 *     3. each old segment's files → `.deleted`, deleted after file.delete.delay.ms
 *     4. `.swap` → live names, then the directory is fsynced
 *   A crash before 1 leaves `.cleaned` files that recovery deletes (the old segments are intact).
 */
import { fsyncDirSync } from './checkpoint-file.js';
import { LogError } from './log-error.js';
import { CLEANED_FILE_SUFFIX, DELETED_FILE_SUFFIX, type LogSegment, SWAP_FILE_SUFFIX } from './log-segment.js';
import type { LogSegments } from './log-segments.js';
import type { LogLogger } from './time.js';

/** The steps of the cleaner's swap, after each of which a crash test may stop the process. */
export type SwapStep = 'cleaned-to-swap' | 'old-to-deleted' | 'swap-to-live';

/** What these helpers need of a PartitionLog: its directory, segment list and delete delay. */
export interface SegmentFilesContext {
  /** `<topic>-<partition>`, for messages. */
  readonly name: string;
  readonly dir: string;
  readonly segments: LogSegments;
  readonly fileDeleteDelayMs: number;
  readonly logger: LogLogger;
}

/** Throws ILLEGAL_STATE unless `deletable` is a prefix of `all` (only the oldest segments may be deleted). */
export function checkSegmentPrefix(name: string, all: readonly LogSegment[], deletable: readonly LogSegment[]): void {
  for (let i = 0; i < deletable.length; i++) {
    if (all[i] !== deletable[i])
      throw new LogError('ILLEGAL_STATE', `${name}: can only delete a prefix of the segments`);
  }
}

/** Takes segments out of the list and deletes their files (see the header). */
export function removeAndDeleteSegments(ctx: SegmentFilesContext, segments: readonly LogSegment[]): void {
  for (const segment of segments) ctx.segments.remove(segment.baseOffset);
  deleteSegmentFiles(ctx, segments);
}

/** Renames each segment's files to `.deleted` and closes it; unlinks them after file.delete.delay.ms. */
export function deleteSegmentFiles(
  ctx: SegmentFilesContext,
  segments: readonly LogSegment[],
  afterEach?: () => void,
): void {
  for (const segment of segments) {
    segment.changeFileSuffixes('', DELETED_FILE_SUFFIX);
    segment.log.close();
    afterEach?.();
  }
  const deleteAll = (): void => {
    for (const segment of segments) {
      try {
        segment.deleteFiles();
      } catch (err) {
        ctx.logger.warn(`${ctx.name}: ${String(err)}`);
      }
    }
  };
  if (segments.length === 0) return;
  if (ctx.fileDeleteDelayMs <= 0) deleteAll();
  else setTimeout(deleteAll, Math.min(ctx.fileDeleteDelayMs, 0x7fffffff)).unref();
}

/**
 * Whether `cleaned` may replace `old`: false if `old` is no longer what the log holds (retention,
 * DeleteRecords or a truncation ran while the cleaner worked) or includes the active segment. Throws
 * ILLEGAL_STATE if `old` does not start at the cleaned segment's base offset.
 */
export function canReplaceSegments(
  name: string,
  segments: LogSegments,
  cleaned: LogSegment,
  old: readonly LogSegment[],
): boolean {
  if (old.length === 0 || old[0]!.baseOffset !== cleaned.baseOffset) {
    throw new LogError(
      'ILLEGAL_STATE',
      `${name}: cleaned segment ${cleaned.baseOffset} does not replace ${old[0]?.baseOffset}`,
    );
  }
  const active = segments.activeSegment;
  for (const s of old) if (segments.get(s.baseOffset) !== s || s === active) return false;
  return true;
}

/**
 * Steps 1–4 of the swap (see the header), after canReplaceSegments said yes. `killPoint` is for crash
 * tests: it may throw after a step to simulate a crash there.
 */
export function swapInCleanedSegment(
  ctx: SegmentFilesContext,
  cleaned: LogSegment,
  old: readonly LogSegment[],
  killPoint?: (step: SwapStep) => void,
): void {
  cleaned.changeFileSuffixes(CLEANED_FILE_SUFFIX, SWAP_FILE_SUFFIX);
  killPoint?.('cleaned-to-swap');
  ctx.segments.add(cleaned);
  for (const s of old.slice(1)) ctx.segments.remove(s.baseOffset);
  deleteSegmentFiles(ctx, old, () => killPoint?.('old-to-deleted'));
  cleaned.changeFileSuffixes(SWAP_FILE_SUFFIX, '');
  killPoint?.('swap-to-live');
  try {
    fsyncDirSync(ctx.dir);
  } catch (err) {
    throw new LogError('KAFKA_STORAGE_ERROR', `cannot fsync ${ctx.dir}`, { file: ctx.dir }, { cause: err });
  }
}
