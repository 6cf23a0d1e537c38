/**
 * All partition logs of a broker across its log.dirs (Kafka's LogManager).
 *
 * Layout of each log dir, as Kafka's:
 * ```
 * <log.dir>/meta.properties                     version=0, broker.id, cluster.id (written by the broker)
 * <log.dir>/.kafka_cleanshutdown                present only between a clean shutdown and the next load
 * <log.dir>/recovery-point-offset-checkpoint    topic partition recoveryPoint
 * <log.dir>/replication-offset-checkpoint       topic partition highWatermark
 * <log.dir>/log-start-offset-checkpoint         topic partition logStartOffset
 * <log.dir>/cleaner-offset-checkpoint           topic partition cleaned-up-to offset (the cleaner's)
 * <log.dir>/<topic>-<partition>/                one PartitionLog
 * <log.dir>/<topic>-<partition>.<id>-delete/    a deleted partition, removed in the background
 * ```
 *
 * Invariants:
 * - A partition lives in exactly one log dir; a new one goes to the dir holding fewest partitions.
 * - The clean-shutdown marker is written only after every log of the dir was closed (indexes written,
 *   everything fdatasynced) and the checkpoints were written; it is deleted once the dir is loaded,
 *   so a crash at any later point makes the next load recover from the recovery points.
 * - Checkpoints are written atomically (CheckpointFile) every log.flush.offset.checkpoint.interval.ms
 *   and log.flush.start.offset.checkpoint.interval.ms, and at shutdown. A recovery point checkpoint
 *   may lag the log's; recovering from an older one only costs time.
 * - A partition that cannot be loaded (corruption in the middle of its log, a storage error) is kept
 *   out of service in `offlineLogs` with the reason; the other partitions load.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CLEANER_OFFSET_CHECKPOINT,
  LOG_START_OFFSET_CHECKPOINT,
  OffsetCheckpointFile,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_OFFSET_CHECKPOINT,
  type TopicPartitionOffset,
  fsyncDirSync,
  parseTopicPartitionName,
  topicPartitionName,
} from './checkpoint-file.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './log-config.js';
import { LogError, errnoCode, storageError } from './log-error.js';
import { DEFAULT_LOG_CLEANER_CONFIG, LogCleaner, type LogCleanerConfig } from './cleaner/log-cleaner.js';
import { PartitionLog } from './partition-log.js';
import { CONSOLE_LOGGER, SYSTEM_TIME, type Time } from './time.js';
import type { LogLogger } from './time.js';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const META_PROPERTIES_FILE = 'meta.properties';
const DELETE_DIR_SUFFIX = '-delete';

/**
 * Broker-level settings of the LogManager (Kafka's key in parentheses):
 * - flushSchedulerIntervalMs (log.flush.scheduler.interval.ms, Long.MAX_VALUE): how often logs are
 *   checked against their flush.ms; with the default no time-based flush happens.
 * - flushOffsetCheckpointIntervalMs (log.flush.offset.checkpoint.interval.ms, 60000): recovery points
 *   (and high watermarks) checkpoint period.
 * - flushStartOffsetCheckpointIntervalMs (log.flush.start.offset.checkpoint.interval.ms, 60000).
 * - recoveryProgressIntervalMs (ours, 3000): a recovery running longer prints progress this often.
 * - retentionCheckIntervalMs (log.retention.check.interval.ms, 300000): how often every log's
 *   retention is applied (retention.ts). Optional, as are the cleaner settings (absent = default).
 * - cleanerEnable (log.cleaner.enable, true) and `cleaner` (LogCleanerConfig: log.cleaner.dedupe.buffer.size,
 *   log.cleaner.io.buffer.load.factor, log.cleaner.io.buffer.size, log.cleaner.backoff.ms).
 */
