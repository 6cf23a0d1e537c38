/**
 * Log compaction for logs with cleanup.policy compact (or compact,delete): Kafka's LogCleaner with
 * one cleaner thread, here a worker thread (cleaner-thread.ts).
 *
 * One pass (cleanFilthiestLog):
 *   1. main thread: pick the dirtiest log (cleanable.ts); retain the fds of its segments below the
 *      first uncleanable offset and describe them in a CleanTask.
 *   2. worker: build the offset map of the dirty section, write `.cleaned` segments (clean-task.ts).
 *   3. main thread, synchronously per group: PartitionLog.replaceSegments (.cleaned → .swap → live,
 *      old segments → .deleted). If the log changed meanwhile (retention, DeleteRecords, truncation,
 *      deletion) the swap is refused and the cleaned files are deleted.
 *   4. the log dir's cleaner-offset-checkpoint ("topic partition firstDirtyOffset", Kafka's format)
 *      records endOffset, where the next pass starts.
 * Appends go to the active segment, which is never cleaned, and proceed throughout; the event loop
 * only pays for steps 1, 3 and 4.
 *
 * A log whose cleaning fails is left alone until restart (Kafka's uncleanable partitions) and the
 * failure is logged. Crash safety: see PartitionLog.replaceSegments and recovery.ts.
 */
import path from 'node:path';
import { CLEANER_OFFSET_CHECKPOINT, OffsetCheckpointFile, type TopicPartitionOffset } from '../checkpoint-file.js';
import { cleanerSetting, isCompactPolicy } from '../log-config.js';
import { CLEANED_FILE_SUFFIX, LogSegment } from '../log-segment.js';
import type { PartitionLog, SwapStep } from '../partition-log.js';
import type { LogLogger, Time } from '../time.js';
import { type CleanResult, type CleanStats, type SegmentDescriptor, deleteCleanedFiles } from './clean-task.js';
import { type LogToClean, filthiest, logToClean } from './cleanable.js';
import { CleanerThread } from './cleaner-thread.js';

/**
 * Broker-level cleaner settings (Kafka's keys):
 * - dedupeBufferSize (log.cleaner.dedupe.buffer.size, 134217728): the offset map's memory.
 * - ioBufferLoadFactor (log.cleaner.io.buffer.load.factor, 0.9): how full the map may get.
 * - ioBufferSize (log.cleaner.io.buffer.size, 524288): read and write buffer of the worker.
 * - backoffMs (log.cleaner.backoff.ms, 15000): sleep when no log needs cleaning.
 */
export interface LogCleanerConfig {
  readonly dedupeBufferSize: number;
  readonly ioBufferLoadFactor: number;
  readonly ioBufferSize: number;
  readonly backoffMs: number;
}

export const DEFAULT_LOG_CLEANER_CONFIG: LogCleanerConfig = Object.freeze({
  dedupeBufferSize: 128 * 1024 * 1024,
  ioBufferLoadFactor: 0.9,
  ioBufferSize: 512 * 1024,
  backoffMs: 15_000,
});

/** A log and the log dir holding it. */
export interface CleanerLog {
  readonly logDir: string;
  readonly log: PartitionLog;
}

export interface LogCleanerOptions {
  /** The logs to consider (all of the broker's; the cleaner picks the compacted ones). */
  readonly logs: () => Iterable<CleanerLog>;
  readonly time: Time;
  readonly logger: LogLogger;
  /** The broker's last stable offset of a log (transactions); the high watermark if absent. */
  readonly lastStableOffset?: (log: PartitionLog) => number;
  /** Crash tests: may throw after a swap step to simulate a crash there. */
  readonly killPoint?: (step: SwapStep) => void;
}

/** What one pass did. */
export interface CleanSummary {
  readonly name: string;
  readonly firstDirtyOffset: number;
  readonly endOffset: number;
  /** Groups swapped in; fewer than cleaned if the log changed meanwhile. */
  readonly segmentsSwapped: number;
  readonly aborted: boolean;
  readonly stats: CleanStats;
  readonly threadId: number;
}

