import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { RecordsData } from '../../protocol/primitives/writer.js';
import { errorCodeOf } from '../error-codes.js';
import type { Partition, ReadIsolation } from '../partition.js';
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

/** One partition's answer. `bytes` counts the stored (unconverted) records. */
export interface PartitionData extends PartitionOutcome {
  readonly target: FetchTarget;
  /** The replica read from; null when the read failed before reaching one. */
  readonly partition: Partition | null;
  readonly lastStableOffset: number;
  readonly abortedTransactions: never[] | null;
  readonly records: RecordsData | null;
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
  };
}

/**
 * Reads every target once, in order, within the response's byte budget (Kafka's readFromLog): each
 * partition gets at most its own max bytes and what is left of the response's; until one partition
 * has returned data, a first batch larger than both is still returned whole (KIP-74), except to
 * v0-2, whose limit is hard.
 */
export function readPartitions(
  rm: ReplicaManager,
  targets: readonly FetchTarget[],
  params: FetchParams,
): { partitions: PartitionData[]; totalBytes: number; errors: boolean } {
  let remaining = params.maxBytes;
  let minOneMessage = params.version >= 3;
  let totalBytes = 0;
  let errors = false;
  const partitions: PartitionData[] = new Array<PartitionData>(targets.length);
  for (let i = 0; i < targets.length; i++) {
    const data = readOne(rm, targets[i]!, remaining, minOneMessage, params);
    if (data.bytes > 0) minOneMessage = false;
    remaining = Math.max(0, remaining - data.bytes);
    totalBytes += data.bytes;
    if (data.errorCode !== ErrorCode.NONE) errors = true;
    partitions[i] = data;
  }
  return { partitions, totalBytes, errors };
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
): PartitionData {
  const p = resolveReplica(rm, target, params);
  if (typeof p === 'number') return partitionError(target, p);
  try {
    const limit = Math.min(target.partitionMaxBytes, remaining);
    const read = p.read(target.fetchOffset, limit, params.isolation, minOneMessage);
    if (read.errorCode !== ErrorCode.NONE) return partitionError(target, read.errorCode, p);
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
    };
  } catch (err) {
    return partitionError(target, errorCodeOf(err), p);
  }
}

/** Releases the file references of reads that will not be sent. */
export function releaseAll(partitions: readonly PartitionData[]): void {
  for (const p of partitions) if (p.records instanceof FileRecords) p.records.release();
}
