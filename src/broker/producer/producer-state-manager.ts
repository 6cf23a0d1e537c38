/**
 * One partition's idempotent-producer state (Kafka's ProducerStateManager): producer id → entry (epoch,
 * last 5 batches, last timestamp), what the leader checks a produce against, and its snapshots.
 *
 * Invariants:
 * - `mapEndOffset`: the state reflects every batch below it. Each leader append of client data goes
 *   through prepareAppend (before the log append) and completeAppend (after, with the offsets the log
 *   assigned), synchronously, so no other append slips between the check and the update.
 * - Snapshots (`<offset>.snapshot`, Kafka's format, see producer-snapshot.ts) are taken when the active
 *   segment rolls (at the new segment's base offset) and at clean shutdown (at the log end offset).
 *   The latest MAX_SNAPSHOTS are kept; Kafka keeps one per segment, for follower truncation.
 * - Load = the newest valid snapshot at or below the log end offset, then a header scan of the log from
 *   it (or from logStartOffset without one) to the log end. After a clean shutdown nothing is scanned;
 *   after an unclean stop, at most what was appended since the last roll; the first start of a log
 *   written before snapshots existed scans it all. Then expired producers are dropped.
 * - A producer is expired when idle (by its last batch's max timestamp) for producer.id.expiration.ms;
 *   its next batch is then accepted at any sequence, as for an unknown producer.
 */
import { unlinkSync } from 'node:fs';
import { NO_PRODUCER_ID } from '../../protocol/records/record-batch.js';
import { baseOffsetAt, batchSizeAt, lastOffsetAt } from '../../log/batch-header.js';
import type { LogAppendInfo } from '../../log/log-append-info.js';
import type { PartitionLog } from '../../log/partition-log.js';
import { CONSOLE_LOGGER, SYSTEM_TIME, type LogLogger, type Time } from '../../log/time.js';
import { APPEND, type ProducerAppendCheck, type ProducerBatch, checkClientBatch } from './producer-append-check.js';
import { ProducerStateEntry } from './producer-state-entry.js';
import { applyHeader, loadProducersFromLog } from './producer-state-loader.js';
import {
  CorruptSnapshotError,
  type SnapshotFile,
  listSnapshotFiles,
  readSnapshot,
  writeSnapshot,
} from './producer-snapshot.js';

/** Kafka's producer.id.expiration.ms default: one day. */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;
const MAX_SNAPSHOTS = 2;

export interface ProducerStateOptions {
  readonly producerIdExpirationMs?: number;
  readonly time?: Time;
  readonly logger?: LogLogger;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerStateEntry>();
  private _mapEndOffset = 0;
  private lastSnapOffset = -1;
  private snapshots: SnapshotFile[] = [];
  /** The active segment's base offset when prepareAppend ran, to notice a roll in completeAppend. */
  private segmentBeforeAppend = -1;
  private readonly expirationMs: number;
  private readonly time: Time;
  private readonly logger: LogLogger;

  private constructor(
    private readonly log: PartitionLog,
    options: ProducerStateOptions,
  ) {
    this.expirationMs = options.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS;
    this.time = options.time ?? SYSTEM_TIME;
    this.logger = options.logger ?? CONSOLE_LOGGER;
  }

  /** Loads the state of `log` from its snapshots and batch headers (see the class comment). */
  static load(log: PartitionLog, options: ProducerStateOptions = {}): ProducerStateManager {
    const m = new ProducerStateManager(log, options);
    m.loadState();
    return m;
  }

  get mapEndOffset(): number {
    return this._mapEndOffset;
  }

  /** Producer id → entry, for DescribeProducers. Read-only to callers. */
  get activeProducers(): ReadonlyMap<number, ProducerStateEntry> {
    return this.producers;
  }

  lastEntry(producerId: number): ProducerStateEntry | undefined {
    return this.producers.get(producerId);
  }

  /** The idempotence checks for a batch about to be appended at the log end (producer-append-check.ts). */
  prepareAppend(batch: ProducerBatch): ProducerAppendCheck {
    this.segmentBeforeAppend = this.log.activeSegment.baseOffset;
    if (batch.producerId === NO_PRODUCER_ID) return APPEND;
    return checkClientBatch(this.producers.get(batch.producerId), batch, this.log.logEndOffset, this.log.name);
  }

  /** Records an append that prepareAppend allowed, with the offsets and timestamp the log gave it. */
  completeAppend(batch: ProducerBatch, info: LogAppendInfo): void {
    const active = this.log.activeSegment.baseOffset;
    if (active !== this.segmentBeforeAppend && active === this._mapEndOffset) this.takeSnapshot();
    this.segmentBeforeAppend = -1;
    if (batch.producerId !== NO_PRODUCER_ID) {
      let entry = this.producers.get(batch.producerId);
      if (entry === undefined) {
        entry = new ProducerStateEntry(batch.producerId);
        this.producers.set(batch.producerId, entry);
      }
      entry.addBatch(batch.producerEpoch, {
        lastSeq: batch.lastSequence,
        lastOffset: info.lastOffset,
        offsetDelta: info.lastOffset - info.baseOffset,
        timestamp: info.maxTimestamp,
      });
    }
    this._mapEndOffset = info.lastOffset + 1;
  }

