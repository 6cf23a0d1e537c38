/**
 * Loading a partition directory and recovering it after a crash (Kafka's LogLoader and
 * LogSegment.recover).
 *
 * Leftover files are resolved first, as Kafka does: `*.deleted` (segments retention or truncation was
 * deleting) and `*.cleaned` (an unfinished compaction) are deleted; a `*.log.swap` (a finished
 * compaction not yet swapped in) replaces the segments whose offsets it covers and loses its suffix,
 * its index files are rebuilt; `*.tmp` files and index files without a `.log` are deleted.
 *
 * Then every segment is opened. After a clean shutdown (the marker file exists) indexes are trusted
 * after a cheap sanity check. Otherwise every segment from the one holding the recovery point on is
 * recovered: each batch is validated (size, magic, CRC-32C, offsets increasing and within the
 * segment) and re-indexed. At the first bad byte:
 * - bytes past the recovery point were never promised durable, so damage there that ends the segment
 *   (a torn write, unwritten pages read as zeros) is a torn tail: the segment is truncated at that byte
 *   and later segments, which hold only unflushed data written after it, are deleted (as Kafka). The
 *   truncation is reported with file, position and bytes dropped.
 * - damage below the recovery point, or followed by a valid batch in a segment that is not the last,
 *   is corruption in the middle of the log: recovery refuses to drop the valid data after it and fails
 *   with CORRUPT_MESSAGE naming the file and position. The LogManager reports it and keeps the
 *   partition offline; the rest of the broker starts.
 * An index that fails its sanity check is rebuilt the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isCrcValidAt } from './batch-header.js';
import type { LogConfig } from './log-config.js';
import { LogError, errnoCode, storageError } from './log-error.js';
import {
  CLEANED_FILE_SUFFIX,
  DELETED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  LogSegment,
  SWAP_FILE_SUFFIX,
  TIME_INDEX_FILE_SUFFIX,
  offsetFromFileName,
} from './log-segment.js';
import { LogSegments } from './log-segments.js';
import { BatchScanner, type SegmentFile } from './segment-file.js';
import type { LogLogger } from './time.js';

export type { LogLogger } from './time.js';

export interface LoadLogParams {
  readonly dir: string;
  readonly config: LogConfig;
  readonly recoveryPoint: number;
  readonly logStartOffset: number;
  readonly hadCleanShutdown: boolean;
  readonly now: number;
  readonly logger: LogLogger;
  /** Called with the number of bytes each step of validation covered (for progress reports). */
  readonly onRecoveredBytes?: (bytes: number) => void;
  readonly randomJitter?: () => number;
}

export interface Truncation {
  readonly file: string;
  readonly position: number;
  readonly bytesDropped: number;
  readonly problem: string;
}

export interface LoadedLog {
  readonly segments: LogSegments;
  readonly logStartOffset: number;
  readonly recoveryPoint: number;
  readonly logEndOffset: number;
  readonly truncations: readonly Truncation[];
}

export interface SegmentRecovery {
  /** Bytes of valid batches from the start of the file. */
  readonly validBytes: number;
  /** One past the last valid batch's last offset (the segment base offset if none). */
  readonly nextOffset: number;
  /** Position of the first bad byte and why, or null if the whole file is valid. */
  readonly badPosition: number | null;
  readonly problem: string | null;
}

const RECOVERY_CHUNK = 1024 * 1024;
const INT32_MAX = 0x7fffffff;

/** Validates every batch of `segment` and rebuilds its indexes; does not truncate (the caller decides). */
export function recoverSegment(segment: LogSegment, onBytes?: (bytes: number) => void): SegmentRecovery {
  segment.resetForRecovery();
  const scanner = new BatchScanner(segment.log, 0, segment.log.size, RECOVERY_CHUNK);
  let previousLast = segment.baseOffset - 1;
  let reported = 0;
  const bad = (problem: string): SegmentRecovery => ({
    validBytes: scanner.position < 0 ? 0 : scanner.position,
    nextOffset: previousLast + 1,
    badPosition: scanner.position,
    problem,
  });
  while (scanner.next()) {
    const bytes = scanner.batchBytes();
    if (!isCrcValidAt(bytes, 0, scanner.size)) return bad('CRC-32C mismatch');
    if (scanner.baseOffset <= previousLast) {
      return bad(`base offset ${scanner.baseOffset} not above the previous batch's last offset ${previousLast}`);
    }
    if (scanner.lastOffset - segment.baseOffset > INT32_MAX) {
      return bad(`offset ${scanner.lastOffset} beyond the segment's relative offset range`);
    }
    segment.indexBatch(scanner.position, scanner.size, scanner.lastOffset, scanner.maxTimestamp);
    previousLast = scanner.lastOffset;
    if (onBytes !== undefined && scanner.nextPosition - reported >= RECOVERY_CHUNK) {
      onBytes(scanner.nextPosition - reported);
      reported = scanner.nextPosition;
    }
  }
  onBytes?.(scanner.nextPosition - reported);
  if (scanner.stop === 'end') {
    return { validBytes: scanner.nextPosition, nextOffset: previousLast + 1, badPosition: null, problem: null };
  }
  return {
    validBytes: scanner.nextPosition,
    nextOffset: previousLast + 1,
    badPosition: scanner.nextPosition,
    problem: scanner.problem,
  };
}

