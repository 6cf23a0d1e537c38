/**
 * Replica placement as Kafka's ZooKeeper-mode AdminUtils.assignReplicasToBrokers (rack-unaware), so a
 * Samsa cluster places replicas where Kafka would:
 *
 * - The first replica of partition p is brokers[(p + startIndex) % n]: leaders go round robin.
 * - Replica j > 0 sits at a distance of 1 + (shift + j - 1) % (n - 1) from the first, and the shift
 *   grows by one each time p wraps around the broker list, so followers of consecutive rounds land on
 *   different brokers.
 * - Kafka picks startIndex and shift at random (independently) unless a fixed start index is given,
 *   which then serves as both. Adding partitions uses the index of the first broker >= partition 0's
 *   leader as the fixed start and continues from the current partition count.
 *
 * Brokers are used in the order given; callers pass live broker ids sorted ascending, as Kafka does.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { ErrorResult } from './types.js';

export interface AssignmentOptions {
  /** Index into brokers of partition startPartitionId's first replica; random when absent. */
  readonly startIndex?: number;
  /** Initial follower shift; random when absent. */
  readonly replicaShift?: number;
  /** The id of the first partition to place (the existing count when adding partitions). */
  readonly startPartitionId?: number;
  /** Random integer in [0, bound); Math.random by default. */
  readonly random?: (bound: number) => number;
}

/** replicas[k] is the replica list of partition startPartitionId + k. */
export type AssignmentResult =
  { readonly ok: true; readonly replicas: number[][] } | ({ readonly ok: false } & ErrorResult);

export function assignReplicasToBrokers(
  brokers: readonly number[],
  nPartitions: number,
  replicationFactor: number,
  options: AssignmentOptions = {},
): AssignmentResult {
  if (nPartitions <= 0) return failure(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  if (replicationFactor <= 0)
    return failure(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
  const n = brokers.length;
  if (replicationFactor > n)
    return failure(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Replication factor: ${replicationFactor} larger than available brokers: ${n}.`,
    );
  const random = options.random ?? ((bound: number) => Math.floor(Math.random() * bound));
  const startIndex = options.startIndex ?? random(n);
  let shift = options.replicaShift ?? random(n);
  let partitionId = Math.max(0, options.startPartitionId ?? 0);
  const replicas: number[][] = [];
  for (let i = 0; i < nPartitions; i++, partitionId++) {
    if (partitionId > 0 && partitionId % n === 0) shift++;
    const first = (partitionId + startIndex) % n;
    const list = [brokers[first] as number];
    for (let j = 0; j < replicationFactor - 1; j++)
      list.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n] as number);
    replicas.push(list);
  }
  return { ok: true, replicas };
}

/**
 * Kafka's fixed start index for adding partitions to a topic whose partition 0 is led (preferably)
 * by `firstReplicaOfPartition0`: the index of the first broker with an id at least that, or 0.
 */
export function startIndexForNewPartitions(brokers: readonly number[], firstReplicaOfPartition0: number): number {
  return Math.max(
    0,
    brokers.findIndex((id) => id >= firstReplicaOfPartition0),
  );
}

function failure(errorCode: number, errorMessage: string): AssignmentResult {
  return { ok: false, errorCode, errorMessage };
}
