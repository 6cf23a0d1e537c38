/**
 * One segment of a partition's log (Kafka's LogSegment): `<base>.log` (SegmentFile), `<base>.index`
 * (OffsetIndex) and `<base>.timeindex` (TimeIndex), where <base> is the segment's base offset as 20
 * decimal digits, e.g. 00000000000000001234.log.
 *
 * Invariants:
 * - Every batch in the segment has baseOffset >= the segment's base offset and lastOffset - base
 *   within int32 (so index entries hold relative offsets); batches are in increasing offset order.
 * - The indexes are derived data: one offset index entry (the batch's last offset, its position) and
 *   at most one time index entry are added for a batch that starts more than index.interval.bytes
 *   after the previous indexed batch. Append and recovery apply the same rule per batch, so a rebuilt
 *   index equals the one appends produced.
 * - `maxTimestampSoFar` / `offsetOfMaxTimestampSoFar`: the greatest batch max timestamp in the segment
 *   and the last offset of the first batch that has it (-1 / base offset if none).
 * - A segment is read only at batch boundaries and returned as a region of its file, never copied.
 */
import path from 'node:path';
import { INT64_MAX } from '../protocol/primitives/int64.js';
import { batchSizeAt, lastOffsetAt, maxTimestampAt } from './batch-header.js';
import { OffsetIndex } from './index/offset-index.js';
import { TimeIndex, type TimestampOffset } from './index/time-index.js';
import { LogError } from './log-error.js';
import { BatchScanner, SegmentFile } from './segment-file.js';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const DELETED_FILE_SUFFIX = '.deleted';
export const CLEANED_FILE_SUFFIX = '.cleaned';
export const SWAP_FILE_SUFFIX = '.swap';

/** Kafka's file name prefix: the offset as 20 decimal digits. */
export function filenamePrefixFromOffset(offset: number): string {
  return String(offset).padStart(20, '0');
}

/** The base offset in a segment file name ("00000000000000001234.log.deleted" → 1234), or null. */
export function offsetFromFileName(name: string): number | null {
  const m = /^(\d{20})\./.exec(name);
  return m === null ? null : Number(m[1]);
}

/** What a segment needs from the topic's LogConfig. */
export interface SegmentConfig {
  readonly indexIntervalBytes: number;
  readonly segmentIndexBytes: number;
}

/** A batch located in a segment file. */
export interface BatchPosition {
  readonly position: number;
  readonly size: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly partitionLeaderEpoch: number;
}

/** Bytes [position, position + length) of the segment's file, and where the next read continues. */
export interface SegmentRead {
  readonly position: number;
  readonly length: number;
  /** The first offset not returned: the next batch's base offset, or the segment's next offset. */
  readonly nextOffset: number;
}

export interface RollParams {
  readonly maxSegmentBytes: number;
  readonly segmentMs: number;
  readonly maxTimestampInMessages: number;
  readonly maxOffsetInMessages: number;
  readonly messagesSize: number;
  readonly now: number;
}

/** Scratch for header scans on the read path; scans never interleave (everything here is synchronous). */
const SCAN_CHUNK = Buffer.allocUnsafe(16 * 1024);

export class LogSegment {
  private bytesSinceLastIndexEntry = 0;
  private maxTimestampAndOffset: TimestampOffset | null = null;
  private _nextOffset: number | null = null;
  /** The first batch's max timestamp, for segment.ms; undefined until loaded, -1 if none. */
  private rollingBasedTimestamp: number | undefined = undefined;

  constructor(
    readonly baseOffset: number,
    readonly log: SegmentFile,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    readonly indexIntervalBytes: number,
    readonly rollJitterMs: number,
    public created: number,
  ) {}

