import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { RecordsData } from '../../protocol/primitives/writer.js';
import { errorCodeOf } from '../error-codes.js';
import { PartitionError, type Partition, type ReadIsolation } from '../partition.js';
import type { ReplicaManager } from '../replica-manager.js';
import { FileRecords } from './file-records.js';
import type { FetchTarget, PartitionOutcome } from './fetch-session.js';

/** What one Fetch asks as a whole (Kafka's FetchParams). */
export interface FetchParams {
  readonly version: number;
  readonly replicaId: number;
  /** replica_id >= 0: a follower replicating; it reads to the log end and only from the leader. */
  readonly isFromFollower: boolean;
  /** Followers, and consumers below v11 (which send no rack and so cannot be sent to a follower). */
  readonly fetchOnlyLeader: boolean;
  readonly isolation: ReadIsolation;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  /** The request's max bytes capped by fetch.max.bytes. */
  readonly maxBytes: number;
}

/** Kafka's FetchRequest.isConsumer: any negative id but -3 (a future local replica). */
const FUTURE_LOCAL_REPLICA_ID = -3;

export function fetchParams(
  version: number,
  replicaId: number,
  isolationLevel: number,
  maxWaitMs: number,
  minBytes: number,
  requestMaxBytes: number,
  brokerFetchMaxBytes: number,
): FetchParams {
  const isFromFollower = replicaId >= 0;
  const isConsumer = replicaId < 0 && replicaId !== FUTURE_LOCAL_REPLICA_ID;
  const maxBytes = Math.min(version >= 3 ? requestMaxBytes : 0x7fffffff, brokerFetchMaxBytes);
  return {
    version,
    replicaId,
    isFromFollower,
    fetchOnlyLeader: isFromFollower || (isConsumer && version < 11),
    isolation: !isConsumer ? 'LOG_END' : version >= 4 && isolationLevel === 1 ? 'TXN_COMMITTED' : 'HIGH_WATERMARK',
    maxWaitMs,
    minBytes: Math.min(minBytes, maxBytes),
    maxBytes,
  };
}

/** Where a follower's log diverges from the leader's (Fetch v12+ diverging_epoch). */
export interface DivergingEpoch {
  readonly epoch: number;
  readonly endOffset: number;
}

/** One partition's answer. `bytes` counts the stored (unconverted) records. */
export interface PartitionData extends PartitionOutcome {
  readonly target: FetchTarget;
  /** The replica read from; null when the read failed before reaching one. */
  readonly partition: Partition | null;
  readonly lastStableOffset: number;
  readonly abortedTransactions: never[] | null;
  readonly records: RecordsData | null;
  /** Set (with no records) when the fetcher's last fetched epoch does not match this log. */
  readonly divergingEpoch: DivergingEpoch | null;
}

// Shared by every read_committed answer; encoders only read it.
const NO_ABORTED: never[] = [];

export function partitionError(
  target: FetchTarget,
  errorCode: number,
  partition: Partition | null = null,
): PartitionData {
  return {
    target,
    partition,
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    abortedTransactions: null,
    records: null,
    bytes: 0,
    preferredReadReplica: -1,
    divergingEpoch: null,
  };
}

/**
 * Reads every target once, in order, within the response's byte budget (Kafka's readFromLog): each
 * partition gets at most its own max bytes and what is left of the response's; until one partition
 * has returned data, a first batch larger than both is still returned whole (KIP-74), except to
 * v0-2, whose limit is hard.
 *
 * A follower's read (replica_id >= 0) also records where the follower is (Partition's
 * updateFollowerFetchState, which may move the ISR and the high watermark) when `updateFetchState`:
 * on the first read of a request, not on the re-read of a delayed one (Kafka's !readFromPurgatory).
 * `divergent` tells whether some partition answered a diverging epoch (the fetch must not wait).
 */
export function readPartitions(
  rm: ReplicaManager,
  targets: readonly FetchTarget[],
  params: FetchParams,
  updateFetchState = true,
): { partitions: PartitionData[]; totalBytes: number; errors: boolean; divergent: boolean } {
  let remaining = params.maxBytes;
  let minOneMessage = params.version >= 3;
  let totalBytes = 0;
  let errors = false;
  let divergent = false;
  const fetchTimeMs = Date.now();
  const partitions: PartitionData[] = new Array<PartitionData>(targets.length);
  for (let i = 0; i < targets.length; i++) {
    const data = readOne(rm, targets[i]!, remaining, minOneMessage, params, updateFetchState, fetchTimeMs);
    if (data.bytes > 0) minOneMessage = false;
    remaining = Math.max(0, remaining - data.bytes);
    totalBytes += data.bytes;
    if (data.errorCode !== ErrorCode.NONE) errors = true;
    if (data.divergingEpoch !== null) divergent = true;
    partitions[i] = data;
  }
  return { partitions, totalBytes, errors, divergent };
}