export interface LogManagerConfig {
  readonly logDirs: readonly string[];
  readonly flushSchedulerIntervalMs: number;
  readonly flushOffsetCheckpointIntervalMs: number;
  readonly flushStartOffsetCheckpointIntervalMs: number;
  readonly recoveryProgressIntervalMs: number;
  readonly retentionCheckIntervalMs?: number;
  readonly cleanerEnable?: boolean;
  readonly cleaner?: Partial<LogCleanerConfig>;
}

export const DEFAULT_LOG_MANAGER_CONFIG: Required<Omit<LogManagerConfig, 'logDirs'>> = Object.freeze({
  flushSchedulerIntervalMs: 2 ** 63,
  flushOffsetCheckpointIntervalMs: 60_000,
  flushStartOffsetCheckpointIntervalMs: 60_000,
  recoveryProgressIntervalMs: 3_000,
  retentionCheckIntervalMs: 300_000,
  cleanerEnable: true,
  cleaner: DEFAULT_LOG_CLEANER_CONFIG,
});

export interface LogManagerOptions {
  readonly time?: Time;
  readonly logger?: LogLogger;
  /** The LogConfig of a topic (broker defaults plus topic overrides); DEFAULT_LOG_CONFIG if absent. */
  readonly topicConfig?: (topic: string) => LogConfig;
  /** The broker's last stable offset of a partition, for the cleaner (the high watermark if absent). */
  readonly lastStableOffset?: (log: PartitionLog) => number;
}

/** Prints "partitions done of total, MB, MB/s" while a load runs longer than the interval. */
class RecoveryProgress {
  private readonly start: number;
  private lastReport: number;
  private bytes = 0;
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly time: Time,
    private readonly logger: LogLogger,
    private readonly intervalMs: number,
  ) {
    this.start = time.milliseconds();
    this.lastReport = this.start;
  }

  onBytes = (n: number): void => {
    this.bytes += n;
    this.maybeReport(false);
  };

  partitionDone(): void {
    this.done++;
    this.maybeReport(this.done === this.total);
  }

  private maybeReport(final: boolean): void {
    const now = this.time.milliseconds();
    if (now - this.lastReport < this.intervalMs && !(final && now - this.start >= this.intervalMs)) return;
    this.lastReport = now;
    const mb = this.bytes / (1024 * 1024);
    const seconds = Math.max((now - this.start) / 1000, 0.001);
    this.logger.info(
      `Recovering logs: ${this.done} of ${this.total} partitions done, ` +
        `${mb.toFixed(1)} MB validated at ${(mb / seconds).toFixed(1)} MB/s`,
    );
  }
}

export class LogManager {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly dirOf = new Map<string, string>();
  /** Partitions that failed to load, with the reason; the broker answers KAFKA_STORAGE_ERROR for them. */
  readonly offlineLogs = new Map<string, LogError>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly time: Time;
  private readonly logger: LogLogger;
  private readonly topicConfig: (topic: string) => LogConfig;
  private shutDown = false;
  /** The log cleaner (compaction), or null with log.cleaner.enable=false. */
  readonly cleaner: LogCleaner | null;

  private constructor(
    readonly config: LogManagerConfig,
    opts: LogManagerOptions,
  ) {
    this.time = opts.time ?? SYSTEM_TIME;
    this.logger = opts.logger ?? CONSOLE_LOGGER;
    this.topicConfig = opts.topicConfig ?? (() => DEFAULT_LOG_CONFIG);
    const cleanerEnable = config.cleanerEnable ?? DEFAULT_LOG_MANAGER_CONFIG.cleanerEnable;
    this.cleaner = cleanerEnable
      ? new LogCleaner(
          { ...DEFAULT_LOG_CLEANER_CONFIG, ...config.cleaner },
          {
            logs: () => this.cleanerLogs(),
            time: this.time,
            logger: this.logger,
            lastStableOffset: opts.lastStableOffset,
          },
        )
      : null;
  }

  private *cleanerLogs(): Generator<{ logDir: string; log: PartitionLog }> {
    for (const [name, log] of this.logs) yield { logDir: this.dirOf.get(name)!, log };
  }

