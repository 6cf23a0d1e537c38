import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import type { CommitPartition, OffsetCommitParams } from './offset-commits.js';
import { flush, harness, join, sync, subscription, type Harness } from './testing.js';

const G = 'group';

const tp = (topic: string, partition: number, offset: number, metadata: string | null = null): CommitPartition => ({
  topic,
  partition,
  offset,
  leaderEpoch: -1,
  metadata,
  commitTimestamp: -1,
});

function commit(h: Harness, p: Partial<OffsetCommitParams> & { partitions: CommitPartition[] }): number[] {
  return h.coordinator.offsets.commit({
    groupId: G,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    apiVersion: 8,
    retentionTimeMs: -1,
    ...p,
  });
}

/** One member subscribed to `topics`, Stable at generation 1. */
async function stableMember(h: Harness, ...topics: string[]): Promise<string> {
  const first = join(h, G, '');
  await flush();
  const id = first.get().memberId;
  join(h, G, id, { protocols: [{ name: 'range', metadata: subscription(...topics) }] });
  h.scheduler.advance(3_000);
  await flush();
  sync(h, G, id, 1, new Map([[id, Buffer.from('a')]]));
  await flush();
  return id;
}

describe('OffsetCommit and OffsetFetch', () => {
  it('accepts commits from a group-less consumer and returns them with their metadata', () => {
    const h = harness();
    expect(commit(h, { partitions: [tp('t', 0, 5, 'meta'), tp('t', 1, 7), tp('u', 0, 1)] })).toEqual([0, 0, 0]);
    expect(h.manager.getGroup(G)!.state).toBe('Empty');
    const some = h.coordinator.offsets.fetch(G, [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 9 },
    ]);
    expect(some.partitions).toEqual([
      { topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: 'meta', errorCode: 0 },
      { topic: 't', partition: 9, offset: -1, leaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    expect(h.coordinator.offsets.fetch(G, null).partitions.map((p) => `${p.topic}-${p.partition}=${p.offset}`)).toEqual(
      ['t-0=5', 't-1=7', 'u-0=1'],
    );
    expect(h.coordinator.offsets.fetch('unknown', [{ topic: 't', partition: 0 }]).partitions[0]!.offset).toBe(-1);
    expect(h.coordinator.offsets.fetch('unknown', null).partitions).toEqual([]);
  });

  it('checks member, generation and state for commits from group members', async () => {
    const h = harness();
    const id = await stableMember(h, 't');
    const one = [tp('t', 0, 10)];
    expect(commit(h, { generationId: 1, memberId: id, partitions: one })).toEqual([ErrorCode.NONE]);
    expect(commit(h, { generationId: 0, memberId: id, partitions: one })).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(commit(h, { generationId: 1, memberId: 'x', partitions: one })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    // A group-less commit to a group with members is refused.
    expect(commit(h, { partitions: one })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    // Missing group with a generation: ILLEGAL_GENERATION, or GROUP_ID_NOT_FOUND from v9.
    expect(commit(h, { groupId: 'other', generationId: 3, memberId: 'm', partitions: one, apiVersion: 8 })).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
    ]);
    expect(commit(h, { groupId: 'other', generationId: 3, memberId: 'm', partitions: one, apiVersion: 9 })).toEqual([
      ErrorCode.GROUP_ID_NOT_FOUND,
    ]);
    // PreparingRebalance still takes commits of the current generation; CompletingRebalance does not.
    const newcomer = join(h, G, '');
    await flush();
    join(h, G, newcomer.get().memberId);
    expect(h.manager.getGroup(G)!.state).toBe('PreparingRebalance');
    expect(commit(h, { generationId: 1, memberId: id, partitions: [tp('t', 0, 10)] })).toEqual([ErrorCode.NONE]);
    const rejoin = join(h, G, id);
    await flush();
    expect(h.manager.getGroup(G)!.state).toBe('CompletingRebalance');
    expect(rejoin.get().generationId).toBe(2);
    expect(commit(h, { generationId: 2, memberId: id, partitions: one })).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
    expect(h.coordinator.offsets.fetch(G, [{ topic: 't', partition: 0 }]).partitions[0]!.offset).toBe(10);
  });

  it('refuses metadata over offset.metadata.max.bytes per partition and stores the rest', () => {
    const h = harness({ offsetMetadataMaxBytes: 4 });
    expect(commit(h, { partitions: [tp('t', 0, 1, 'abcd'), tp('t', 1, 1, 'abcde')] })).toEqual([
      ErrorCode.NONE,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
    ]);
    expect(h.coordinator.offsets.fetch(G, null).partitions).toHaveLength(1);
  });

  it('maps append failures to Kafka commit errors and changes nothing', () => {
    const h = harness();
    h.log.failWith = ErrorCode.RECORD_LIST_TOO_LARGE;
    expect(commit(h, { partitions: [tp('t', 0, 1)] })).toEqual([ErrorCode.INVALID_COMMIT_OFFSET_SIZE]);
    h.log.failWith = ErrorCode.NOT_LEADER_OR_FOLLOWER;
    expect(commit(h, { partitions: [tp('t', 0, 1)] })).toEqual([ErrorCode.NOT_COORDINATOR]);
    h.log.failWith = ErrorCode.NOT_ENOUGH_REPLICAS;
    expect(commit(h, { partitions: [tp('t', 0, 1)] })).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE]);
    expect(h.coordinator.offsets.fetch(G, null).partitions).toEqual([]);
  });

  it('answers coordinator errors for every partition', () => {
    const h = harness();
    h.manager.markLoading(0);
    expect(commit(h, { partitions: [tp('t', 0, 1), tp('t', 1, 1)] })).toEqual([14, 14]);
    expect(h.coordinator.offsets.fetch(G, null).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    h.manager.unloadPartition(0);
    expect(h.coordinator.offsets.fetch(G, null).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('writes Kafka records that load back into the same offsets and group', async () => {
    const h = harness();
    const id = await stableMember(h, 't');
    commit(h, { generationId: 1, memberId: id, partitions: [tp('t', 0, 42, 'm')] });
    const loaded = h.log.replay(0);
    expect(loaded.offsets.get(G)!.get('t')!.get(0)).toMatchObject({ offset: 42, metadata: 'm', expireTimestamp: -1 });
    const group = loaded.groups.get(G)!;
    expect(group).toMatchObject({ protocolType: 'consumer', generation: 1, protocol: 'range', leader: id });
    expect(group.members[0]!.assignment.toString()).toBe('a');

    const restarted = harness({}, h.log);
    expect(restarted.manager.getGroup(G)).toBeUndefined();
    restarted.manager.unloadPartition(0);
    const groups = restarted.manager.completeLoad(0, loaded);
    restarted.coordinator.onGroupsLoaded(groups);
    const g = restarted.manager.getGroup(G)!;
    expect(g.state).toBe('Stable');
    expect(g.subscribedTopics).toEqual(new Set(['t']));
    expect(restarted.coordinator.heartbeat(G, id, null, 1)).toBe(ErrorCode.NONE);
    expect(restarted.coordinator.offsets.fetch(G, null).partitions[0]!.offset).toBe(42);
    // The loaded member expires unless it heartbeats.
    restarted.scheduler.advance(10_000);
    expect(g.state).toBe('Empty');
  });
});

describe('offset expiration', () => {
  it('expires offsets of a group-less consumer by commit time', () => {
    const h = harness({ offsetsRetentionMs: 1_000 });
    commit(h, { partitions: [tp('t', 0, 1)] });
    h.scheduler.advance(500);
    commit(h, { partitions: [tp('t', 1, 1)] });
    h.scheduler.advance(500);
    expect(h.manager.cleanupGroupMetadata()).toBe(1);
    expect(h.coordinator.offsets.fetch(G, null).partitions.map((p) => p.partition)).toEqual([1]);
    h.scheduler.advance(500);
    h.manager.cleanupGroupMetadata();
    expect(h.manager.getGroup(G)).toBeUndefined();
    expect(h.log.replay(0).offsets.get(G)).toBeUndefined();
  });

  it('keeps the offsets of a Stable consumer group for its subscribed topics only', async () => {
    const h = harness({ offsetsRetentionMs: 1_000 });
    const id = await stableMember(h, 't');
    commit(h, { generationId: 1, memberId: id, partitions: [tp('t', 0, 1), tp('old', 0, 1)] });
    for (let i = 0; i < 4; i++) {
      h.scheduler.advance(500);
      h.coordinator.heartbeat(G, id, null, 1);
    }
    h.manager.cleanupGroupMetadata();
    expect(h.coordinator.offsets.fetch(G, null).partitions.map((p) => p.topic)).toEqual(['t']);
  });

  it('expires an Empty group by the time it became Empty, and an explicit retention by its own time', async () => {
    const h = harness({ offsetsRetentionMs: 10_000 });
    const id = await stableMember(h, 't');
    commit(h, { generationId: 1, memberId: id, partitions: [tp('t', 0, 1)] });
    commit(h, { partitions: [tp('x', 0, 1)], groupId: 'short', retentionTimeMs: 100 });
    h.coordinator.leaveGroup(G, [{ memberId: id, groupInstanceId: null }]);
    expect(h.manager.getGroup(G)!.state).toBe('Empty');
    h.scheduler.advance(9_999);
    h.manager.cleanupGroupMetadata();
    expect(h.manager.getGroup(G)!.hasOffsets).toBe(true);
    expect(h.manager.getGroup('short')).toBeUndefined();
    h.scheduler.advance(1);
    h.manager.cleanupGroupMetadata();
    expect(h.manager.getGroup(G)).toBeUndefined();
    expect(h.log.replay(0).groups.has(G)).toBe(false);
  });
});

describe('DescribeGroups, ListGroups, DeleteGroups, OffsetDelete', () => {
  it('describes Stable groups with metadata and others without', async () => {
    const h = harness();
    const id = await stableMember(h, 't');
    const d = h.coordinator.admin.describeGroup(G);
    expect(d).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(d.members[0]).toMatchObject({ memberId: id, clientId: 'client', clientHost: '/127.0.0.1' });
    expect(d.members[0]!.memberAssignment.toString()).toBe('a');
    join(h, G, id);
    const preparing = h.coordinator.admin.describeGroup(G);
    expect(preparing.protocolData).toBe('');
    expect(h.coordinator.admin.describeGroup('nope')).toMatchObject({
      groupState: 'Dead',
      exists: false,
      errorCode: 0,
    });
  });

  it('lists groups with a state filter', async () => {
    const h = harness();
    await stableMember(h, 't');
    commit(h, { groupId: 'simple', partitions: [tp('t', 0, 1)] });
    expect(h.coordinator.admin.listGroups(null).groups.map((g) => [g.groupId, g.groupState, g.protocolType])).toEqual([
      [G, 'Stable', 'consumer'],
      ['simple', 'Empty', ''],
    ]);
    expect(h.coordinator.admin.listGroups(new Set(['Empty'])).groups.map((g) => g.groupId)).toEqual(['simple']);
  });

  it('deletes only Empty groups, with their offsets', async () => {
    const h = harness();
    await stableMember(h, 't');
    commit(h, { groupId: 'simple', partitions: [tp('t', 0, 1)] });
    expect(h.coordinator.admin.deleteGroup(G)).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(h.coordinator.admin.deleteGroup('simple')).toBe(ErrorCode.NONE);
    expect(h.coordinator.admin.deleteGroup('simple')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(h.coordinator.offsets.fetch('simple', null).partitions).toEqual([]);
    expect(h.log.replay(0).offsets.has('simple')).toBe(false);
  });

  it('deletes offsets of unsubscribed topics only while a consumer group has members', async () => {
    const h = harness();
    const id = await stableMember(h, 't');
    commit(h, { generationId: 1, memberId: id, partitions: [tp('t', 0, 1), tp('u', 0, 1)] });
    const r = h.coordinator.offsets.deleteOffsets(G, [
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 0 },
    ]);
    expect(r).toEqual({ errorCode: 0, partitionErrors: [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 0] });
    expect(h.coordinator.offsets.fetch(G, null).partitions.map((p) => p.topic)).toEqual(['t']);
    expect(h.coordinator.offsets.deleteOffsets('nope', []).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    commit(h, { groupId: 'simple', partitions: [tp('t', 0, 1)] });
    expect(h.coordinator.offsets.deleteOffsets('simple', [{ topic: 't', partition: 0 }]).partitionErrors).toEqual([0]);
    expect(h.manager.getGroup('simple')).toBeUndefined();
  });

  it('refuses OffsetDelete for a non-consumer group with members', async () => {
    const h = harness();
    const first = join(h, 'connect', '', { protocolType: 'connect' });
    await flush();
    join(h, 'connect', first.get().memberId, { protocolType: 'connect' });
    h.scheduler.advance(3_000);
    await flush();
    expect(h.coordinator.offsets.deleteOffsets('connect', []).errorCode).toBe(ErrorCode.NON_EMPTY_GROUP);
  });
});
