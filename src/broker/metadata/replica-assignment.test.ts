import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { assignReplicasToBrokers, startIndexForNewPartitions } from './replica-assignment.js';

function assign(brokers: number[], partitions: number, rf: number, start: number, startPartitionId = 0): number[][] {
  const result = assignReplicasToBrokers(brokers, partitions, rf, {
    startIndex: start,
    replicaShift: start,
    startPartitionId,
  });
  if (!result.ok) throw new Error(result.errorMessage ?? 'failed');
  return result.replicas;
}

describe('assignReplicasToBrokers (Kafka AdminUtils, rack-unaware)', () => {
  it('matches Kafka for 3 brokers, 6 partitions, rf 3, fixed start 0 (AdminUtilsTest)', () => {
    expect(assign([0, 1, 2], 6, 3, 0)).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 2, 1],
      [1, 0, 2],
      [2, 1, 0],
    ]);
  });

  it('matches Kafka for 5 brokers, 10 partitions, rf 3, fixed start 0 (AdminTest.testReplicaAssignment)', () => {
    expect(assign([0, 1, 2, 3, 4], 10, 3, 0)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ]);
  });

  it('uses broker ids, not indexes, and honours start index and shift separately', () => {
    const r = assignReplicasToBrokers([10, 20, 30], 3, 2, { startIndex: 1, replicaShift: 1 });
    expect(r).toEqual({
      ok: true,
      replicas: [
        [20, 10],
        [30, 20],
        [10, 30],
      ],
    });
    const s = assignReplicasToBrokers([10, 20, 30], 3, 2, { startIndex: 0, replicaShift: 1 });
    expect(s.ok && s.replicas).toEqual([
      [10, 30],
      [20, 10],
      [30, 20],
    ]);
  });

  it('continues from startPartitionId when adding partitions, the shift starting afresh as in Kafka', () => {
    // Leaders continue the round robin; the follower shift restarts at the given value and only grows
    // when a partition id wraps (p10 here), so p6..p9 differ from a 10-partition creation.
    expect(assign([0, 1, 2, 3, 4], 5, 3, 0, 6)).toEqual([
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
    ]);
  });

  it('puts every replica on the one broker of a single-broker cluster', () => {
    expect(assign([7], 3, 1, 0)).toEqual([[7], [7], [7]]);
    const random = assignReplicasToBrokers([7], 2, 1);
    expect(random.ok && random.replicas).toEqual([[7], [7]]);
  });

  it('draws the start index and shift from the random source', () => {
    const draws: number[] = [];
    const r = assignReplicasToBrokers([0, 1, 2], 1, 2, { random: (n) => (draws.push(n), 2) });
    expect(draws).toEqual([3, 3]);
    expect(r.ok && r.replicas).toEqual([[2, 0]]);
  });

  it('refuses bad partition counts and replication factors with Kafka codes', () => {
    expect(assignReplicasToBrokers([0], 0, 1)).toMatchObject({
      ok: false,
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: 'Number of partitions must be larger than 0.',
    });
    expect(assignReplicasToBrokers([0], 1, 0)).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: 'Replication factor must be larger than 0.',
    });
    expect(assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 6)).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: 'Replication factor: 6 larger than available brokers: 5.',
    });
    expect(assignReplicasToBrokers([], 1, 1)).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: 'Replication factor: 1 larger than available brokers: 0.',
    });
  });

  it('finds the start index for new partitions as Kafka does', () => {
    expect(startIndexForNewPartitions([0, 1, 2], 1)).toBe(1);
    expect(startIndexForNewPartitions([0, 2, 4], 3)).toBe(2);
    expect(startIndexForNewPartitions([0, 1, 2], 9)).toBe(0);
  });
});