  /** Loads every partition of every log dir (recovering after a crash). Call startup() for the background tasks. */
  static open(config: LogManagerConfig, opts: LogManagerOptions = {}): LogManager {
    if (config.logDirs.length === 0) throw new LogError('ILLEGAL_STATE', 'log.dirs is empty');
    const manager = new LogManager(config, opts);
    manager.loadLogs();
    return manager;
  }

  private loadLogs(): void {
    const work: { dir: string; name: string; topic: string; partition: number; clean: boolean }[] = [];
    const checkpoints = new Map<
      string,
      { rp: Map<string, number>; lso: Map<string, number>; hw: Map<string, number> }
    >();
    for (const dir of this.config.logDirs) {
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw storageError('create log dir', dir, err);
      }
      const clean = fs.existsSync(path.join(dir, CLEAN_SHUTDOWN_FILE));
      checkpoints.set(dir, {
        rp: this.readCheckpoint(dir, RECOVERY_POINT_CHECKPOINT),
        lso: this.readCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT),
        hw: this.readCheckpoint(dir, REPLICATION_OFFSET_CHECKPOINT),
      });
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
          fs.rmSync(path.join(dir, entry.name), { recursive: true, force: true });
          continue;
        }
        const tp = parseTopicPartitionName(entry.name);
        if (tp === null) continue;
        work.push({ dir, name: entry.name, topic: tp.topic, partition: tp.partition, clean });
      }
    }
    const progress = new RecoveryProgress(work.length, this.time, this.logger, this.config.recoveryProgressIntervalMs);
    for (const w of work) {
      if (this.dirOf.has(w.name)) {
        throw new LogError(
          'ILLEGAL_STATE',
          `duplicate log directories for ${w.name}: ${this.dirOf.get(w.name)} and ${w.dir}`,
        );
      }
      this.dirOf.set(w.name, w.dir);
      const cp = checkpoints.get(w.dir)!;
      try {
        const log = PartitionLog.open({
          dir: path.join(w.dir, w.name),
          topic: w.topic,
          partition: w.partition,
          config: this.topicConfig(w.topic),
          recoveryPoint: cp.rp.get(w.name) ?? 0,
          logStartOffset: cp.lso.get(w.name) ?? 0,
          highWatermark: cp.hw.get(w.name) ?? 0,
          hadCleanShutdown: w.clean,
          time: this.time,
          logger: this.logger,
          onRecoveredBytes: progress.onBytes,
        });
        this.logs.set(w.name, log);
      } catch (err) {
        const error = err instanceof LogError ? err : storageError('load', path.join(w.dir, w.name), err);
        this.offlineLogs.set(w.name, error);
        this.logger.error(`Partition ${w.name} in ${w.dir} is offline: ${error.message}`);
      }
      progress.partitionDone();
    }
    for (const dir of this.config.logDirs) {
      const cleaner = path.join(dir, CLEANER_OFFSET_CHECKPOINT);
      if (!fs.existsSync(cleaner)) new OffsetCheckpointFile(cleaner).write([]);
      try {
        fs.rmSync(path.join(dir, CLEAN_SHUTDOWN_FILE), { force: true });
        fsyncDirSync(dir);
      } catch (err) {
        throw storageError('remove clean shutdown marker in', dir, err);
      }
    }
  }

  private readCheckpoint(dir: string, name: string): Map<string, number> {
    try {
      return new OffsetCheckpointFile(path.join(dir, name)).read();
    } catch (err) {
      this.logger.warn(`${String(err)}; ignoring it (full recovery of ${dir})`);
      return new Map();
    }
  }

  /**
   * Starts the periodic flush.ms check, checkpoint writes, retention (every
   * log.retention.check.interval.ms) and the log cleaner. Timers do not keep the process alive.
   */
  startup(): void {
    const every = (ms: number, task: () => Promise<void>): void => {
      if (!(ms > 0 && ms <= 0x7fffffff)) return;
      const timer = setInterval(() => {
        task().catch((err: unknown) => this.logger.error(`log manager task failed: ${String(err)}`));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.flushSchedulerIntervalMs, () => this.flushDirtyLogs());
    every(this.config.flushOffsetCheckpointIntervalMs, async () => {
      await this.checkpointRecoveryPoints(true);
      await this.checkpointHighWatermarks(true);
    });
    every(this.config.flushStartOffsetCheckpointIntervalMs, () => this.checkpointLogStartOffsets(true));
    every(this.config.retentionCheckIntervalMs ?? DEFAULT_LOG_MANAGER_CONFIG.retentionCheckIntervalMs, async () => {
      this.cleanupLogs();
    });
    this.cleaner?.startup();
  }

  /**
   * Retention for every online log (Kafka's cleanupLogs): deletes segments past retention.ms or
   * retention.bytes (cleanup.policy delete, including compact,delete) or below the log start offset
   * (every policy). Returns the number of segments deleted. Run every log.retention.check.interval.ms
   * by startup(); tests call it directly with an injected clock.
   */
  cleanupLogs(): number {
    let deleted = 0;
    for (const log of this.logs.values()) {
      if (log.offlineError !== null) continue;
      try {
        deleted += log.deleteOldSegments();
      } catch (err) {
        this.logger.error(`retention of ${log.name} failed: ${String(err)}`);
      }
    }
    return deleted;
  }

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(topicPartitionName(topic, partition));
  }

  allLogs(): IterableIterator<PartitionLog> {
    return this.logs.values();
  }

  /** The log dir holding a partition. */
  logDirOf(topic: string, partition: number): string | undefined {
    return this.dirOf.get(topicPartitionName(topic, partition));
  }

  /** The partition's log, created in the log dir with the fewest partitions if it does not exist. */
  getOrCreateLog(topic: string, partition: number, config: LogConfig = this.topicConfig(topic)): PartitionLog {
    const name = topicPartitionName(topic, partition);
    const existing = this.logs.get(name);
    if (existing !== undefined) return existing;
    const offline = this.offlineLogs.get(name);
    if (offline !== undefined) {
      throw new LogError('KAFKA_STORAGE_ERROR', `partition ${name} is offline: ${offline.message}`, {
        file: offline.file,
      });
    }
    if (this.shutDown) throw new LogError('ILLEGAL_STATE', 'log manager is shut down');
    const dir = this.nextLogDir();
    const log = PartitionLog.open({
      dir: path.join(dir, name),
      topic,
      partition,
      config,
      time: this.time,
      logger: this.logger,
    });
    this.logs.set(name, log);
    this.dirOf.set(name, dir);
    return log;
  }

  private nextLogDir(): string {
    const counts = new Map<string, number>(this.config.logDirs.map((d) => [d, 0]));
    for (const dir of this.dirOf.values()) counts.set(dir, (counts.get(dir) ?? 0) + 1);
    let best = this.config.logDirs[0]!;
    for (const dir of this.config.logDirs) if (counts.get(dir)! < counts.get(best)!) best = dir;
    return best;
  }

  /**
   * Removes a partition: closed, its directory renamed to `<name>.<id>-delete` (so a restart never
   * loads it again) and removed in the background.
   */
  deleteLog(topic: string, partition: number): void {
    const name = topicPartitionName(topic, partition);
    const log = this.logs.get(name);
    const dir = this.dirOf.get(name);
    this.logs.delete(name);
    this.offlineLogs.delete(name);
    this.dirOf.delete(name);
    if (dir === undefined) return;
    try {
      log?.close();
    } catch (err) {
      this.logger.warn(`closing ${name} before deletion: ${String(err)}`);
    }
    const from = path.join(dir, name);
    const to = path.join(dir, `${name}.${crypto.randomUUID().replaceAll('-', '')}${DELETE_DIR_SUFFIX}`);
    try {
      fs.renameSync(from, to);
      fsyncDirSync(dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw storageError('rename for deletion', from, err);
      return;
    }
    fs.rm(to, { recursive: true, force: true }, (err) => {
      if (err) this.logger.warn(`deleting ${to}: ${err.message}`);
    });
  }

  /** Flushes every log whose flush.ms has elapsed since its last flush. */
  async flushDirtyLogs(): Promise<void> {
    const now = this.time.milliseconds();
    const flushes: Promise<void>[] = [];
    for (const log of this.logs.values()) {
      if (log.offlineError === null && now - log.lastFlushTime >= log.config.flushMs) flushes.push(log.flush());
    }
    await Promise.all(flushes);
  }

  private async writeOffsets(name: string, offsetOf: (log: PartitionLog) => number, async: boolean): Promise<void> {
    for (const dir of this.config.logDirs) {
      const entries: TopicPartitionOffset[] = [];
      for (const [tp, log] of this.logs) {
        if (this.dirOf.get(tp) === dir)
          entries.push({ topic: log.topic, partition: log.partition, offset: offsetOf(log) });
      }
      const file = new OffsetCheckpointFile(path.join(dir, name));
      if (async) await file.writeAsync(entries);
      else file.write(entries);
    }
  }

  checkpointRecoveryPoints(async = false): Promise<void> {
    return this.writeOffsets(RECOVERY_POINT_CHECKPOINT, (l) => l.recoveryPoint, async);
  }
  checkpointLogStartOffsets(async = false): Promise<void> {
    return this.writeOffsets(LOG_START_OFFSET_CHECKPOINT, (l) => l.logStartOffset, async);
  }
  checkpointHighWatermarks(async = false): Promise<void> {
    return this.writeOffsets(REPLICATION_OFFSET_CHECKPOINT, (l) => l.highWatermark, async);
  }

  /**
   * Stops the background tasks, closes every log (indexes written, unflushed data fdatasynced),
   * writes the checkpoints and then, in each dir where all of that succeeded, the clean-shutdown marker.
   */
  async shutdown(): Promise<void> {
    if (this.shutDown) return;
    this.shutDown = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    await this.cleaner?.shutdown();
    await Promise.allSettled([...this.logs.values()].map((l) => l.flush()));
    const failedDirs = new Set<string>();
    for (const [name, log] of this.logs) {
      try {
        log.close();
        if (log.offlineError !== null) failedDirs.add(this.dirOf.get(name)!);
      } catch (err) {
        failedDirs.add(this.dirOf.get(name)!);
        this.logger.error(`closing ${name}: ${String(err)}`);
      }
    }
    for (const name of this.offlineLogs.keys()) {
      const dir = this.dirOf.get(name);
      if (dir !== undefined) failedDirs.add(dir);
    }
    await this.checkpointRecoveryPoints();
    await this.checkpointLogStartOffsets();
    await this.checkpointHighWatermarks();
    for (const dir of this.config.logDirs) {
      if (failedDirs.has(dir)) continue;
      const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
      try {
        fs.writeFileSync(marker, '');
        fsyncDirSync(dir);
      } catch (err) {
        this.logger.error(`writing ${marker}: ${String(err)}`);
      }
    }
  }
}

/** meta.properties as key → value, or null if absent (Kafka's java.util.Properties text format, simple keys). */
export function readMetaProperties(dir: string): Map<string, string> | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, META_PROPERTIES_FILE), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw storageError('read', path.join(dir, META_PROPERTIES_FILE), err);
  }
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const eq = trimmed.search(/[=:]/);
    if (eq > 0) props.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  return props;
}

/** Writes meta.properties atomically (tmp, fsync, rename, fsync dir), e.g. version=0, broker.id, cluster.id. */
export function writeMetaProperties(dir: string, props: ReadonlyMap<string, string>): void {
  const file = path.join(dir, META_PROPERTIES_FILE);
  const tmp = `${file}.tmp`;
  let text = `#\n#${new Date().toString()}\n`;
  for (const [k, v] of props) text += `${k}=${v}\n`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDirSync(dir);
  } catch (err) {
    throw storageError('write', file, err);
  }
}
