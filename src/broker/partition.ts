import { ErrorCode } from '../protocol/errors.js';
import type { FetchDataInfo } from '../log/fetch-data-info.js';
import type { EpochEndOffset } from '../log/leader-epoch-cache.js';
import type { LogAppendInfo } from '../log/log-append-info.js';
import type { PartitionLog } from '../log/partition-log.js';
import { SYSTEM_TIME, type Time } from '../log/time.js';
import { Logger } from './logger.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import type { PartitionMetadata, UpdatePartitionStateResult } from './metadata/types.js';
import { ProducerStateManager, type ProducerStateOptions } from './producer/producer-state-manager.js';
import { Replica } from './replica.js';

/** Kafka's FetchIsolation: how far a read may go. */
export type ReadIsolation = 'LOG_END' | 'HIGH_WATERMARK' | 'TXN_COMMITTED';

/** The answer for one partition of a read: an error, or a region plus the partition's offsets. */
export interface PartitionRead {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** The log end offset before the read (what a follower's fetch is measured against). */
  readonly logEndOffset: number;
  /** Null with an error or when there is nothing to return; the caller releases it once sent. */
  readonly data: FetchDataInfo | null;
}

export class PartitionError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** One partition of a LeaderAndIsr request, as applied (cluster mode; standalone builds it from the store). */
export interface LeaderAndIsrState {
  readonly controllerEpoch: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** The state znode's version (the embedded store's partitionEpoch). */
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isNew: boolean;
}

/** Where a leader writes an ISR change: the state znode, with its version as the expected epoch. */
export type IsrWriter = Pick<MetadataStore, 'updatePartitionState'>;

/** The delayed requests a partition wakes when its high watermark moves (Kafka's DelayedOperations). */
export interface DelayedOperations {
  tryCompleteDelayedRequests(partition: Partition): void;
}

export interface PartitionReplicationOptions {
  /** Without it the ISR never changes here (standalone: the ISR is this broker). */
  readonly isrWriter?: IsrWriter;
  /** replica.lag.time.max.ms (Kafka's default 30000). */
  readonly replicaLagTimeMaxMs?: number;
  readonly delayedOperations?: DelayedOperations;
  readonly time?: Time;
  readonly logger?: Logger;
}

/** A placeholder state for a partition whose role the controller has not given yet. */
export function noLeaderState(partition: number, replicas: readonly number[]): PartitionMetadata {
  return { partition, leader: -1, leaderEpoch: -1, isr: [], partitionEpoch: -1, replicas };
}

/** An ISR change written but not yet acknowledged: the leader is at most `maximalIsr` meanwhile. */
interface PendingIsrChange {
  readonly isr: readonly number[];
  /** For an expansion the new ISR, for a shrink the current one (Kafka's maximal ISR, KIP-497). */
  readonly maximalIsr: readonly number[];
  readonly partitionEpoch: number;
}

const DEFAULT_REPLICA_LAG_TIME_MAX_MS = 30_000;
const PARTITION_LOGGER = new Logger('kafka.cluster.Partition');

/**
 * One partition replica on this broker (Kafka's Partition): its log, its leadership, and as leader the
 * state of each follower (replica.ts).
 *
 * Invariants:
 * - Appends go through a leader (`appendRecordsToLeader`) or, on a follower, `appendRecordsToFollower`,
 *   synchronously: the order of appends is the order of calls.
 * - The leader's high watermark only grows; it is the smallest log end offset among the maximal ISR
 *   (the ISR, plus a replica whose addition is being written) and the followers that are caught up but
 *   not yet in the ISR (Kafka's maybeIncrementLeaderHW). With an ISR of this broker alone it follows
 *   the log end offset at once. Consumers read only below it.
 * - Roles come from the store (standalone, `updateState`) or the controller (`makeLeader`,
 *   `makeFollower`); a state with an older partitionEpoch is ignored.
 * - An ISR change is computed, written with the current partitionEpoch as the expected version, and
 *   applied only if nothing changed meanwhile. While it is in flight no other is started; a refused
 *   write (INVALID_UPDATE_VERSION) keeps the old ISR and waits for the controller's next state.
 */