  /** Opens (or with `create`, creates empty) the segment's three files in `dir`. */
  static open(
    dir: string,
    baseOffset: number,
    config: SegmentConfig,
    opts: { create: boolean; now: number; rollJitterMs?: number; fileSuffix?: string },
  ): LogSegment {
    const prefix = path.join(dir, filenamePrefixFromOffset(baseOffset));
    const suffix = opts.fileSuffix ?? '';
    const log = SegmentFile.open(prefix + LOG_FILE_SUFFIX + suffix, opts.create);
    try {
      const indexPath = prefix + INDEX_FILE_SUFFIX + suffix;
      const timeIndexPath = prefix + TIME_INDEX_FILE_SUFFIX + suffix;
      const offsetIndex = new OffsetIndex(indexPath, baseOffset, config.segmentIndexBytes);
      const timeIndex = new TimeIndex(timeIndexPath, baseOffset, config.segmentIndexBytes);
      if (opts.create) {
        offsetIndex.reset();
        timeIndex.reset();
      }
      return new LogSegment(
        baseOffset,
        log,
        offsetIndex,
        timeIndex,
        config.indexIntervalBytes,
        opts.rollJitterMs ?? 0,
        opts.now,
      );
    } catch (err) {
      log.close();
      throw err;
    }
  }

  get size(): number {
    return this.log.size;
  }

  /** One past the last offset in the segment, or the base offset if it is empty. */
  get nextOffset(): number {
    if (this._nextOffset === null) {
      let next = this.baseOffset;
      const scanner = new BatchScanner(
        this.log,
        this.offsetIndex.lookup(INT64_MAX).position,
        this.log.size,
        SCAN_CHUNK,
      );
      while (scanner.next()) next = scanner.lastOffset + 1;
      this._nextOffset = next;
    }
    return this._nextOffset;
  }

  /**
   * Kafka's largestTimestamp: the greatest batch max timestamp, or the file's mtime if no batch has a
   * timestamp. What retention.ms and min.compaction.lag.ms compare with the clock.
   */
  get largestTimestamp(): number {
    const max = this.maxTimestampSoFar;
    return max >= 0 ? max : this.log.lastModified();
  }

  /** The first batch's max timestamp (Kafka's getFirstBatchTimestamp), -1 if empty or none: for max.compaction.lag.ms. */
  get firstBatchTimestamp(): number {
    if (this.rollingBasedTimestamp === undefined) this.timeWaitedForRoll(0, 0);
    return this.rollingBasedTimestamp ?? -1;
  }

  get maxTimestampSoFar(): number {
    return this.maxTimestampOffset().timestamp;
  }
  get offsetOfMaxTimestampSoFar(): number {
    return this.maxTimestampOffset().offset;
  }

  private maxTimestampOffset(): TimestampOffset {
    if (this.maxTimestampAndOffset === null) this.maxTimestampAndOffset = this.timeIndex.lastEntry;
    return this.maxTimestampAndOffset;
  }

  canConvertToRelativeOffset(offset: number): boolean {
    const relative = offset - this.baseOffset;
    return relative >= 0 && relative <= 0x7fffffff;
  }

  /**
   * Appends batches (complete, with final offsets) with one writev. On failure nothing changes: the
   * file is cut back and no index entry was added.
   */
  append(buffers: readonly Buffer[], byteLength: number): void {
    let position = this.log.append(buffers, byteLength);
    for (const buf of buffers) {
      for (let at = 0; at < buf.length;) {
        const size = batchSizeAt(buf, at);
        this.indexBatch(position, size, lastOffsetAt(buf, at), maxTimestampAt(buf, at));
        at += size;
        position += size;
      }
    }
  }

  /** Adds a batch just written (or validated by recovery) at `position` to the indexes and the max timestamp. */
  indexBatch(position: number, size: number, lastOffset: number, maxTimestamp: number): void {
    if (position === 0) this.rollingBasedTimestamp = maxTimestamp;
    const max = this.maxTimestampOffset();
    if (maxTimestamp > max.timestamp) this.maxTimestampAndOffset = { timestamp: maxTimestamp, offset: lastOffset };
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes && !this.offsetIndex.isFull && !this.timeIndex.isFull) {
      this.offsetIndex.append(lastOffset, position);
      const m = this.maxTimestampOffset();
      this.timeIndex.maybeAppend(m.timestamp, m.offset);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += size;
    this._nextOffset = lastOffset + 1;
  }

