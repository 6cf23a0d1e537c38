import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import type { TopicMetadata } from '../metadata/types.js';
import { topicEntry } from './03-metadata.js';

const topic: TopicMetadata = {
  name: 't',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  isInternal: false,
  configs: new Map(),
  partitions: [
    { partition: 0, leader: 1, leaderEpoch: 3, partitionEpoch: 4, replicas: [1, 2, 0], isr: [1, 0] },
    { partition: 1, leader: 0, leaderEpoch: 2, partitionEpoch: 2, replicas: [0, 1, 2], isr: [0, 1] },
  ],
};

describe('Metadata partitions with a dead broker (broker 0 is not live)', () => {
  const live = new Set([1, 2]);

  it('v1+: every replica listed, the dead one offline; a dead leader is -1 with LEADER_NOT_AVAILABLE', () => {
    const [p0, p1] = topicEntry(topic, live, false, false).partitions ?? [];
    expect(p0).toMatchObject({
      errorCode: ErrorCode.NONE,
      leaderId: 1,
      replicaNodes: [1, 2, 0],
      isrNodes: [1, 0],
      offlineReplicas: [0],
    });
    expect(p1).toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE, leaderId: -1, offlineReplicas: [0] });
  });

  it('v0: dead replicas and ISR members left out, with REPLICA_NOT_AVAILABLE (0.8 clients look every id up)', () => {
    const [p0] = topicEntry(topic, live, true, false).partitions ?? [];
    expect(p0).toMatchObject({
      errorCode: ErrorCode.REPLICA_NOT_AVAILABLE,
      leaderId: 1,
      replicaNodes: [1, 2],
      isrNodes: [1],
    });
  });

  it('all live: no error and nothing offline, in either form', () => {
    for (const v0 of [true, false]) {
      const [p0] = topicEntry(topic, new Set([0, 1, 2]), v0, false).partitions ?? [];
      expect(p0).toMatchObject({
        errorCode: ErrorCode.NONE,
        replicaNodes: [1, 2, 0],
        isrNodes: [1, 0],
        offlineReplicas: [],
      });
    }
  });
});