/**
 * The position of a valid batch (plausible header, CRC-32C matching, base offset >= minBaseOffset)
 * starting after `from`, or -1: how recovery tells damage in the middle of a segment from a torn tail.
 */
export function findValidBatchAfter(file: SegmentFile, from: number, minBaseOffset: number): number {
  const window = RECOVERY_CHUNK;
  for (let start = from + 1; start + 61 <= file.size; start += window) {
    const buf = file.read(start, window + 61);
    for (let i = 0; i < window && i + 61 <= buf.length; i++) {
      if (buf[i + 16] !== 2) continue;
      const size = 12 + buf.readInt32BE(i + 8);
      if (size < 61 || start + i + size > file.size) continue;
      const base = buf.readInt32BE(i) * 4294967296 + buf.readUInt32BE(i + 4);
      if (base < minBaseOffset) continue;
      const batch = file.read(start + i, size);
      if (isCrcValidAt(batch, 0, size)) return start + i;
    }
  }
  return -1;
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw storageError('delete', file, err);
  }
}

/** Deletes leftovers and swaps in finished compactions; returns the base offsets of the .log files. */
function resolveLeftoverFiles(dir: string, config: LogConfig, now: number, logger: LogLogger): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw storageError('list', dir, err);
  }
  const swaps: number[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith(DELETED_FILE_SUFFIX) || name.endsWith(CLEANED_FILE_SUFFIX) || name.endsWith('.tmp')) {
      unlinkQuietly(file);
    } else if (name.endsWith(SWAP_FILE_SUFFIX)) {
      const base = offsetFromFileName(name);
      if (base !== null && name.endsWith(LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX)) swaps.push(base);
      else unlinkQuietly(file);
    }
  }
  const logs = new Set<number>();
  for (const name of fs.readdirSync(dir)) {
    const base = offsetFromFileName(name);
    if (base !== null && name.endsWith(LOG_FILE_SUFFIX)) logs.add(base);
  }
  for (const base of swaps.sort((a, b) => a - b)) {
    const swap = LogSegment.open(dir, base, config, { create: false, now, fileSuffix: SWAP_FILE_SUFFIX });
    const recovered = recoverSegment(swap);
    if (recovered.badPosition !== null) swap.log.truncateTo(recovered.badPosition);
    const end = Math.max(recovered.nextOffset, base + 1);
    swap.close(true);
    for (const old of [...logs].filter((o) => o >= base && o < end)) {
      const prefix = path.join(dir, old.toString().padStart(20, '0'));
      for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) unlinkQuietly(prefix + suffix);
      logs.delete(old);
    }
    const prefix = path.join(dir, base.toString().padStart(20, '0'));
    fs.renameSync(prefix + LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX, prefix + LOG_FILE_SUFFIX);
    for (const suffix of [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) unlinkQuietly(prefix + suffix + SWAP_FILE_SUFFIX);
    for (const suffix of [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) unlinkQuietly(prefix + suffix);
    logs.add(base);
    logger.info(`${dir}: swapped in ${prefix}${LOG_FILE_SUFFIX}${SWAP_FILE_SUFFIX} (offsets ${base} to ${end - 1})`);
  }
  for (const name of fs.readdirSync(dir)) {
    const base = offsetFromFileName(name);
    if (base === null || logs.has(base)) continue;
    if (name.endsWith(INDEX_FILE_SUFFIX) || name.endsWith(TIME_INDEX_FILE_SUFFIX)) unlinkQuietly(path.join(dir, name));
  }
  return [...logs].sort((a, b) => a - b);
}