  /** Forgets the indexes and derived state before recovery re-adds every valid batch. */
  resetForRecovery(): void {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.bytesSinceLastIndexEntry = 0;
    this.maxTimestampAndOffset = { timestamp: -1, offset: this.baseOffset };
    this._nextOffset = this.baseOffset;
    this.rollingBasedTimestamp = -1;
  }

  /** The batch holding `offset` or, in a gap, the first batch after it; null if none. */
  translateOffset(offset: number, startingPosition = 0): BatchPosition | null {
    const from = Math.max(this.offsetIndex.lookup(offset).position, startingPosition);
    const scanner = new BatchScanner(this.log, from, this.log.size, SCAN_CHUNK);
    while (scanner.next()) {
      if (scanner.lastOffset >= offset) return batchPosition(scanner);
    }
    return null;
  }

  /**
   * Reads whole batches from the one holding `startOffset`, ending at or before `maxPosition` (a batch
   * boundary: the segment's size or the position of an upper bound such as the high watermark, whose
   * offset is `maxPositionOffset`) and within `maxSize` bytes, except that with `minOneMessage` the
   * first batch is returned whole even if larger (KIP-74). Null if the segment has no batch at or
   * after `startOffset`.
   */
  read(
    startOffset: number,
    maxSize: number,
    maxPosition: number,
    maxPositionOffset: number,
    minOneMessage: boolean,
  ): SegmentRead | null {
    const first = this.translateOffset(startOffset);
    if (first === null) return null;
    const start = first.position;
    if (start >= maxPosition) return { position: start, length: 0, nextOffset: startOffset };
    const limit = Math.min(maxPosition, start + Math.max(maxSize, minOneMessage ? first.size : 0));
    if (limit === maxPosition) return { position: start, length: maxPosition - start, nextOffset: maxPositionOffset };
    const scanner = new BatchScanner(
      this.log,
      Math.max(start, this.offsetIndex.floorPosition(limit)),
      maxPosition,
      SCAN_CHUNK,
    );
    while (scanner.next()) {
      if (scanner.position + scanner.size > limit) {
        const length = scanner.position - start;
        return { position: start, length, nextOffset: length === 0 ? startOffset : scanner.baseOffset };
      }
    }
    throw new LogError('CORRUPT_MESSAGE', `${this.log.path}: ${scanner.problem ?? 'batches end early'}`, {
      file: this.log.path,
      position: scanner.nextPosition,
    });
  }

  /**
   * The first batch at or after `startingOffset` whose max timestamp is >= `timestamp` and that
   * `accept` takes (Kafka's findOffsetByTimestamp: the caller looks for the record inside and may
   * reject the batch). Starts from the time index, as Kafka does.
   */
  findBatchByTimestamp(
    timestamp: number,
    startingOffset: number,
    accept: (batch: BatchPosition) => boolean = () => true,
  ): BatchPosition | null {
    const indexed = this.timeIndex.lookup(timestamp);
    const from = this.offsetIndex.lookup(Math.max(indexed.offset, startingOffset)).position;
    const scanner = new BatchScanner(this.log, from, this.log.size, Buffer.allocUnsafe(SCAN_CHUNK.length));
    while (scanner.next()) {
      if (scanner.maxTimestamp < timestamp || scanner.lastOffset < startingOffset) continue;
      const batch = batchPosition(scanner);
      if (accept(batch)) return batch;
    }
    return null;
  }

  /**
   * Removes every batch from the one holding `offset` on; returns the bytes removed. The max timestamp
   * is recomputed exactly: the last remaining time index entry, then a scan of the batches after it.
   */
  truncateTo(offset: number, now: number): number {
    const mapping = this.translateOffset(offset);
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    if (mapping === null) return 0;
    const removed = this.log.truncateTo(mapping.position);
    this.bytesSinceLastIndexEntry = 0;
    this._nextOffset = null;
    if (this.log.size === 0) {
      this.created = now;
      this.rollingBasedTimestamp = undefined;
    }
    let max = this.timeIndex.lastEntry;
    const scanner = new BatchScanner(this.log, this.offsetIndex.lookup(max.offset).position, this.log.size, SCAN_CHUNK);
    while (scanner.next()) {
      if (scanner.maxTimestamp > max.timestamp) max = { timestamp: scanner.maxTimestamp, offset: scanner.lastOffset };
    }
    this.maxTimestampAndOffset = max;
    return removed;
  }

