/**
 * The heavy part of one cleaning (Kafka's Cleaner.doClean): build the offset map of the dirty
 * section, then rewrite the log's segments below the map's end into `.cleaned` segments. It runs in
 * the cleaner's worker thread (cleaner-worker.ts) and touches no state of the main thread: segments
 * are read through fds the main thread retained for the task (fds are per process), and the output
 * is new files only. The swap happens afterwards on the main thread (PartitionLog.replaceSegments).
 *
 * Sections of the log, as Kafka names them:
 *   [log start, firstDirtyOffset)              clean: cleaned before, one record per key (per pass)
 *   [firstDirtyOffset, firstUncleanableOffset) dirty: mapped (key → latest offset) now
 *   [firstUncleanableOffset, log end)          uncleanable: the active segment, the segment holding
 *                                              the last stable offset / high watermark, and segments
 *                                              newer than min.compaction.lag.ms; never in a task
 * The map may fill before the dirty section ends; then endOffset (the map's last offset + 1) is where
 * this pass stops and the next one starts. Segments with base offset below endOffset are regrouped
 * (consecutive segments whose sizes and indexes sum within segment.bytes / segment.index.bytes and
 * whose offsets fit one segment's relative range: Kafka's groupSegmentsBySize) and each group is
 * written as one `.cleaned` segment named by its first segment's base offset, fsynced, its indexes
 * written and its mtime set to the group's last segment's (so retention by time is not reset).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RecordBatch } from '../../protocol/records/record-batch.js';
import { type DefaultRecord, readRecords } from '../../protocol/records/record.js';
import {
  CLEANED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  LogSegment,
  TIME_INDEX_FILE_SUFFIX,
  filenamePrefixFromOffset,
} from '../log-segment.js';
import { BatchScanner, SegmentFile } from '../segment-file.js';
import { DROP, type FilterCounts, ORIGINAL, type RecordFilter, filterBatch } from './batch-filter.js';
import type { SkimpyOffsetMap } from './offset-map.js';

/** An inactive segment as the worker sees it. */
export interface SegmentDescriptor {
  readonly baseOffset: number;
  /** The `.log` file's path (for messages; the worker reads through `fd`). */
  readonly path: string;
  readonly fd: number;
  readonly size: number;
  readonly offsetIndexBytes: number;
  readonly timeIndexBytes: number;
  readonly lastModified: number;
}

export interface CleanTask {
  readonly id: number;
  /** The partition directory, where `.cleaned` files go. */
  readonly dir: string;
  readonly name: string;
  /** The log's segments from the first up to (not including) the one holding firstUncleanableOffset. */
  readonly segments: readonly SegmentDescriptor[];
  readonly firstDirtyOffset: number;
  readonly firstUncleanableOffset: number;
  readonly now: number;
  readonly deleteRetentionMs: number;
  readonly segmentBytes: number;
  readonly segmentIndexBytes: number;
  readonly indexIntervalBytes: number;
  readonly dedupeBufferSize: number;
  readonly loadFactor: number;
  readonly ioBufferSize: number;
}

export interface CleanedGroup {
  readonly baseOffset: number;
  /** Base offsets of the segments this one replaces, in order. */
  readonly sources: readonly number[];
  readonly size: number;
}

export interface CleanStats {
  bytesRead: number;
  bytesWritten: number;
  recordsRead: number;
  recordsRetained: number;
  mapBytesRead: number;
  mapRecords: number;
  mapElapsedMs: number;
  elapsedMs: number;
}

export interface CleanResult {
  readonly id: number;
  /** The first offset not cleaned by this pass: the next pass's firstDirtyOffset. */
  readonly endOffset: number;
  readonly groups: readonly CleanedGroup[];
  readonly stats: CleanStats;
  /** The thread that did the work (0 is the main thread). */
  readonly threadId: number;
}