export class Partition {
  private _leaderId: number;
  private _leaderEpoch: number;
  private _isr: readonly number[];
  private _replicas: readonly number[];
  private _partitionEpoch: number;
  private _controllerEpoch = 0;
  /** The log end offset when this broker became leader for the current epoch; -1 when not leader. */
  private _leaderEpochStartOffset = -1;
  /** Followers' states, leader only (empty on a follower). */
  private readonly remoteReplicas = new Map<number, Replica>();
  private pendingIsr: PendingIsrChange | null = null;
  /** An ISR write was refused at the current partitionEpoch: wait for a new state. */
  private isrWriteFenced = false;
  private readonly isrWriter: IsrWriter | null;
  private readonly replicaLagTimeMaxMs: number;
  private readonly delayedOperations: DelayedOperations | null;
  private readonly time: Time;
  private readonly logger: Logger;
  /** Idempotent producers' epochs and sequences, checked by the leader on each append. */
  readonly producerStateManager: ProducerStateManager;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly topicId: string,
    readonly log: PartitionLog,
    private readonly localBrokerId: number,
    state: PartitionMetadata,
    producerState: ProducerStateOptions = {},
    replication: PartitionReplicationOptions = {},
  ) {
    this.producerStateManager = ProducerStateManager.load(log, producerState);
    this.isrWriter = replication.isrWriter ?? null;
    this.replicaLagTimeMaxMs = replication.replicaLagTimeMaxMs ?? DEFAULT_REPLICA_LAG_TIME_MAX_MS;
    this.delayedOperations = replication.delayedOperations ?? null;
    this.time = replication.time ?? SYSTEM_TIME;
    this.logger = replication.logger ?? PARTITION_LOGGER;
    this._leaderId = state.leader;
    this._leaderEpoch = state.leaderEpoch;
    this._isr = state.isr;
    this._replicas = state.replicas;
    this._partitionEpoch = state.partitionEpoch;
    if (this.isLeader) {
      this.updateRemoteReplicas(state.replicas);
      this.startLeaderEpoch(this.time.milliseconds(), true, state.isr, false);
      this.maybeIncrementLeaderHW(this.time.milliseconds());
    }
  }

  get leaderId(): number {
    return this._leaderId;
  }

  get leaderEpoch(): number {
    return this._leaderEpoch;
  }

  /** The committed ISR (on a follower, empty after makeFollower, as Kafka's). */
  get isr(): readonly number[] {
    return this._isr;
  }

  /** The ISR the high watermark and min.insync.replicas count against (KIP-497's maximal ISR). */
  get maximalIsr(): readonly number[] {
    return this.pendingIsr?.maximalIsr ?? this._isr;
  }

  get replicas(): readonly number[] {
    return this._replicas;
  }

  get partitionEpoch(): number {
    return this._partitionEpoch;
  }

  get controllerEpoch(): number {
    return this._controllerEpoch;
  }

  get leaderEpochStartOffset(): number {
    return this._leaderEpochStartOffset;
  }

  /**
   * KIP-207: a new leader's high watermark may still be below the start of its epoch (the followers
   * have not caught up yet); consumers then get OFFSET_NOT_AVAILABLE for the latest offset, and for a
   * timestamp search answering at or past the high watermark, rather than an offset that moves back.
   */
  get highWatermarkLagsEpochStart(): boolean {
    return this.isLeader && this._leaderEpochStartOffset > this.log.highWatermark;
  }

  /** Whether an ISR write is in flight. */
  get isrChangeInFlight(): boolean {
    return this.pendingIsr !== null;
  }

  get isLeader(): boolean {
    return this._leaderId === this.localBrokerId;
  }

  get name(): string {
    return this.log.name;
  }

  /** A follower's state as this leader knows it; undefined for a non-replica or on a follower. */
  getReplica(brokerId: number): Replica | undefined {
    return this.remoteReplicas.get(brokerId);
  }

  /** Standalone: applies the store's state; a stale leader epoch is ignored. */
  updateState(state: PartitionMetadata): void {
    if (state.leaderEpoch < this._leaderEpoch) return;
    const applied: LeaderAndIsrState = { ...state, controllerEpoch: this._controllerEpoch, isNew: false };
    if (state.leader === this.localBrokerId) this.makeLeader(applied);
    else this.makeFollower(applied);
  }

  /**
   * Becomes (or stays) leader with `state` (Kafka's makeLeader). A new leader epoch starts at the log
   * end offset, and the followers' states are reset: ISR members count as caught up now. Returns true
   * if this broker was not leader or the leader epoch is new (the delayed requests on this partition are
   * then woken); false also for a stale partitionEpoch.
   * `highWatermarkCheckpoint` raises the high watermark of a log opened without its checkpoint.
   */
  makeLeader(state: LeaderAndIsrState, highWatermarkCheckpoint?: number): boolean {
    if (state.partitionEpoch < this._partitionEpoch) {
      this.logger.info(
        `Skipped the become-leader state change for ${this.name} with partition epoch ${state.partitionEpoch} since it is already at partition epoch ${this._partitionEpoch}.`,
      );
      return false;
    }
    const now = this.time.milliseconds();
    const isNewLeader = !this.isLeader;
    const isNewLeaderEpoch = state.leaderEpoch > this._leaderEpoch;
    this._controllerEpoch = state.controllerEpoch;
    this._replicas = state.replicas;
    this._isr = state.isr;
    this.pendingIsr = null;
    this.isrWriteFenced = false;
    this._partitionEpoch = state.partitionEpoch;
    this._leaderId = this.localBrokerId;
    if (highWatermarkCheckpoint !== undefined && highWatermarkCheckpoint > this.log.highWatermark) {
      this.log.updateHighWatermark(highWatermarkCheckpoint);
    }
    this.updateRemoteReplicas(state.replicas);
    if (isNewLeaderEpoch || isNewLeader) {
      this._leaderEpoch = Math.max(this._leaderEpoch, state.leaderEpoch);
      this.startLeaderEpoch(now, isNewLeader, state.isr);
    }
    const hwIncremented = this.maybeIncrementLeaderHW(now);
    // Fetches naming the old epoch, and produces appended in it, answer now.
    if (hwIncremented || isNewLeader || isNewLeaderEpoch) this.tryCompleteDelayedRequests();
    return isNewLeader || isNewLeaderEpoch;
  }

  private startLeaderEpoch(now: number, isNewLeader: boolean, isr: readonly number[], announce = true): void {
    const startOffset = this.log.logEndOffset;
    this.log.maybeAssignEpochStartOffset(this._leaderEpoch, startOffset);
    this._leaderEpochStartOffset = startOffset;
    for (const r of this.remoteReplicas.values()) r.reset(now, startOffset, isNewLeader, isr.includes(r.brokerId));
    if (!announce) return;
    this.logger.info(
      `${this.name} starts at leader epoch ${this._leaderEpoch} from offset ${startOffset} with partition epoch ${this._partitionEpoch}, high watermark ${this.log.highWatermark}, ISR [${isr.join(',')}]`,
    );
  }

  /** Keeps a Replica per assigned follower: new ones are added, removed ones dropped. */
  private updateRemoteReplicas(replicas: readonly number[]): void {
    for (const id of this.remoteReplicas.keys()) if (!replicas.includes(id)) this.remoteReplicas.delete(id);
    for (const id of replicas) {
      if (id !== this.localBrokerId && !this.remoteReplicas.has(id)) this.remoteReplicas.set(id, new Replica(id));
    }
  }

  /**
   * Becomes a follower of `state.leader` (Kafka's makeFollower): the ISR is the leader's business, so it
   * is emptied here. Returns true if the leader or the leader epoch changed (the fetcher must restart),
   * and then wakes the delayed requests on this partition; false also for a stale partitionEpoch.
   */
  makeFollower(state: LeaderAndIsrState): boolean {
    if (state.partitionEpoch < this._partitionEpoch) {
      this.logger.info(
        `Skipped the become-follower state change for ${this.name} with partition epoch ${state.partitionEpoch} since it is already at partition epoch ${this._partitionEpoch}.`,
      );
      return false;
    }
    const changed = state.leaderEpoch > this._leaderEpoch || state.leader !== this._leaderId;
    this._controllerEpoch = state.controllerEpoch;
    this._leaderId = state.leader;
    this._leaderEpoch = Math.max(this._leaderEpoch, state.leaderEpoch);
    this._leaderEpochStartOffset = -1;
    this._partitionEpoch = state.partitionEpoch;
    this._replicas = state.replicas;
    this._isr = [];
    this.remoteReplicas.clear();
    this.pendingIsr = null;
    this.isrWriteFenced = false;
    if (changed) {
      this.logger.info(
        `Follower ${this.name} starts at leader epoch ${state.leaderEpoch} from offset ${this.log.logEndOffset} with partition epoch ${state.partitionEpoch} and high watermark ${this.log.highWatermark}. Current leader is ${state.leader}.`,
      );
      // Produces waiting for this broker's ISR and fetches of the old epoch answer now.
      this.tryCompleteDelayedRequests();
    }
    return changed;
  }

  /**
   * Checks that this replica may take a produce with `requiredAcks` now (Kafka's
   * appendRecordsToLeader preconditions); throws a PartitionError otherwise.
   */
  checkAppend(requiredAcks: number, minInsyncReplicas: number): void {
    if (!this.isLeader) {
      throw new PartitionError(
        ErrorCode.NOT_LEADER_OR_FOLLOWER,
        `broker ${this.localBrokerId} does not lead ${this.name}`,
      );
    }
    if (requiredAcks === -1 && this._isr.length < minInsyncReplicas) {
      throw new PartitionError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `The size of the current ISR ${this._isr.length} is insufficient to satisfy the min.isr requirement of ${minInsyncReplicas} for partition ${this.name}`,
      );
    }
  }

  /**
   * Appends validated records (relative offsets) as leader; the log assigns offsets. The caller wakes
   * the delayed operations (Kafka's ReplicaManager does, after the append).
   */
  appendRecordsToLeader(records: Buffer): LogAppendInfo {
    const info = this.log.appendAsLeader(records, this._leaderEpoch);
    this.maybeIncrementLeaderHW(this.time.milliseconds());
    return info;
  }

  /** As a leader: moves the high watermark up if the ISR allows; returns whether it moved. */
  maybeIncrementHighWatermark(): boolean {
    return this.maybeIncrementLeaderHW(this.time.milliseconds());
  }

  private maybeIncrementLeaderHW(now: number): boolean {
    if (!this.isLeader) return false;
    const leaderEndOffset = this.log.logEndOffset;
    const maximalIsr = this.maximalIsr;
    let newHighWatermark = leaderEndOffset;
    for (const r of this.remoteReplicas.values()) {
      if (
        r.logEndOffset < newHighWatermark &&
        (maximalIsr.includes(r.brokerId) || r.isCaughtUp(leaderEndOffset, now, this.replicaLagTimeMaxMs))
      ) {
        newHighWatermark = r.logEndOffset;
      }
    }
    const before = this.log.highWatermark;
    if (newHighWatermark <= before) return false;
    return this.log.updateHighWatermark(newHighWatermark) > before;
  }

  private tryCompleteDelayedRequests(): void {
    this.delayedOperations?.tryCompleteDelayedRequests(this);
  }

  /**
   * Kafka's checkEnoughReplicasReachOffset for an acks=-1 produce waiting on `requiredOffset`: null
   * while the high watermark is below it; then NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR
   * shrank below min.insync.replicas meanwhile; NOT_LEADER_OR_FOLLOWER once no longer leader.
   */
  checkEnoughReplicasReachOffset(requiredOffset: number, minInsyncReplicas: number): number | null {
    if (!this.isLeader) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (this.log.highWatermark < requiredOffset) return null;
    return this.maximalIsr.length >= minInsyncReplicas ? ErrorCode.NONE : ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
  }

  // ---- leader: followers' fetches and the ISR ------------------------------------------------------

  /**
   * Records a follower's fetch at `fetchOffset`, read when the leader's log ended at
   * `leaderEndOffsetAtRead` (Kafka's updateFollowerFetchState): may add it to the ISR, and may move the
   * high watermark, which wakes delayed produces and fetches. Returns whether the high watermark moved.
   */
  updateFollowerFetchState(
    followerId: number,
    fetchOffset: number,
    leaderEndOffsetAtRead: number,
    nowMs: number,
    followerLogStartOffset = -1,
  ): boolean {
    const replica = this.remoteReplicas.get(followerId);
    if (replica === undefined || !this.isLeader) return false;
    const previous = replica.logEndOffset;
    replica.updateFetchState(fetchOffset, followerLogStartOffset, nowMs, leaderEndOffsetAtRead);
    this.maybeExpandIsr(replica);
    if (previous === replica.logEndOffset || !this.maybeIncrementLeaderHW(nowMs)) return false;
    this.tryCompleteDelayedRequests();
    return true;
  }

  /** Kafka's isFollowerInSync: at or past the high watermark and the start of this leader epoch. */
  private isFollowerInSync(replica: Replica): boolean {
    const leo = replica.logEndOffset;
    return leo >= this.log.highWatermark && leo >= this._leaderEpochStartOffset;
  }

  private canChangeIsr(): boolean {
    return this.isLeader && this.isrWriter !== null && this.pendingIsr === null && !this.isrWriteFenced;
  }

  private maybeExpandIsr(replica: Replica): void {
    const id = replica.brokerId;
    if (!this.canChangeIsr() || this._isr.includes(id) || !this._replicas.includes(id)) return;
    if (!this.isFollowerInSync(replica)) return;
    const newIsr = [...this._isr, id];
    this.logger.info(
      `Expanding ISR of ${this.name} from [${this._isr.join(',')}] to [${newIsr.join(',')}] (follower ${id} at offset ${replica.logEndOffset}, high watermark ${this.log.highWatermark})`,
    );
    void this.submitIsrChange(newIsr, newIsr);
  }

  /**
   * Removes from the ISR the followers that have not caught up within replica.lag.time.max.ms (Kafka's
   * maybeShrinkIsr); resolves once the write is settled (at once when there is nothing to do).
   */
  maybeShrinkIsr(nowMs: number = this.time.milliseconds()): Promise<void> {
    if (!this.canChangeIsr()) return Promise.resolve();
    const leaderEndOffset = this.log.logEndOffset;
    const outOfSync = this._isr.filter((id) => {
      if (id === this.localBrokerId) return false;
      const r = this.remoteReplicas.get(id);
      return r === undefined || !r.isCaughtUp(leaderEndOffset, nowMs, this.replicaLagTimeMaxMs);
    });
    if (outOfSync.length === 0) return Promise.resolve();
    const newIsr = this._isr.filter((id) => !outOfSync.includes(id));
    const lags = outOfSync.map((id) => {
      const r = this.remoteReplicas.get(id);
      return `(brokerId: ${id}, endOffset: ${r?.logEndOffset ?? -1}, lastCaughtUpTimeMs: ${r?.lastCaughtUpTimeMs ?? -1})`;
    });
    this.logger.info(
      `Shrinking ISR of ${this.name} from [${this._isr.join(',')}] to [${newIsr.join(',')}]. Leader: (highWatermark: ${this.log.highWatermark}, endOffset: ${leaderEndOffset}). Out of sync replicas: ${lags.join(', ')}.`,
    );
    return this.submitIsrChange(newIsr, this._isr);
  }

  /** Writes `isr` at the current partitionEpoch; applies it when the write succeeds and nothing moved. */
  private submitIsrChange(isr: readonly number[], maximalIsr: readonly number[]): Promise<void> {
    const pending: PendingIsrChange = { isr, maximalIsr, partitionEpoch: this._partitionEpoch };
    this.pendingIsr = pending;
    // As Kafka's ZkIsrManager: the state znode keeps the epoch of the controller that chose this leader.
    const update = {
      leader: this.localBrokerId,
      leaderEpoch: this._leaderEpoch,
      isr,
      controllerEpoch: this._controllerEpoch,
    };
    let write: Promise<UpdatePartitionStateResult>;
    try {
      write = this.isrWriter!.updatePartitionState(this.topic, this.partition, update, pending.partitionEpoch);
    } catch (err) {
      write = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return write.then(
      (result) => this.completeIsrChange(pending, result),
      (err: unknown) => this.failIsrChange(pending, String(err)),
    );
  }

  private completeIsrChange(pending: PendingIsrChange, result: UpdatePartitionStateResult): void {
    // A new state arrived meanwhile (it cleared pendingIsr): it rules, whatever this write did.
    if (this.pendingIsr !== pending) return;
    this.pendingIsr = null;
    if (result.errorCode !== ErrorCode.NONE) {
      // INVALID_UPDATE_VERSION (the controller moved the state on), FENCED_LEADER_EPOCH or an unknown
      // partition: this leader's view is stale; keep the ISR and wait for the controller.
      this.isrWriteFenced = true;
      this.logger.info(
        `Failed to update the ISR of ${this.name} to [${pending.isr.join(',')}] at partition epoch ${pending.partitionEpoch}: ${result.errorMessage ?? result.errorCode}. Waiting for the controller.`,
      );
    } else {
      this._isr = pending.isr;
      this._partitionEpoch = result.partition?.partitionEpoch ?? pending.partitionEpoch + 1;
    }
    if (this.maybeIncrementLeaderHW(this.time.milliseconds())) this.tryCompleteDelayedRequests();
  }

  /** The store could not write (ZooKeeper unreachable): keep the ISR; the next check tries again. */
  private failIsrChange(pending: PendingIsrChange, why: string): void {
    if (this.pendingIsr !== pending) return;
    this.pendingIsr = null;
    this.logger.warn(`Failed to update the ISR of ${this.name} to [${pending.isr.join(',')}]: ${why}`);
  }

  // ---- follower: appends and truncation ------------------------------------------------------------

  /**
   * Appends batches fetched from the leader, keeping their offsets, and records their producers (Kafka's
   * appendRecordsToFollowerOrFutureReplica). Null when `records` holds no batch.
   */
  appendRecordsToFollower(records: Buffer): LogAppendInfo | null {
    if (records.length === 0) return null;
    const segmentBefore = this.log.activeSegment.baseOffset;
    const info = this.log.appendAsFollower(records);
    if (info.batchCount === 0) return null;
    this.producerStateManager.completeFollowerAppend(records, segmentBefore);
    return info;
  }

  /** Removes every offset >= `offset` (leader-epoch truncation) and reloads the producer state. */
  truncateTo(offset: number): void {
    if (this.log.truncateTo(offset)) this.producerStateManager.truncateAndReload();
  }

  /** Empties the log and starts it at `offset` (the leader's log starts past ours). */
  truncateFullyAndStartAt(offset: number): void {
    this.log.truncateFullyAndStartAt(offset);
    this.producerStateManager.truncateAndReload();
  }

  /** A follower's high watermark: the leader's, bounded by what this log holds. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const before = this.log.highWatermark;
    const hw = this.log.updateHighWatermark(Math.min(leaderHighWatermark, this.log.logEndOffset));
    // Consumers (v11+) may read from a follower: wake the ones waiting.
    if (hw !== before) this.tryCompleteDelayedRequests();
  }

  // ---- reads ---------------------------------------------------------------------------------------

  /**
   * The last stable offset: the first offset of the earliest open transaction, or the high watermark
   * when none is open (always, until transactions exist). read_committed consumers read below it.
   */
  get lastStableOffset(): number {
    return this.log.highWatermark;
  }

  /**
   * Kafka's check of a follower's last fetched epoch (Fetch v12+, in readRecords): null when the
   * follower's log agrees with this one up to `fetchOffset`; else the epoch and end offset it diverges
   * at (it truncates there). OFFSET_OUT_OF_RANGE when this log cannot place the epoch, or `fetchOffset`
   * is below the log start.
   */
  divergingEpoch(lastFetchedEpoch: number, fetchOffset: number): EpochEndOffset | null {
    const end = this.log.endOffsetForEpoch(lastFetchedEpoch);
    if (end.endOffset < 0 || end.leaderEpoch < 0) {
      throw new PartitionError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Could not determine the end offset of the last fetched epoch ${lastFetchedEpoch} in ${this.name}`,
      );
    }
    if (fetchOffset < this.log.logStartOffset) {
      throw new PartitionError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Received request for offset ${fetchOffset} for partition ${this.name}, but we only have log segments starting at ${this.log.logStartOffset}`,
      );
    }
    return end.leaderEpoch < lastFetchedEpoch || end.endOffset < fetchOffset ? end : null;
  }

  /**
   * Reads for a replica (LOG_END: up to the log end), a read_uncommitted consumer (HIGH_WATERMARK) or
   * a read_committed one (TXN_COMMITTED: up to the last stable offset), with KIP-74's rule when
   * `minOneMessage`. An offset outside [logStartOffset, logEndOffset] is OFFSET_OUT_OF_RANGE. The
   * offsets answered are those before the read.
   */
  read(fetchOffset: number, maxBytes: number, isolation: ReadIsolation, minOneMessage: boolean): PartitionRead {
    const log = this.log;
    const base = {
      highWatermark: log.highWatermark,
      lastStableOffset: this.lastStableOffset,
      logStartOffset: log.logStartOffset,
      logEndOffset: log.logEndOffset,
    };
    if (fetchOffset < log.logStartOffset || fetchOffset > log.logEndOffset) {
      return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, data: null };
    }
    const data =
      isolation === 'TXN_COMMITTED'
        ? log.read(fetchOffset, {
            maxBytes,
            isolation: 'HIGH_WATERMARK',
            maxOffset: base.lastStableOffset,
            minOneMessage,
          })
        : log.read(fetchOffset, { maxBytes, isolation, minOneMessage });
    return { ...base, errorCode: ErrorCode.NONE, data };
  }
}