  /** Kafka's shouldRoll: size, age (segment.ms minus this segment's jitter), full indexes, offset overflow. */
  shouldRoll(p: RollParams): boolean {
    const size = this.log.size;
    const reachedRollMs = this.timeWaitedForRoll(p.now, p.maxTimestampInMessages) > p.segmentMs - this.rollJitterMs;
    return (
      (size > 0 && reachedRollMs) ||
      size > p.maxSegmentBytes - p.messagesSize ||
      (size > 0 && (this.offsetIndex.isFull || this.timeIndex.isFull)) ||
      !this.canConvertToRelativeOffset(p.maxOffsetInMessages)
    );
  }

  /** How long the segment has been open for segment.ms: by record timestamps if it has them, else by the clock. */
  timeWaitedForRoll(now: number, messageTimestamp: number): number {
    if (this.rollingBasedTimestamp === undefined) {
      const scanner = new BatchScanner(this.log, 0, this.log.size, SCAN_CHUNK);
      this.rollingBasedTimestamp = scanner.next() ? scanner.maxTimestamp : -1;
    }
    return this.rollingBasedTimestamp >= 0 ? messageTimestamp - this.rollingBasedTimestamp : now - this.created;
  }

  /** The segment stops being the active one: its time index gets the final max timestamp entry and both indexes reach the file. */
  onBecomeInactiveSegment(): void {
    this.appendFinalTimeIndexEntry();
    this.offsetIndex.writePending();
    this.timeIndex.writePending();
  }

  private appendFinalTimeIndexEntry(): void {
    const max = this.maxTimestampOffset();
    if (max.timestamp >= 0) this.timeIndex.maybeAppend(max.timestamp, max.offset, true);
  }

  /** fdatasync of the log only: what the active segment needs for durability (indexes are rebuilt). */
  flushLog(): Promise<void> {
    return this.log.flush();
  }

  /**
   * The log and both index files, for a segment that became inactive. Index entries still in memory
   * (a recovered segment's) reach the files now, before any await: the indexes write by path, and
   * once this segment is replaced, deleted or closed another segment may hold the same file names.
   */
  async flushAll(): Promise<void> {
    this.offsetIndex.writePending();
    this.timeIndex.writePending();
    await this.log.flush();
    await this.offsetIndex.flush();
    await this.timeIndex.flush();
  }

  /** Writes the indexes (with the final time index entry) and closes; `sync` fdatasyncs all three first. */
  close(sync: boolean): void {
    try {
      this.appendFinalTimeIndexEntry();
      if (sync) {
        this.offsetIndex.flushSync();
        this.timeIndex.flushSync();
        this.log.flushSync();
      } else {
        this.offsetIndex.writePending();
        this.timeIndex.writePending();
      }
    } finally {
      this.log.close();
    }
  }

  /** Renames the three files from `oldSuffix` to `newSuffix` (e.g. '' → '.deleted'). */
  changeFileSuffixes(oldSuffix: string, newSuffix: string): void {
    const swap = (p: string): string => p.slice(0, p.length - oldSuffix.length) + newSuffix;
    this.log.renameTo(swap(this.log.path));
    this.offsetIndex.renameTo(swap(this.offsetIndex.path));
    this.timeIndex.renameTo(swap(this.timeIndex.path));
  }

  /** Unlinks the three files; readers holding regions keep their fd until they release it. */
  deleteFiles(): void {
    this.log.deleteFile();
    this.offsetIndex.deleteFile();
    this.timeIndex.deleteFile();
  }

  toString(): string {
    return `LogSegment(baseOffset=${this.baseOffset}, size=${this.size}, path=${this.log.path})`;
  }
}

function batchPosition(s: BatchScanner): BatchPosition {
  return {
    position: s.position,
    size: s.size,
    baseOffset: s.baseOffset,
    lastOffset: s.lastOffset,
    maxTimestamp: s.maxTimestamp,
    partitionLeaderEpoch: s.partitionLeaderEpoch,
  };
}
