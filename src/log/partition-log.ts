/**
 * One partition's log (Kafka's UnifiedLog with LocalLog): a directory `<topic>-<partition>` of
 * segments, its leader-epoch-checkpoint, and the offsets the broker reads and moves.
 *
 * Offsets, all absolute:
 *   logStartOffset <= highWatermark <= logEndOffset, and recoveryPoint <= logEndOffset.
 * - logEndOffset (LEO): one past the last appended offset; base offsets are assigned from it.
 * - highWatermark: set by the broker (replication); reads with isolation HIGH_WATERMARK stop below it.
 * - recoveryPoint: every byte below it has been fdatasynced; recovery after a crash starts at the
 *   segment holding it. It advances only when a flush completes.
 * - logStartOffset: moved by DeleteRecords and retention; reads below it are out of range.
 *
 * Concurrency: one owner. Appends, truncations, rolls, retention deletions and the cleaner's segment
 * swap are synchronous, so no await splits a state change; only fdatasync runs on the thread pool
 * (group commit: at most one flush in flight per partition and one queued behind it, each covering
 * everything appended before it started) and the cleaner's heavy work runs in a worker thread against
 * segments that are no longer appended to (cleaner/).
 *
 * Failure: a file error on append is a KAFKA_STORAGE_ERROR. If the file was cut back cleanly (e.g.
 * ENOSPC) the log is unchanged and later appends may succeed once space is freed; if not, or if a
 * flush fails, the log goes offline: appends fail, reads of what was appended still work, and the
 * next start recovers it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { INT64_MAX } from '../protocol/primitives/int64.js';
import { baseOffsetAt, batchSizeAt, partitionLeaderEpochAt } from './batch-header.js';
import { topicPartitionName } from './checkpoint-file.js';
import { FetchDataInfo, type LogOffsetMetadata, type ReadOptions } from './fetch-data-info.js';
import { GroupCommit } from './group-commit.js';
import { type EpochEndOffset, LeaderEpochFileCache } from './leader-epoch-cache.js';
import {
  type LogAppendInfo,
  analyzeBatches,
  assignOffsetsAsLeader,
  emptyAppendInfo,
  toBuffers,
} from './log-append-info.js';
import type { LogConfig } from './log-config.js';
import { LogError } from './log-error.js';
import { LogSegment } from './log-segment.js';
import type { LogSegments } from './log-segments.js';
import { type TimestampAndOffset, fetchOffsetByTimestamp } from './offset-by-timestamp.js';
import { type Truncation, loadLog } from './recovery.js';
import { deleteOldSegments } from './retention.js';
import { offsetMetadataIn, readSegments } from './segment-reads.js';
import {
  type SegmentFilesContext,
  type SwapStep,
  canReplaceSegments,
  checkSegmentPrefix,
  removeAndDeleteSegments,
  swapInCleanedSegment,
} from './segment-replacement.js';
import { CONSOLE_LOGGER, type LogLogger, SYSTEM_TIME, type Time } from './time.js';

export { CONSOLE_LOGGER, SYSTEM_TIME, type Time } from './time.js';
export type { FetchIsolation, LogOffsetMetadata, ReadOptions } from './fetch-data-info.js';

export type { LogAppendInfo } from './log-append-info.js';
export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP, type TimestampAndOffset } from './offset-by-timestamp.js';

export type { SwapStep } from './segment-replacement.js';

export interface PartitionLogParams {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  readonly config: LogConfig;
  readonly recoveryPoint?: number;
  readonly logStartOffset?: number;
  readonly highWatermark?: number;
  readonly hadCleanShutdown?: boolean;
  readonly time?: Time;
  readonly logger?: LogLogger;
  readonly onRecoveredBytes?: (bytes: number) => void;
}

export class PartitionLog {
  readonly name: string;
  private _config: LogConfig;
  private _logStartOffset: number;
  private _recoveryPoint: number;
  private _highWatermark: number;
  private hwMetadata: LogOffsetMetadata | null = null;
  private nextOffsetMetadata: LogOffsetMetadata;
  private failure: LogError | null = null;
  private closed = false;
  private readonly groupCommit = new GroupCommit(() => this.beginFlush());
  /** Bumped by truncations so a flush that started before one does not move the recovery point past it. */
  private truncations = 0;
  private _lastFlushTime: number;
  readonly leaderEpochCache: LeaderEpochFileCache;
  /** Torn tails recovery cut off when the log was opened. */
  readonly recoveryTruncations: readonly Truncation[];

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    config: LogConfig,
    private readonly segments: LogSegments,
    loaded: { logStartOffset: number; recoveryPoint: number; logEndOffset: number; truncations: readonly Truncation[] },
    highWatermark: number,
    private readonly time: Time,
    private readonly logger: LogLogger,
  ) {
    this.name = topicPartitionName(topic, partition);
    this._config = config;
    this._logStartOffset = loaded.logStartOffset;
    this._recoveryPoint = loaded.recoveryPoint;
    this.recoveryTruncations = loaded.truncations;
    const active = segments.activeSegment;
    this.nextOffsetMetadata = {
      messageOffset: loaded.logEndOffset,
      segmentBaseOffset: active.baseOffset,
      relativePositionInSegment: active.size,
    };
    this._highWatermark = Math.min(Math.max(highWatermark, this._logStartOffset), loaded.logEndOffset);
    this._lastFlushTime = time.milliseconds();
    this.leaderEpochCache = new LeaderEpochFileCache(dir);
    this.leaderEpochCache.truncateFromEnd(loaded.logEndOffset);
    this.leaderEpochCache.truncateFromStart(this._logStartOffset);
  }

  /** Opens (creating the directory if needed) and, after a crash, recovers the log in `dir`. */
  static open(p: PartitionLogParams): PartitionLog {
    const time = p.time ?? SYSTEM_TIME;
    const logger = p.logger ?? CONSOLE_LOGGER;
    try {
      fs.mkdirSync(p.dir, { recursive: true });
    } catch (err) {
      throw new LogError('KAFKA_STORAGE_ERROR', `cannot create ${p.dir}`, { file: p.dir }, { cause: err });
    }
    const loaded = loadLog({
      dir: p.dir,
      config: p.config,
      recoveryPoint: p.recoveryPoint ?? 0,
      logStartOffset: p.logStartOffset ?? 0,
      hadCleanShutdown: p.hadCleanShutdown ?? false,
      now: time.milliseconds(),
      logger,
      onRecoveredBytes: p.onRecoveredBytes,
      randomJitter: () => randomSegmentJitter(p.config),
    });
    return new PartitionLog(
      p.dir,
      p.topic,
      p.partition,
      p.config,
      loaded.segments,
      loaded,
      p.highWatermark ?? 0,
      time,
      logger,
    );
  }

  get config(): LogConfig {
    return this._config;
  }
  /** New topic config (AlterConfigs); takes effect from the next append or roll. */
  updateConfig(config: LogConfig): void {
    this._config = config;
  }
  get logStartOffset(): number {
    return this._logStartOffset;
  }
  get logEndOffset(): number {
    return this.nextOffsetMetadata.messageOffset;
  }
  get logEndOffsetMetadata(): LogOffsetMetadata {
    return this.nextOffsetMetadata;
  }
  get highWatermark(): number {
    return this._highWatermark;
  }
  get recoveryPoint(): number {
    return this._recoveryPoint;
  }
  get lastFlushTime(): number {
    return this._lastFlushTime;
  }
  /** Messages appended but not yet flushed (offsets between the recovery point and the log end). */
  get unflushedMessages(): number {
    return this.logEndOffset - this._recoveryPoint;
  }
  get size(): number {
    return this.segments.sizeInBytes;
  }
  get numberOfSegments(): number {
    return this.segments.size;
  }
  get logSegments(): readonly LogSegment[] {
    return this.segments.values();
  }
  get activeSegment(): LogSegment {
    return this.segments.activeSegment;
  }
  get latestEpoch(): number {
    return this.leaderEpochCache.latestEpoch;
  }
  /** Bumped by every truncation: the cleaner compares it before and after a pass. */
  get truncationCount(): number {
    return this.truncations;
  }
  /** The error that took this log offline, or null. */
  get offlineError(): LogError | null {
    return this.failure;
  }

  private checkWritable(): void {
    if (this.closed) throw new LogError('ILLEGAL_STATE', `log ${this.name} is closed`);
    if (this.failure !== null) {
      throw new LogError('KAFKA_STORAGE_ERROR', `log ${this.name} is offline: ${this.failure.message}`, {
        file: this.failure.file,
      });
    }
  }

  /**
   * Appends batches the broker validated, assigning offsets from the log end: each batch's baseOffset
   * and partitionLeaderEpoch are patched in place (outside the CRC), and with LogAppendTime its
   * attributes and maxTimestamp too (CRC recomputed). One writev for all of `records`.
   */
  appendAsLeader(records: Buffer | readonly Buffer[], leaderEpoch: number): LogAppendInfo {
    this.checkWritable();
    const buffers = toBuffers(records);
    const shape = analyzeBatches(this.name, buffers, false, this._config.segmentBytes);
    const firstOffset = this.logEndOffset;
    const lastOffset = firstOffset + shape.offsetCount - 1;
    const now = this.time.milliseconds();
    const logAppendTime = this._config.messageTimestampType === 'LogAppendTime' ? now : -1;
    this.maybeRoll(shape.bytes, logAppendTime >= 0 ? now : shape.maxTimestamp, lastOffset, firstOffset);
    const { maxTimestamp, offsetOfMaxTimestamp } = assignOffsetsAsLeader(
      buffers,
      firstOffset,
      leaderEpoch,
      logAppendTime,
    );
    this.appendToActive(buffers, shape.bytes, lastOffset);
    if (leaderEpoch >= 0 && leaderEpoch !== this.leaderEpochCache.latestEpoch) {
      this.leaderEpochCache.assign(leaderEpoch, firstOffset);
    }
    this.maybeFlush();
    return {
      baseOffset: firstOffset,
      lastOffset,
      maxTimestamp,
      offsetOfMaxTimestamp,
      logAppendTime,
      logStartOffset: this._logStartOffset,
      validBytes: shape.bytes,
      batchCount: shape.batchCount,
    };
  }

  /**
   * Appends batches fetched from the leader, keeping their offsets: each batch is checked (header and
   * CRC) and base offsets must increase from the log end on. Records each new leader epoch.
   */
  appendAsFollower(records: Buffer | readonly Buffer[]): LogAppendInfo {
    this.checkWritable();
    const buffers = toBuffers(records);
    const shape = analyzeBatches(this.name, buffers, true, this._config.segmentBytes);
    if (shape.batchCount === 0) return emptyAppendInfo(this._logStartOffset);
    if (shape.firstOffset < this.logEndOffset) {
      throw new LogError(
        'INVALID_RECORD',
        `${this.name}: follower append at offset ${shape.firstOffset} below the log end offset ${this.logEndOffset}`,
      );
    }
    this.maybeRoll(shape.bytes, shape.maxTimestamp, shape.lastOffset, shape.firstOffset);
    this.appendToActive(buffers, shape.bytes, shape.lastOffset);
    for (const buf of buffers) {
      for (let at = 0; at < buf.length; at += batchSizeAt(buf, at)) {
        const epoch = partitionLeaderEpochAt(buf, at);
        if (epoch >= 0 && epoch !== this.leaderEpochCache.latestEpoch) {
          this.leaderEpochCache.assign(epoch, baseOffsetAt(buf, at));
        }
      }
    }
    this.maybeFlush();
    return {
      baseOffset: shape.firstOffset,
      lastOffset: shape.lastOffset,
      maxTimestamp: shape.maxTimestamp,
      offsetOfMaxTimestamp: shape.offsetOfMaxTimestamp,
      logAppendTime: -1,
      logStartOffset: this._logStartOffset,
      validBytes: shape.bytes,
      batchCount: shape.batchCount,
    };
  }

  private appendToActive(buffers: readonly Buffer[], bytes: number, lastOffset: number): void {
    const segment = this.segments.activeSegment;
    try {
      segment.append(buffers, bytes);
    } catch (err) {
      if (segment.log.failed && err instanceof LogError) this.failure = err;
      throw err;
    }
    this.nextOffsetMetadata = {
      messageOffset: lastOffset + 1,
      segmentBaseOffset: segment.baseOffset,
      relativePositionInSegment: segment.size,
    };
  }

  private maybeRoll(bytes: number, maxTimestamp: number, maxOffset: number, expectedNextOffset: number): void {
    const c = this._config;
    const active = this.segments.activeSegment;
    const roll = active.shouldRoll({
      maxSegmentBytes: c.segmentBytes,
      segmentMs: c.segmentMs,
      maxTimestampInMessages: maxTimestamp,
      maxOffsetInMessages: maxOffset,
      messagesSize: bytes,
      now: this.time.milliseconds(),
    });
    if (!roll) return;
    const segment = this.roll(expectedNextOffset);
    if (!segment.canConvertToRelativeOffset(maxOffset)) {
      throw new LogError('INVALID_RECORD', `${this.name}: offsets ${expectedNextOffset}..${maxOffset} span over 2^31`);
    }
  }

  /**
   * Starts a new active segment at max(expectedNextOffset, logEndOffset); the old one writes its
   * indexes and is flushed in the background (the recovery point follows).
   */
  roll(expectedNextOffset = 0): LogSegment {
    this.checkWritable();
    const newOffset = Math.max(expectedNextOffset, this.logEndOffset);
    const active = this.segments.activeSegment;
    if (active.baseOffset === newOffset && active.size === 0) return active;
    if (active.baseOffset > newOffset) {
      throw new LogError('ILLEGAL_STATE', `${this.name}: cannot roll to ${newOffset} below ${active.baseOffset}`);
    }
    active.onBecomeInactiveSegment();
    const segment = LogSegment.open(this.dir, newOffset, this._config, {
      create: true,
      now: this.time.milliseconds(),
      rollJitterMs: randomSegmentJitter(this._config),
    });
    this.segments.add(segment);
    this.nextOffsetMetadata = {
      messageOffset: this.logEndOffset,
      segmentBaseOffset: newOffset,
      relativePositionInSegment: 0,
    };
    this.flush().catch(() => {
      // flush() has taken the log offline and logged; the next append reports it.
    });
    return segment;
  }

  private maybeFlush(): void {
    if (this.unflushedMessages >= this._config.flushMessages) {
      this.flush().catch(() => {
        // Reported through offlineError and the next append.
      });
    }
  }

  /**
   * Makes everything appended so far durable: one fdatasync of the active segment's file (plus the
   * files of segments rolled since the last flush), then the recovery point moves to the log end
   * offset as it was when the flush started. Group commit: calls made while a flush runs share the
   * one queued behind it.
   */
  flush(): Promise<void> {
    return this.groupCommit.request();
  }

  /** Starts a flush up to the log end, or returns null if everything is already flushed. */
  private beginFlush(): Promise<void> | null {
    const target = this.logEndOffset;
    if (target <= this._recoveryPoint || this.closed) return null;
    return this.flushTo(target);
  }

  private async flushTo(target: number): Promise<void> {
    const generation = this.truncations;
    const active = this.segments.activeSegment;
    const segments = this.segments.range(this._recoveryPoint, target);
    try {
      for (const segment of segments) {
        if (segment.log.isClosed) continue;
        try {
          if (segment === active) await segment.flushLog();
          else await segment.flushAll();
        } catch (err) {
          // Deleted or replaced meanwhile (retention, compaction): nothing of it is left to make durable.
          if (segment.log.isClosed) continue;
          throw err;
        }
      }
    } catch (err) {
      if (this.closed || this.truncations !== generation) return;
      const error = err instanceof LogError ? err : new LogError('KAFKA_STORAGE_ERROR', String(err));
      this.failure ??= error;
      this.logger.error(`${this.name}: flush failed, log offline: ${error.message}`);
      throw error;
    }
    if (this.truncations === generation && target > this._recoveryPoint) {
      this._recoveryPoint = Math.min(target, this.logEndOffset);
    }
    this._lastFlushTime = this.time.milliseconds();
  }

  /**
   * Reads whole batches from the one holding `startOffset`: at most maxBytes (but the first batch
   * whole with minOneMessage), all below the isolation's upper bound (and maxOffset), from one segment.
   * OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset]. Release the result when done.
   */
  read(startOffset: number, opts: ReadOptions): FetchDataInfo {
    const leo = this.nextOffsetMetadata;
    if (startOffset === leo.messageOffset) return FetchDataInfo.empty(startOffset);
    if (startOffset > leo.messageOffset || startOffset < this._logStartOffset) {
      throw new LogError(
        'OFFSET_OUT_OF_RANGE',
        `${this.name}: offset ${startOffset} outside [${this._logStartOffset}, ${leo.messageOffset}]`,
      );
    }
    let bound = opts.isolation === 'HIGH_WATERMARK' ? this.highWatermarkMetadata() : leo;
    if (opts.maxOffset !== undefined && opts.maxOffset < bound.messageOffset) {
      bound = this.convertToOffsetMetadata(opts.maxOffset);
    }
    if (startOffset >= bound.messageOffset) return FetchDataInfo.empty(startOffset);
    return readSegments(this.segments, startOffset, opts, bound);
  }

  /** Where the high watermark is (cached until it moves): what a delayed fetch compares positions with. */
  highWatermarkMetadata(): LogOffsetMetadata {
    this.hwMetadata ??= this.convertToOffsetMetadata(this._highWatermark);
    return this.hwMetadata;
  }

  /** Where `offset` is: the position of the batch holding it (or of the first batch after it). */
  convertToOffsetMetadata(offset: number): LogOffsetMetadata {
    return offsetMetadataIn(this.segments, offset, this.nextOffsetMetadata);
  }

  /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]; returns the value set. */
  updateHighWatermark(highWatermark: number): number {
    const hw = Math.min(Math.max(highWatermark, this._logStartOffset), this.logEndOffset);
    if (hw !== this._highWatermark) {
      this._highWatermark = hw;
      this.hwMetadata = null;
    }
    return hw;
  }

  /**
   * ListOffsets: EARLIEST_TIMESTAMP (-2) → logStartOffset, LATEST_TIMESTAMP (-1) → logEndOffset,
   * MAX_TIMESTAMP (-3) → the record with the greatest timestamp, a timestamp → the first record at or
   * after it. Null when no record qualifies.
   */
  fetchOffsetByTimestamp(targetTimestamp: number): TimestampAndOffset | null {
    return fetchOffsetByTimestamp(this, targetTimestamp, this.logger);
  }

  /** As a new leader (or follower learning of an epoch): `epoch` starts at `startOffset`. */
  maybeAssignEpochStartOffset(epoch: number, startOffset: number): void {
    this.leaderEpochCache.assign(epoch, startOffset);
  }

  /** OffsetForLeaderEpoch: the end offset of `leaderEpoch` in this log. */
  endOffsetForEpoch(leaderEpoch: number): EpochEndOffset {
    return this.leaderEpochCache.endOffsetFor(leaderEpoch, this.logEndOffset);
  }

  /**
   * Replication: removes every offset >= targetOffset (whole batches, from the one holding it on).
   * Returns false if the log ends at or before targetOffset.
   */
  truncateTo(targetOffset: number): boolean {
    if (targetOffset < 0) throw new LogError('ILLEGAL_STATE', `${this.name}: cannot truncate to ${targetOffset}`);
    this.checkWritable();
    if (targetOffset >= this.logEndOffset) return false;
    const first = this.segments.firstSegment;
    if (first === undefined || first.baseOffset > targetOffset) {
      this.truncateFullyAndStartAt(targetOffset);
      return true;
    }
    this.truncations++;
    removeAndDeleteSegments(
      this.segmentFiles(),
      this.segments.values().filter((s) => s.baseOffset > targetOffset),
    );
    const active = this.segments.activeSegment;
    active.truncateTo(targetOffset, this.time.milliseconds());
    this.leaderEpochCache.truncateFromEnd(targetOffset);
    this.nextOffsetMetadata = {
      messageOffset: targetOffset,
      segmentBaseOffset: active.baseOffset,
      relativePositionInSegment: active.size,
    };
    this._logStartOffset = Math.min(this._logStartOffset, targetOffset);
    this._recoveryPoint = Math.min(this._recoveryPoint, targetOffset);
    this._highWatermark = Math.min(this._highWatermark, targetOffset);
    this.hwMetadata = null;
    return true;
  }

  /** Replication: deletes every segment and starts an empty log at newOffset. */
  truncateFullyAndStartAt(newOffset: number): void {
    this.checkWritable();
    this.truncations++;
    removeAndDeleteSegments(this.segmentFiles(), [...this.segments.values()]);
    const segment = LogSegment.open(this.dir, newOffset, this._config, {
      create: true,
      now: this.time.milliseconds(),
      rollJitterMs: randomSegmentJitter(this._config),
    });
    this.segments.add(segment);
    this.leaderEpochCache.clearAndFlush();
    this.nextOffsetMetadata = { messageOffset: newOffset, segmentBaseOffset: newOffset, relativePositionInSegment: 0 };
    this._logStartOffset = newOffset;
    this._recoveryPoint = newOffset;
    this._highWatermark = newOffset;
    this.hwMetadata = null;
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (Kafka's maybeIncrementLogStartOffset),
   * which may not pass the high watermark, and deletes the segments wholly below it. Returns the
   * resulting log start offset (the low watermark).
   */
  deleteRecordsBefore(offset: number): number {
    this.checkWritable();
    if (offset > this._highWatermark) {
      throw new LogError(
        'OFFSET_OUT_OF_RANGE',
        `${this.name}: cannot move the log start offset to ${offset}, above the high watermark ${this._highWatermark}`,
      );
    }
    if (offset <= this._logStartOffset) return this._logStartOffset;
    this._logStartOffset = offset;
    this.leaderEpochCache.truncateFromStart(offset);
    const deletable: LogSegment[] = [];
    const all = this.segments.values();
    for (let i = 0; i + 1 < all.length && all[i + 1]!.baseOffset <= offset; i++) deletable.push(all[i]!);
    removeAndDeleteSegments(this.segmentFiles(), deletable);
    return this._logStartOffset;
  }

  /**
   * Retention (Kafka's deleteOldSegments): deletes the segments that breach retention.ms,
   * retention.bytes (with cleanup.policy delete) or lie wholly below the log start offset, and moves
   * the log start offset forward. Returns the number of segments deleted. See retention.ts.
   */
  deleteOldSegments(): number {
    return deleteOldSegments(this, this.time.milliseconds(), this.logger);
  }

  /**
   * Deletes `deletable`, a prefix of the segments (Kafka's UnifiedLog.deleteSegments). If that is every
   * segment, the active one is rolled first so the log keeps one (an empty active segment is never
   * deleted). The log start offset moves up to the first remaining segment's base offset. Returns the
   * number of segments deleted.
   */
  deleteSegments(deletable: readonly LogSegment[]): number {
    this.checkWritable();
    const all = this.segments.values();
    checkSegmentPrefix(this.name, all, deletable);
    let toDelete = deletable;
    if (deletable.length > 0 && deletable.length === all.length) {
      const rolled = this.roll();
      if (rolled === deletable.at(-1)) toDelete = deletable.slice(0, -1);
    }
    if (toDelete.length === 0) return 0;
    removeAndDeleteSegments(this.segmentFiles(), toDelete);
    const first = this.segments.firstSegment ?? this.segments.activeSegment;
    if (first.baseOffset > this._logStartOffset) {
      // Retention only deletes below the high watermark, so the log start offset never passes it.
      this._logStartOffset = first.baseOffset;
      this.leaderEpochCache.truncateFromStart(first.baseOffset);
    }
    return toDelete.length;
  }

  /**
   * The cleaner's swap (Kafka's replaceSegments): `cleaned`, a segment opened with the `.cleaned`
   * suffix, takes the place of `old` (consecutive inactive segments, the first with the same base
   * offset). Synchronous, so readers and appenders see either the old segments or the new one; the
   * steps and what a crash between them leaves are in segment-replacement.ts.
   * Returns false and changes nothing if `old` is no longer what the log holds (retention, DeleteRecords
   * or a truncation ran while the cleaner worked); the caller then deletes the cleaned files.
   * `killPoint` is for crash tests: it may throw after a step to simulate a crash there.
   */
  replaceSegments(
    cleaned: LogSegment,
    old: readonly LogSegment[],
    expectedTruncationCount: number,
    killPoint?: (step: SwapStep) => void,
  ): boolean {
    if (this.closed || this.failure !== null || this.truncations !== expectedTruncationCount) return false;
    if (!canReplaceSegments(this.name, this.segments, cleaned, old)) return false;
    this.hwMetadata = null; // the segment list changes in the swap
    swapInCleanedSegment(this.segmentFiles(), cleaned, old, killPoint);
    return true;
  }

  /** The narrow view of this log that segment-replacement.ts works on. */
  private segmentFiles(): SegmentFilesContext {
    return {
      name: this.name,
      dir: this.dir,
      segments: this.segments,
      fileDeleteDelayMs: this._config.fileDeleteDelayMs,
      logger: this.logger,
    };
  }

  /** Writes the indexes, fdatasyncs what is not yet durable and closes every file; the recovery point becomes the log end. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const unflushed = new Set(this.segments.range(this._recoveryPoint, INT64_MAX));
    let error: unknown = null;
    for (const segment of this.segments.values()) {
      try {
        segment.close(this.failure === null && unflushed.has(segment));
      } catch (err) {
        error ??= err;
      }
    }
    if (error !== null) throw error;
    if (this.failure === null) this._recoveryPoint = this.logEndOffset;
  }

  /** Closes without syncing and removes the directory (the partition was deleted or moved). */
  delete(): void {
    this.closed = true;
    for (const segment of this.segments.clear()) segment.log.close();
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch (err) {
      throw new LogError('KAFKA_STORAGE_ERROR', `cannot delete ${this.dir}`, { file: this.dir }, { cause: err });
    }
  }

  toString(): string {
    return `PartitionLog(${path.basename(this.dir)}, logStartOffset=${this._logStartOffset}, logEndOffset=${this.logEndOffset})`;
  }
}

/** Kafka's randomSegmentJitter: uniform in [0, min(segment.jitter.ms, segment.ms)). */
function randomSegmentJitter(config: LogConfig): number {
  if (config.segmentJitterMs <= 0) return 0;
  return Math.floor(Math.random() * Math.min(config.segmentJitterMs, config.segmentMs));
}