/** Opens, checks and (after a crash) recovers the segments of one partition directory. */
export function loadLog(p: LoadLogParams): LoadedLog {
  const { dir, config, logger } = p;
  const bases = resolveLeftoverFiles(dir, config, p.now, logger);
  const segments = new LogSegments();
  const missingIndex = new Set<number>();
  try {
    for (const base of bases) {
      const prefix = path.join(dir, base.toString().padStart(20, '0'));
      if (!fs.existsSync(prefix + INDEX_FILE_SUFFIX) || !fs.existsSync(prefix + TIME_INDEX_FILE_SUFFIX)) {
        missingIndex.add(base);
      }
      segments.add(LogSegment.open(dir, base, config, { create: false, now: p.now }));
    }
    const truncations: Truncation[] = [];
    const all = segments.values();
    const recoverFrom = p.hadCleanShutdown
      ? Infinity
      : (segments.floorSegment(p.recoveryPoint)?.baseOffset ?? all[0]?.baseOffset ?? 0);
    for (let i = 0; i < all.length; i++) {
      const segment = all[i]!;
      let needsRecovery = segment.baseOffset >= recoverFrom || missingIndex.has(segment.baseOffset);
      if (!needsRecovery) {
        try {
          segment.offsetIndex.sanityCheck(segment.size);
          segment.timeIndex.sanityCheck(segment.size);
          segment.offsetIndex.releaseMemory();
          segment.timeIndex.releaseMemory();
        } catch (err) {
          if (!(err instanceof LogError)) throw err;
          logger.warn(`${err.message}; rebuilding the indexes of ${segment.log.path}`);
          needsRecovery = true;
        }
      }
      if (!needsRecovery) continue;
      const r = recoverSegment(segment, p.onRecoveredBytes);
      if (r.badPosition === null) continue;
      const file = segment.log.path;
      const isLast = all.slice(i + 1).every((s) => s.size === 0);
      const where = `${file} at position ${r.badPosition} (offset ${r.nextOffset})`;
      if (r.nextOffset < p.recoveryPoint) {
        throw new LogError(
          'CORRUPT_MESSAGE',
          `corrupt batch in flushed data: ${where}: ${r.problem}; below the recovery point ${p.recoveryPoint}, not truncating`,
          { file, position: r.badPosition },
        );
      }
      if (!isLast) {
        const follows = findValidBatchAfter(segment.log, r.badPosition, r.nextOffset);
        if (follows >= 0) {
          throw new LogError(
            'CORRUPT_MESSAGE',
            `corrupt batch in the middle of the log: ${where}: ${r.problem}; a valid batch follows at position ${follows}, not truncating`,
            { file, position: r.badPosition },
          );
        }
      }
      const dropped = segment.log.size - r.badPosition;
      segment.log.truncateTo(r.badPosition);
      let laterBytes = 0;
      for (const later of all.slice(i + 1)) {
        laterBytes += later.size;
        segments.remove(later.baseOffset);
        later.close(false);
        later.deleteFiles();
      }
      truncations.push({ file, position: r.badPosition, bytesDropped: dropped + laterBytes, problem: r.problem ?? '' });
      logger.warn(
        `torn tail: truncated ${file} at position ${r.badPosition} (offset ${r.nextOffset}), ` +
          `dropping ${dropped} bytes${laterBytes > 0 ? ` and ${laterBytes} bytes of later segments` : ''}: ${r.problem}`,
      );
      break;
    }

    let logStartOffset = Math.max(p.logStartOffset, segments.firstSegment?.baseOffset ?? p.logStartOffset);
    let logEndOffset = segments.lastSegment?.nextOffset ?? logStartOffset;
    if (logEndOffset < logStartOffset) {
      logger.warn(
        `${dir}: log end offset ${logEndOffset} below log start offset ${logStartOffset}; starting empty there`,
      );
      for (const s of segments.clear()) {
        s.close(false);
        s.deleteFiles();
      }
    }
    if (segments.isEmpty) {
      const jitter = p.randomJitter?.() ?? 0;
      segments.add(LogSegment.open(dir, logStartOffset, config, { create: true, now: p.now, rollJitterMs: jitter }));
      logEndOffset = logStartOffset;
    }
    logStartOffset = Math.min(logStartOffset, logEndOffset);
    const recoveryPoint = p.hadCleanShutdown ? logEndOffset : Math.min(p.recoveryPoint, logEndOffset);
    return { segments, logStartOffset, recoveryPoint, logEndOffset, truncations };
  } catch (err) {
    for (const s of segments.values()) s.log.close();
    throw err;
  }
}
