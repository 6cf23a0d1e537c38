/**
 * What the follower side of replication (replica fetchers) sees of the broker, kept narrow so the
 * fetcher's rules can be tested against real logs without a whole broker.
 */
import type { LogAppendInfo } from '../../log/log-append-info.js';
import type { PartitionLog } from '../../log/partition-log.js';

/** A broker as a fetcher reaches it: its inter-broker listener's host and port. */
export interface BrokerEndPoint {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

/**
 * A follower replica as its fetcher writes it (implemented by Partition, adapted by the
 * ReplicaManager). Every call is synchronous: between two awaits of the fetcher nothing else writes it.
 */
export interface FollowerPartition {
  readonly log: PartitionLog;
  /** Appends batches fetched from the leader, offsets kept; null when there was nothing to append. */
  appendRecordsToFollower(records: Buffer): LogAppendInfo | null;
  /** Removes every offset >= offset (log, leader-epoch cache, producer state). */
  truncateTo(offset: number): void;
  /** Deletes the whole log and starts it empty at offset (the leader's log start is past our end). */
  truncateFullyAndStartAt(offset: number): void;
  /** HW = min(leader's HW, own log end offset). */
  updateFollowerHighWatermark(leaderHighWatermark: number): void;
}

/** Kafka's InitialFetchState: where a new follower starts and whom it fetches from. */
export interface InitialFetchState {
  readonly topic: string;
  readonly partition: number;
  /** The zero UUID when the controller sent none (LeaderAndIsr < v5). */
  readonly topicId: string;
  readonly leader: BrokerEndPoint;
  readonly currentLeaderEpoch: number;
  /** The high watermark: truncation decides the real start. */
  readonly initOffset: number;
  readonly replica: FollowerPartition;
}

/**
 * Kafka's ReplicaState: a new follower first Truncates (OffsetForLeaderEpoch decides how much of its
 * tail the leader does not have), then Fetches from its log end offset.
 */
export type ReplicaState = 'Truncating' | 'Fetching';

/** Kafka's PartitionFetchState; replaced (never edited) when LeaderAndIsr changes the partition. */
export interface PartitionFetchState {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly replica: FollowerPartition;
  readonly currentLeaderEpoch: number;
  fetchOffset: number;
  state: ReplicaState;
  /** Not fetched before this time (ms since the epoch) after an error; 0 when ready. */
  delayedUntil: number;
}

/** OffsetForLeaderEpoch's answer for one partition (or a diverging epoch of a Fetch answer). */
export interface EpochEndOffset {
  readonly errorCode: number;
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

/** Kafka's OffsetTruncationState: truncate to offset; incomplete means ask the leader again. */
export interface OffsetTruncationState {
  readonly offset: number;
  readonly truncationCompleted: boolean;
}