export class LogCleaner {
  private readonly thread = new CleanerThread();
  /** log dir → partition name → firstDirtyOffset, loaded from cleaner-offset-checkpoint on first use. */
  private readonly checkpoints = new Map<string, Map<string, number>>();
  private readonly uncleanable = new Set<string>();
  private running: Promise<CleanSummary | null> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    readonly config: LogCleanerConfig,
    private readonly opts: LogCleanerOptions,
  ) {}

  /** The checkpointed firstDirtyOffset of a partition, if any. */
  cleanerCheckpoint(logDir: string, name: string): number | undefined {
    return this.checkpointsOf(logDir).get(name);
  }

  private checkpointsOf(logDir: string): Map<string, number> {
    let map = this.checkpoints.get(logDir);
    if (map === undefined) {
      try {
        map = new OffsetCheckpointFile(path.join(logDir, CLEANER_OFFSET_CHECKPOINT)).read();
      } catch (err) {
        this.opts.logger.warn(`${String(err)}; cleaning from the log start offsets`);
        map = new Map();
      }
      this.checkpoints.set(logDir, map);
    }
    return map;
  }

  private async writeCheckpoint(logDir: string): Promise<void> {
    const map = this.checkpointsOf(logDir);
    const entries: TopicPartitionOffset[] = [];
    for (const { logDir: dir, log } of this.opts.logs()) {
      const offset = map.get(log.name);
      if (dir === logDir && offset !== undefined) entries.push({ topic: log.topic, partition: log.partition, offset });
    }
    await new OffsetCheckpointFile(path.join(logDir, CLEANER_OFFSET_CHECKPOINT)).writeAsync(entries);
  }

  /** The compacted logs with their cleanable sections, as the selection sees them now. */
  candidates(): { logDir: string; toClean: LogToClean }[] {
    const now = this.opts.time.milliseconds();
    const out: { logDir: string; toClean: LogToClean }[] = [];
    for (const { logDir, log } of this.opts.logs()) {
      if (!isCompactPolicy(log.config) || log.offlineError !== null || this.uncleanable.has(log.name)) continue;
      const lso = this.opts.lastStableOffset?.(log) ?? log.highWatermark;
      const toClean = logToClean(log, this.checkpointsOf(logDir).get(log.name), now, lso);
      if (toClean.forceUpdateCheckpoint) this.checkpointsOf(logDir).set(log.name, toClean.firstDirtyOffset);
      out.push({ logDir, toClean });
    }
    return out;
  }

  /** One pass over the dirtiest log, if any needs cleaning; null otherwise. Passes never overlap. */
  cleanFilthiestLog(): Promise<CleanSummary | null> {
    if (this.running !== null) return this.running;
    const run = this.doCleanFilthiestLog().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async doCleanFilthiestLog(): Promise<CleanSummary | null> {
    const candidates = this.candidates();
    const chosen = filthiest(candidates.map((c) => c.toClean));
    if (chosen === null) return null;
    const logDir = candidates.find((c) => c.toClean === chosen)!.logDir;
    try {
      return await this.clean(logDir, chosen);
    } catch (err) {
      if (this.opts.killPoint !== undefined) throw err;
      this.uncleanable.add(chosen.log.name);
      this.opts.logger.error(`cleaning ${chosen.log.name} failed; not cleaning it again until restart: ${String(err)}`);
      return null;
    }
  }

  /** Cleans one log's section (the three steps above). */
  async clean(logDir: string, c: LogToClean): Promise<CleanSummary> {
    const { log } = c;
    const segments = log.logSegments.filter((s) => s.baseOffset < c.firstUncleanableOffset && s !== log.activeSegment);
    const truncationCount = log.truncationCount;
    const descriptors: SegmentDescriptor[] = [];
    for (const s of segments) {
      s.log.retain();
      descriptors.push({
        baseOffset: s.baseOffset,
        path: s.log.path,
        fd: s.log.fd,
        size: s.size,
        offsetIndexBytes: s.offsetIndex.sizeInBytes,
        timeIndexBytes: s.timeIndex.sizeInBytes,
        lastModified: s.log.lastModified(),
      });
    }
    let result: CleanResult;
    try {
      result = await this.thread.run({
        dir: log.dir,
        name: log.name,
        segments: descriptors,
        firstDirtyOffset: c.firstDirtyOffset,
        firstUncleanableOffset: c.firstUncleanableOffset,
        now: this.opts.time.milliseconds(),
        deleteRetentionMs: cleanerSetting(log.config, 'deleteRetentionMs'),
        segmentBytes: log.config.segmentBytes,
        segmentIndexBytes: log.config.segmentIndexBytes,
        indexIntervalBytes: log.config.indexIntervalBytes,
        dedupeBufferSize: this.config.dedupeBufferSize,
        loadFactor: this.config.ioBufferLoadFactor,
        ioBufferSize: this.config.ioBufferSize,
      });
    } finally {
      for (const s of segments) s.log.release();
    }
    const swapped = this.swap(log, segments, result, truncationCount);
    const aborted = swapped < result.groups.length;
    if (!aborted) {
      this.checkpointsOf(logDir).set(log.name, result.endOffset);
      await this.writeCheckpoint(logDir);
    }
    const s = result.stats;
    this.opts.logger.info(
      `${log.name}: cleaned offsets ${c.firstDirtyOffset}..${result.endOffset - 1} in ${result.groups.length} segment(s)` +
        `${aborted ? ' (aborted: the log changed meanwhile)' : ''}: ${(s.bytesRead / 1e6).toFixed(1)} MB read, ` +
        `${(s.bytesWritten / 1e6).toFixed(1)} MB written, ${s.recordsRetained} of ${s.recordsRead} records kept, ` +
        `${(s.elapsedMs / 1000).toFixed(2)} s`,
    );
    return {
      name: log.name,
      firstDirtyOffset: c.firstDirtyOffset,
      endOffset: result.endOffset,
      segmentsSwapped: swapped,
      aborted,
      stats: s,
      threadId: result.threadId,
    };
  }

  /** Step 3; returns the number of groups swapped in. Synchronous: no await between swaps. */
  private swap(
    log: PartitionLog,
    segments: readonly LogSegment[],
    result: CleanResult,
    truncationCount: number,
  ): number {
    const byBase = new Map(segments.map((s) => [s.baseOffset, s]));
    let swapped = 0;
    let refused = false;
    for (const group of result.groups) {
      if (!refused) {
        const cleaned = LogSegment.open(log.dir, group.baseOffset, log.config, {
          create: false,
          now: this.opts.time.milliseconds(),
          fileSuffix: CLEANED_FILE_SUFFIX,
        });
        let done = false;
        try {
          done = log.replaceSegments(
            cleaned,
            group.sources.map((b) => byBase.get(b)!),
            truncationCount,
            this.opts.killPoint,
          );
        } finally {
          if (!done) cleaned.log.close();
        }
        if (done) {
          swapped++;
          continue;
        }
        refused = true;
      }
      deleteCleanedFiles(log.dir, group.baseOffset);
    }
    return swapped;
  }

  /** Runs passes in the background: again at once after a pass that cleaned, after backoffMs otherwise. */
  startup(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.cleanFilthiestLog().then(
          (summary) => this.schedule(summary === null ? this.config.backoffMs : 0),
          (err: unknown) => {
            this.opts.logger.error(`log cleaner: ${String(err)}`);
            this.schedule(this.config.backoffMs);
          },
        );
      },
      Math.min(delayMs, 0x7fffffff),
    );
    this.timer.unref();
  }

  /** Stops the background passes, waits for one in flight, stops the worker. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await this.thread.close();
  }
}
