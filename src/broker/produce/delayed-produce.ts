import { ErrorCode } from '../../protocol/errors.js';
import type { DelayedOperation } from '../delayed/purgatory.js';
import type { Partition } from '../partition.js';

/**
 * One partition of an acks=-1 produce waiting for replication (Kafka's ProducePartitionStatus):
 * `requiredOffset` is the append's last offset + 1. While `acksPending`, `errorCode` is what the
 * partition answers if the wait times out (REQUEST_TIMED_OUT).
 */
export interface ProducePartitionStatus {
  readonly key: string;
  readonly requiredOffset: number;
  readonly minInsyncReplicas: number;
  acksPending: boolean;
  errorCode: number;
}

export function pendingStatus(key: string, lastOffset: number, minInsyncReplicas: number): ProducePartitionStatus {
  return {
    key,
    requiredOffset: lastOffset + 1,
    minInsyncReplicas,
    acksPending: true,
    errorCode: ErrorCode.REQUEST_TIMED_OUT,
  };
}

/** How a delayed produce finds a partition by its partitionKey. */
export interface PartitionLookup {
  getPartitionByKey(key: string): Partition | undefined;
}

/**
 * An acks=-1 produce whose records are appended on the leader and wait for the ISR (Kafka's
 * DelayedProduce). Each partition is settled once:
 *  - the high watermark reaches its required offset: NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND if
 *    the (maximal) ISR is now below min.insync.replicas;
 *  - the partition went away or this broker no longer leads it: NOT_LEADER_OR_FOLLOWER.
 * The produce answers when every partition is settled, or at its timeout_ms with REQUEST_TIMED_OUT for
 * the unsettled ones. It is checked when a watched partition's high watermark or leadership moves;
 * becoming follower wakes it at once, so a leader that is one again later (its log possibly truncated
 * meanwhile) never acknowledges a produce from before.
 */
export class DelayedProduce implements DelayedOperation {
  constructor(
    private readonly partitions: PartitionLookup,
    private readonly statuses: readonly ProducePartitionStatus[],
    private readonly complete: () => void,
  ) {}

  /** The keys to watch: the partitions' partitionKeys. */
  get keys(): string[] {
    return this.statuses.map((s) => s.key);
  }

  tryComplete(): boolean {
    let pending = false;
    for (const s of this.statuses) {
      if (!s.acksPending) continue;
      const p = this.partitions.getPartitionByKey(s.key);
      const code =
        p === undefined
          ? ErrorCode.NOT_LEADER_OR_FOLLOWER
          : p.checkEnoughReplicasReachOffset(s.requiredOffset, s.minInsyncReplicas);
      if (code === null) {
        pending = true;
      } else {
        s.acksPending = false;
        s.errorCode = code;
      }
    }
    if (pending) return false;
    this.complete();
    return true;
  }

  onExpiration(): void {
    this.complete();
  }
}