/** Finds the replica a fetch may read, or the error Kafka answers instead (Partition.getLocalLog). */
export function resolveReplica(rm: ReplicaManager, target: FetchTarget, params: FetchParams): Partition | number {
  if (target.topic === null) return ErrorCode.UNKNOWN_TOPIC_ID;
  const p = rm.getPartition(target.topic, target.partition);
  if (p === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (target.topicId !== ZERO_UUID && target.topicId !== p.topicId) return ErrorCode.INCONSISTENT_TOPIC_ID;
  if (target.currentLeaderEpoch >= 0 && target.currentLeaderEpoch < p.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
  if (target.currentLeaderEpoch > p.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
  if (params.fetchOnlyLeader && !p.isLeader) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  if (params.isFromFollower && !p.replicas.includes(params.replicaId)) {
    // Kafka's followerReplicaOrThrow: with an epoch that matches, the replica set is what lags.
    return target.currentLeaderEpoch >= 0 ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.NOT_LEADER_OR_FOLLOWER;
  }
  if (p.log.offlineError !== null) return ErrorCode.KAFKA_STORAGE_ERROR;
  return p;
}

function readOne(
  rm: ReplicaManager,
  target: FetchTarget,
  remaining: number,
  minOneMessage: boolean,
  params: FetchParams,
  updateFetchState: boolean,
  fetchTimeMs: number,
): PartitionData {
  const p = resolveReplica(rm, target, params);
  if (typeof p === 'number') return partitionError(target, p);
  try {
    if (target.lastFetchedEpoch >= 0) {
      const diverging = p.divergingEpoch(target.lastFetchedEpoch, target.fetchOffset);
      if (diverging !== null) return divergingAnswer(target, p, diverging.leaderEpoch, diverging.endOffset);
    }
    const limit = Math.min(target.partitionMaxBytes, remaining);
    const read = p.read(target.fetchOffset, limit, params.isolation, minOneMessage);
    if (read.errorCode !== ErrorCode.NONE) return partitionError(target, read.errorCode, p);
    if (params.isFromFollower && updateFetchState) {
      // Measured against the log end before the read, so appends racing the fetch do not keep a
      // follower that keeps up out of the ISR.
      p.updateFollowerFetchState(
        params.replicaId,
        target.fetchOffset,
        read.logEndOffset,
        fetchTimeMs,
        target.logStartOffset,
      );
    }
    const data = read.data;
    const bytes = data?.sizeInBytes ?? 0;
    if (bytes === 0) data?.release();
    return {
      target,
      partition: p,
      errorCode: ErrorCode.NONE,
      highWatermark: read.highWatermark,
      lastStableOffset: read.lastStableOffset,
      logStartOffset: read.logStartOffset,
      // read_committed reads answer the aborted transactions in range: none until transactions exist.
      abortedTransactions: params.isolation === 'TXN_COMMITTED' ? NO_ABORTED : null,
      records: bytes > 0 ? new FileRecords(data!) : null,
      bytes,
      preferredReadReplica: -1,
      divergingEpoch: null,
    };
  } catch (err) {
    return partitionError(target, err instanceof PartitionError ? err.errorCode : errorCodeOf(err), p);
  }
}

/** Kafka's answer to a fetcher whose log diverges: no records, the epoch and where it ends here. */
function divergingAnswer(target: FetchTarget, p: Partition, epoch: number, endOffset: number): PartitionData {
  return {
    target,
    partition: p,
    errorCode: ErrorCode.NONE,
    highWatermark: p.log.highWatermark,
    lastStableOffset: p.lastStableOffset,
    logStartOffset: p.log.logStartOffset,
    abortedTransactions: null,
    records: null,
    bytes: 0,
    preferredReadReplica: -1,
    divergingEpoch: { epoch, endOffset },
  };
}

/** Releases the file references of reads that will not be sent. */
export function releaseAll(partitions: readonly PartitionData[]): void {
  for (const p of partitions) if (p.records instanceof FileRecords) p.records.release();
}