/** Kafka's groupSegmentsBySize over descriptors; `nextBase(i)` is the offset after segment i. */
export function groupSegmentsBySize(
  segments: readonly SegmentDescriptor[],
  maxSize: number,
  maxIndexSize: number,
  firstUncleanableOffset: number,
  allSegments: readonly SegmentDescriptor[] = segments,
): SegmentDescriptor[][] {
  const lastOffsetOf = (s: SegmentDescriptor): number => {
    const i = allSegments.indexOf(s);
    return (allSegments[i + 1]?.baseOffset ?? firstUncleanableOffset) - 1;
  };
  const groups: SegmentDescriptor[][] = [];
  let i = 0;
  while (i < segments.length) {
    const first = segments[i]!;
    const group = [first];
    let logSize = first.size;
    let indexSize = first.offsetIndexBytes;
    let timeIndexSize = first.timeIndexBytes;
    i++;
    while (i < segments.length) {
      const s = segments[i]!;
      if (
        logSize + s.size > maxSize ||
        indexSize + s.offsetIndexBytes > maxIndexSize ||
        timeIndexSize + s.timeIndexBytes > maxIndexSize ||
        (s.size > 0 && lastOffsetOf(s) - first.baseOffset > 0x7fffffff)
      ) {
        break;
      }
      group.push(s);
      logSize += s.size;
      indexSize += s.offsetIndexBytes;
      timeIndexSize += s.timeIndexBytes;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

/** Kafka's shouldRetainRecord with the delete horizon of KIP-534, and RETAIN_EMPTY for producers. */
class CleanerRecordFilter implements RecordFilter {
  readonly deleteHorizonMs: number;

  constructor(
    private readonly map: SkimpyOffsetMap,
    private readonly now: number,
    deleteRetentionMs: number,
    private readonly lastDirtyBatchOfProducer: ReadonlyMap<number, number>,
  ) {
    this.deleteHorizonMs = now + deleteRetentionMs;
  }

  shouldRetainRecord(batch: RecordBatch, record: DefaultRecord): boolean {
    if (record.offset > this.map.latestOffset) return true;
    const key = record.key;
    if (key === null) return false;
    if (record.offset < this.map.get(key)) return false;
    if (record.value !== null) return true;
    return !batch.hasDeleteHorizon || this.now < batch.baseTimestamp;
  }

  isLastBatchOfProducer(batch: RecordBatch): boolean {
    const last = this.lastDirtyBatchOfProducer.get(batch.producerId);
    return last === undefined || batch.lastOffset >= last;
  }
}

function borrow(s: SegmentDescriptor): SegmentFile {
  return SegmentFile.borrow(s.path, s.fd, s.size);
}

/**
 * Maps key → latest offset for the dirty section (Kafka's buildOffsetMap). Stops when the map holds
 * `slots * loadFactor` keys; the map's latestOffset is the last offset of the last batch fully mapped.
 * Control and transactional batches add no keys. Returns the last dirty batch of each producer.
 */
export function buildOffsetMap(
  task: CleanTask,
  map: SkimpyOffsetMap,
  stats: CleanStats,
  chunk: Buffer,
): Map<number, number> {
  const started = performance.now();
  map.clear();
  const maxDesired = Math.floor(map.slots * task.loadFactor);
  const lastBatchOfProducer = new Map<number, number>();
  const start = task.firstDirtyOffset;
  const segs = task.segments;
  let full = false;
  for (let i = 0; i < segs.length && !full; i++) {
    const next = segs[i + 1]?.baseOffset ?? task.firstUncleanableOffset;
    if (next <= start) continue;
    const scanner = new BatchScanner(borrow(segs[i]!), 0, segs[i]!.size, chunk);
    while (scanner.next()) {
      if (scanner.lastOffset < start) continue;
      const batch = new RecordBatch(scanner.batchBytes());
      stats.mapBytesRead += scanner.size;
      if (batch.producerId >= 0) lastBatchOfProducer.set(batch.producerId, batch.lastOffset);
      if (!batch.isControlBatch && !batch.isTransactional) {
        for (const record of readRecords(batch)) {
          stats.mapRecords++;
          if (record.key === null || record.offset < start) continue;
          if (map.size >= maxDesired) {
            full = true;
            break;
          }
          map.put(record.key, record.offset);
        }
      }
      if (full) break;
      map.updateLatestOffset(batch.lastOffset);
    }
    if (!full && scanner.stop !== 'end') throw new Error(`${segs[i]!.path}: ${scanner.problem ?? 'unreadable'}`);
  }
  if (full && map.latestOffset < start) {
    throw new Error(
      `${task.name}: log.cleaner.dedupe.buffer.size ${task.dedupeBufferSize} holds ${maxDesired} keys, too few for one batch`,
    );
  }
  stats.mapElapsedMs += performance.now() - started;
  return lastBatchOfProducer;
}

/** Runs one task: the offset map, then each group into a `.cleaned` segment. */
export function runCleanTask(task: CleanTask, map: SkimpyOffsetMap, threadId: number): CleanResult {
  const started = performance.now();
  const stats: CleanStats = {
    bytesRead: 0,
    bytesWritten: 0,
    recordsRead: 0,
    recordsRetained: 0,
    mapBytesRead: 0,
    mapRecords: 0,
    mapElapsedMs: 0,
    elapsedMs: 0,
  };
  const chunk = Buffer.allocUnsafe(task.ioBufferSize);
  const lastBatchOfProducer = buildOffsetMap(task, map, stats, chunk);
  // Nothing was mapped (the dirty section holds no batch at or after firstDirtyOffset): nothing to do.
  if (map.latestOffset < task.firstDirtyOffset) {
    stats.elapsedMs = performance.now() - started;
    return { id: task.id, endOffset: task.firstUncleanableOffset, groups: [], stats, threadId };
  }
  const endOffset = map.latestOffset + 1;
  const toClean = task.segments.filter((s) => s.baseOffset < endOffset);
  const groups = groupSegmentsBySize(
    toClean,
    task.segmentBytes,
    task.segmentIndexBytes,
    task.firstUncleanableOffset,
    task.segments,
  );
  const filter = new CleanerRecordFilter(map, task.now, task.deleteRetentionMs, lastBatchOfProducer);
  const out: CleanedGroup[] = [];
  try {
    for (const group of groups) out.push(cleanGroup(task, group, filter, stats, chunk));
  } catch (err) {
    for (const base of groups.map((g) => g[0]!.baseOffset)) deleteCleanedFiles(task.dir, base);
    throw err;
  }
  stats.elapsedMs = performance.now() - started;
  return { id: task.id, endOffset, groups: out, stats, threadId };
}

/** Writes one group into `<base>.log.cleaned` (+ indexes); fsynced and closed. */
function cleanGroup(
  task: CleanTask,
  group: readonly SegmentDescriptor[],
  filter: CleanerRecordFilter,
  stats: CleanStats,
  chunk: Buffer,
): CleanedGroup {
  const base = group[0]!.baseOffset;
  const dest = LogSegment.open(task.dir, base, task, {
    create: true,
    now: task.now,
    fileSuffix: CLEANED_FILE_SUFFIX,
  });
  const counts: FilterCounts = { recordsRead: 0, recordsRetained: 0 };
  const pending = Buffer.allocUnsafe(task.ioBufferSize);
  let used = 0;
  const flushPending = (): void => {
    if (used === 0) return;
    dest.append([pending.subarray(0, used)], used);
    used = 0;
  };
  const write = (bytes: Buffer): void => {
    stats.bytesWritten += bytes.length;
    if (bytes.length > pending.length - used) flushPending();
    if (bytes.length > pending.length) dest.append([bytes], bytes.length);
    else used += bytes.copy(pending, used);
  };
  try {
    for (const source of group) {
      const scanner = new BatchScanner(borrow(source), 0, source.size, chunk);
      while (scanner.next()) {
        stats.bytesRead += scanner.size;
        const bytes = scanner.batchBytes();
        const outcome = filterBatch(bytes, filter, counts);
        if (outcome === ORIGINAL) write(bytes);
        else if (outcome !== DROP) write(outcome);
      }
      if (scanner.stop !== 'end') throw new Error(`${source.path}: ${scanner.problem ?? 'unreadable'}`);
    }
    flushPending();
    dest.onBecomeInactiveSegment();
    dest.close(true);
  } catch (err) {
    dest.log.close();
    throw err;
  }
  stats.recordsRead += counts.recordsRead;
  stats.recordsRetained += counts.recordsRetained;
  const mtime = group.at(-1)!.lastModified / 1000;
  fs.utimesSync(dest.log.path, mtime, mtime);
  return { baseOffset: base, sources: group.map((s) => s.baseOffset), size: dest.size };
}

/** Removes `<base>.{log,index,timeindex}.cleaned` in `dir` (missing files are fine). */
export function deleteCleanedFiles(dir: string, baseOffset: number): void {
  const prefix = path.join(dir, filenamePrefixFromOffset(baseOffset));
  for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
    fs.rmSync(prefix + suffix + CLEANED_FILE_SUFFIX, { force: true });
  }
}
