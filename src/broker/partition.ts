import { ErrorCode } from '../protocol/errors.js';
import type { FetchDataInfo } from '../log/fetch-data-info.js';
import type { LogAppendInfo } from '../log/log-append-info.js';
import type { PartitionLog } from '../log/partition-log.js';
import type { PartitionMetadata } from './metadata/types.js';
import { ProducerStateManager, type ProducerStateOptions } from './producer/producer-state-manager.js';

/** Kafka's FetchIsolation: how far a read may go. */
export type ReadIsolation = 'LOG_END' | 'HIGH_WATERMARK' | 'TXN_COMMITTED';

/** The answer for one partition of a read: an error, or a region plus the partition's offsets. */
export interface PartitionRead {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
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

/**
 * One partition replica on this broker (Kafka's Partition): its log and its leadership state.
 *
 * Invariants: appends go only through a leader (`appendRecordsToLeader`), synchronously, so the order of
 * appends is the order of calls; the high watermark is the smallest log end offset in the ISR, so with
 * an ISR of this broker alone it follows the log end offset at once; consumers read only below it.
 * Leadership changes come from the metadata (standalone) or the controller (cluster mode), with a
 * leader epoch that only grows.
 */
export class Partition {
  private _leaderId: number;
  private _leaderEpoch: number;
  private _isr: readonly number[];
  private _replicas: readonly number[];
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
  ) {
    this.producerStateManager = ProducerStateManager.load(log, producerState);
    this._leaderId = state.leader;
    this._leaderEpoch = state.leaderEpoch;
    this._isr = state.isr;
    this._replicas = state.replicas;
    if (this.isLeader) this.becomeLeader();
  }

  get leaderId(): number {
    return this._leaderId;
  }

  get leaderEpoch(): number {
    return this._leaderEpoch;
  }

  get isr(): readonly number[] {
    return this._isr;
  }

  get replicas(): readonly number[] {
    return this._replicas;
  }

  get isLeader(): boolean {
    return this._leaderId === this.localBrokerId;
  }

  get name(): string {
    return this.log.name;
  }

  /** Applies new leadership state; a stale epoch is ignored. */
  updateState(state: PartitionMetadata): void {
    if (state.leaderEpoch < this._leaderEpoch) return;
    const wasLeader = this.isLeader;
    this._leaderId = state.leader;
    this._leaderEpoch = state.leaderEpoch;
    this._isr = state.isr;
    this._replicas = state.replicas;
    if (this.isLeader && !wasLeader) this.becomeLeader();
  }

  private becomeLeader(): void {
    this.log.maybeAssignEpochStartOffset(this._leaderEpoch, this.log.logEndOffset);
    this.maybeIncrementHighWatermark();
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

  /** Appends validated records (relative offsets) as leader; the log assigns offsets. */
  appendRecordsToLeader(records: Buffer): LogAppendInfo {
    const info = this.log.appendAsLeader(records, this._leaderEpoch);
    this.maybeIncrementHighWatermark();
    return info;
  }

  /** HW = the smallest log end offset among ISR members; only this broker's is known standalone. */
  maybeIncrementHighWatermark(): boolean {
    const before = this.log.highWatermark;
    return this.log.updateHighWatermark(this.log.logEndOffset) > before;
  }

  /**
   * The last stable offset: the first offset of the earliest open transaction, or the high watermark
   * when none is open (always, until transactions exist). read_committed consumers read below it.
   */
  get lastStableOffset(): number {
    return this.log.highWatermark;
  }

  /**
   * Reads for a replica (LOG_END: up to the log end), a read_uncommitted consumer (HIGH_WATERMARK) or
   * a read_committed one (TXN_COMMITTED: up to the last stable offset), with KIP-74's rule when
   * `minOneMessage`. An offset outside [logStartOffset, logEndOffset] is OFFSET_OUT_OF_RANGE.
   */
  read(fetchOffset: number, maxBytes: number, isolation: ReadIsolation, minOneMessage: boolean): PartitionRead {
    const log = this.log;
    const base = {
      highWatermark: log.highWatermark,
      lastStableOffset: this.lastStableOffset,
      logStartOffset: log.logStartOffset,
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