  /**
   * Records batches a follower appended (Kafka's append with origin REPLICATION): the leader checked
   * them, so the state just follows their headers. `segmentBeforeAppend` is the active segment's base
   * offset from before the append, to take the roll snapshot as a leader append does.
   */
  completeFollowerAppend(records: Buffer | readonly Buffer[], segmentBeforeAppend: number): void {
    const active = this.log.activeSegment.baseOffset;
    if (active !== segmentBeforeAppend && active === this._mapEndOffset) this.takeSnapshot();
    for (const buf of Buffer.isBuffer(records) ? [records] : records) {
      for (let at = 0; at < buf.length; at += batchSizeAt(buf, at)) {
        const lastOffset = lastOffsetAt(buf, at);
        applyHeader(buf.subarray(at), baseOffsetAt(buf, at), lastOffset, this.producers);
        this._mapEndOffset = lastOffset + 1;
      }
    }
  }

  /** Drops producers idle for producer.id.expiration.ms (none with an open transaction). */
  removeExpiredProducers(now = this.time.milliseconds()): number {
    let removed = 0;
    for (const [id, entry] of this.producers) {
      if (entry.currentTxnFirstOffset < 0 && now - entry.lastTimestamp >= this.expirationMs) {
        this.producers.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /**
   * Writes a snapshot at mapEndOffset unless one exists there, and deletes all but the newest
   * MAX_SNAPSHOTS. A failure is logged, not thrown: the log still holds everything a load needs.
   */
  takeSnapshot(): void {
    if (this._mapEndOffset <= this.lastSnapOffset) return;
    try {
      const written = writeSnapshot(this.log.dir, this._mapEndOffset, this.producers.values());
      this.snapshots = this.snapshots.filter((s) => s.offset !== written.offset);
      this.snapshots.push(written);
      this.lastSnapOffset = written.offset;
      while (this.snapshots.length > MAX_SNAPSHOTS) deleteSnapshot(this.snapshots.shift()!);
    } catch (err) {
      this.logger.warn(
        `[ProducerStateManager partition=${this.log.name}] Failed to write a producer snapshot: ${String(err)}`,
      );
    }
  }

  /**
   * Forgets the in-memory state and loads it again from the log as it now is: whoever truncates the
   * log (a follower's truncation, truncateFullyAndStartAt) must call this, so no state outlives the
   * batches it came from. Snapshots past the new log end are deleted.
   */
  truncateAndReload(): void {
    this.producers.clear();
    this.snapshots = [];
    this.lastSnapOffset = -1;
    this.segmentBeforeAppend = -1;
    this.loadState();
  }

  private loadState(): void {
    const { logStartOffset, logEndOffset, name } = this.log;
    const files = listSnapshotFiles(this.log.dir);
    const kept: SnapshotFile[] = [];
    for (const s of files) {
      if (s.offset > logEndOffset || s.offset < logStartOffset) deleteSnapshot(s);
      else kept.push(s);
    }
    let from = logStartOffset;
    while (kept.length > 0) {
      const latest = kept.at(-1)!;
      try {
        for (const entry of readSnapshot(latest.file)) this.producers.set(entry.producerId, entry);
        from = latest.offset;
        this.lastSnapOffset = latest.offset;
        this.logger.info(
          `[ProducerStateManager partition=${name}] Loading producer state from snapshot file '${latest.file}'`,
        );
        break;
      } catch (err) {
        const why = err instanceof CorruptSnapshotError ? err.message : String(err);
        this.logger.warn(
          `[ProducerStateManager partition=${name}] Failed to load producer snapshot from '${latest.file}': ${why}`,
        );
        this.producers.clear();
        deleteSnapshot(kept.pop()!);
      }
    }
    this.snapshots = kept;
    if (from < logEndOffset) {
      let stats;
      try {
        stats = loadProducersFromLog(this.log, from, this.producers);
      } catch (err) {
        // An unreadable log must not stop the broker: the partition knows fewer producers, whose
        // next batches are then accepted at any sequence, as after expiry.
        this.logger.error(`[ProducerStateManager partition=${name}] Failed to rebuild producer state: ${String(err)}`);
        stats = { batches: 0, bytes: 0 };
      }
      this.logger.info(
        `[ProducerStateManager partition=${name}] Reloaded producer state from offset ${from} to ${logEndOffset}: ` +
          `${stats.batches} batches, ${stats.bytes} bytes, ${this.producers.size} producers`,
      );
    }
    this._mapEndOffset = logEndOffset;
    this.removeExpiredProducers();
    // Spares the next start the same scan if this one stops uncleanly too.
    if (from < logEndOffset) this.takeSnapshot();
  }
}

function deleteSnapshot(s: SnapshotFile): void {
  try {
    unlinkSync(s.file);
  } catch {
    // Already gone: nothing to do.
  }
}
