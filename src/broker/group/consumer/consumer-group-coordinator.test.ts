import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { DEFAULT_GROUP_CONFIG } from '../group-config.js';
import { fixedTopics, harness, join, MemoryCoordinatorLog, sync, flush, type Harness } from '../testing.js';
import { toRecord } from './assignment.js';
import type { HeartbeatParams, HeartbeatResult } from './consumer-group-coordinator.js';

const G = 'g';
const T_ID = fixedTopics({ t: 1 }).topic('t')!.topicId;

function setup(partitions = 6, log = new MemoryCoordinatorLog()) {
  const topics = fixedTopics({ t: partitions });
  const h = harness({}, log, topics);
  return { h, topics };
}

function params(extra: Partial<HeartbeatParams>): HeartbeatParams {
  return {
    apiVersion: 1,
    groupId: G,
    memberId: '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...extra,
  };
}

const joinParams = (memberId: string, extra: Partial<HeartbeatParams> = {}) =>
  params({
    memberId,
    memberEpoch: 0,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: ['t'],
    topicPartitions: [],
    ...extra,
  });

/** A simulated consumer: heartbeats, and reports what it owns (it revokes at once when told). */
class Member {
  epoch = 0;
  owned: number[] = [];
  constructor(
    private readonly h: Harness,
    readonly id: string,
    private readonly extra: Partial<HeartbeatParams> = {},
  ) {}

  join(): HeartbeatResult {
    return this.apply(this.h.coordinator.consumer.heartbeat(joinParams(this.id, this.extra)));
  }

  beat(): HeartbeatResult {
    return this.apply(
      this.h.coordinator.consumer.heartbeat(
        params({
          memberId: this.id,
          memberEpoch: this.epoch,
          topicPartitions: [{ topicId: T_ID, partitions: this.owned }],
          ...this.extra,
        }),
      ),
    );
  }

  leave(): HeartbeatResult {
    return this.h.coordinator.consumer.heartbeat(params({ memberId: this.id, memberEpoch: -1 }));
  }

  private apply(r: HeartbeatResult): HeartbeatResult {
    expect(r.errorCode, r.errorMessage ?? '').toBe(ErrorCode.NONE);
    this.epoch = r.memberEpoch;
    if (r.assignment !== null) this.owned = [...(r.assignment.get(T_ID) ?? [])].sort((a, b) => a - b);
    return r;
  }
}

/** No partition is owned by two members (by the members' own view and by the coordinator's). */
function checkExclusive(h: Harness, members: readonly Member[]): void {
  const seen = new Map<number, string>();
  for (const m of members)
    for (const p of m.owned) {
      expect(seen.get(p), `partition ${p} owned by ${seen.get(p)} and ${m.id}`).toBeUndefined();
      seen.set(p, m.id);
    }
  const group = h.manager.consumerGroups.get(G);
  const claimed = new Map<number, string>();
  for (const m of group?.members.values() ?? [])
    for (const a of [m.assignedPartitions, m.partitionsPendingRevocation])
      for (const p of a.get(T_ID) ?? []) {
        expect(claimed.get(p)).toBeUndefined();
        claimed.set(p, m.memberId);
      }
}

/** Heartbeats every member in turn until all are stable at the group's assignment epoch. */
function settle(h: Harness, members: readonly Member[]): void {
  for (let round = 0; round < 10; round++) {
    for (const m of members) {
      m.beat();
      checkExclusive(h, members);
    }
    const g = h.manager.consumerGroups.get(G)!;
    if (g.state === 'Stable') return;
  }
  throw new Error(`group did not settle: ${h.manager.consumerGroups.get(G)?.state}`);
}

describe('ConsumerGroupHeartbeat: joining and reconciliation', () => {
  it('a first member gets epoch 1, all partitions and the heartbeat interval', () => {
    const { h } = setup();
    const a = new Member(h, 'a');
    const r = a.join();
    expect(r).toMatchObject({ memberId: 'a', memberEpoch: 1, heartbeatIntervalMs: 5000 });
    expect(a.owned).toEqual([0, 1, 2, 3, 4, 5]);
    const g = h.manager.consumerGroups.get(G)!;
    expect(g).toMatchObject({ groupEpoch: 1, assignmentEpoch: 1, state: 'Stable' });
  });

  it('v0: the coordinator creates the member id', () => {
    const { h } = setup();
    const r = h.coordinator.consumer.heartbeat(joinParams('', { apiVersion: 0 }));
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.memberId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('two join, a third joins, one leaves: no partition is ever owned by two members', () => {
    const { h } = setup();
    const a = new Member(h, 'a');
    const b = new Member(h, 'b');
    const c = new Member(h, 'c');
    a.join();
    b.join();
    checkExclusive(h, [a, b]);
    // b gets nothing until a has revoked what moves to b.
    expect(b.owned).toEqual([]);
    settle(h, [a, b]);
    expect(a.owned).toHaveLength(3);
    expect(b.owned).toHaveLength(3);
    c.join();
    expect(c.owned).toEqual([]);
    settle(h, [a, b, c]);
    for (const m of [a, b, c]) expect(m.owned).toHaveLength(2);
    expect([...a.owned, ...b.owned, ...c.owned].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b.leave()).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: -1 });
    b.owned = [];
    settle(h, [a, c]);
    expect(a.owned).toHaveLength(3);
    expect(c.owned).toHaveLength(3);
    expect(h.manager.consumerGroups.get(G)!.members.size).toBe(2);
  });

  it('a member that has not revoked keeps its epoch (UNREVOKED) and the new owner waits (UNRELEASED)', () => {
    const { h } = setup(2);
    const a = new Member(h, 'a');
    a.join();
    const b = new Member(h, 'b');
    b.join();
    const g = h.manager.consumerGroups.get(G)!;
    // a heartbeats without reporting its partitions: it is told its new assignment and stays at epoch 1.
    const r = h.coordinator.consumer.heartbeat(params({ memberId: 'a', memberEpoch: 1 }));
    expect(r.memberEpoch).toBe(1);
    expect(g.members.get('a')!.state).toBe(1); // UNREVOKED_PARTITIONS
    expect(g.members.get('b')!.state).toBe(2); // UNRELEASED_PARTITIONS
    expect(g.state).toBe('Reconciling');
  });

  it('the range assignor is used when members ask for it; the describe view shows it', () => {
    const { h } = setup(4);
    const a = new Member(h, 'a', { serverAssignor: 'range' });
    const b = new Member(h, 'b', { serverAssignor: 'range' });
    a.join();
    b.join();
    settle(h, [a, b]);
    expect(a.owned).toEqual([0, 1]);
    expect(b.owned).toEqual([2, 3]);
    const g = h.manager.consumerGroups.get(G)!;
    expect(h.coordinator.consumer.assignorOf(g)).toBe('range');
  });

  it('a new topic partition count bumps the group epoch and reassigns', () => {
    const { h, topics } = setup(2);
    const a = new Member(h, 'a');
    a.join();
    topics.set('t', 4);
    a.beat();
    expect(a.epoch).toBe(2);
    expect(a.owned).toEqual([0, 1, 2, 3]);
  });

  it('a subscription by regular expression (v1) matches existing topics', () => {
    const topics = fixedTopics({ 'orders-eu': 2, 'orders-us': 1, other: 5 });
    const h = harness({}, new MemoryCoordinatorLog(), topics);
    const r = h.coordinator.consumer.heartbeat(
      joinParams('a', { subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*' }),
    );
    expect(r.errorCode).toBe(ErrorCode.NONE);
    const count = [...r.assignment!.values()].reduce((n, ps) => n + ps.size, 0);
    expect(count).toBe(3);
  });

  it('a topic that does not exist is accepted and assigns nothing', () => {
    const { h } = setup();
    const r = h.coordinator.consumer.heartbeat(joinParams('a', { subscribedTopicNames: ['nope'] }));
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.assignment!.size).toBe(0);
  });
});

describe('ConsumerGroupHeartbeat: bad input', () => {
  const { h } = setup();
  new Member(h, 'a').join();
  const code = (p: HeartbeatParams) => h.coordinator.consumer.heartbeat(p);

  it.each([
    ['an empty group id', joinParams('x', { groupId: '' }), ErrorCode.INVALID_REQUEST],
    ['v1 without a member id', joinParams(''), ErrorCode.INVALID_REQUEST],
    ['a join without a rebalance timeout', joinParams('x', { rebalanceTimeoutMs: -1 }), ErrorCode.INVALID_REQUEST],
    [
      'a join with owned partitions',
      joinParams('x', { topicPartitions: [{ topicId: T_ID, partitions: [0] }] }),
      ErrorCode.INVALID_REQUEST,
    ],
    ['a join without a subscription', joinParams('x', { subscribedTopicNames: null }), ErrorCode.INVALID_REQUEST],
    ['an epoch below -2', joinParams('x', { memberEpoch: -3 }), ErrorCode.INVALID_REQUEST],
    ['a static leave without an instance id', params({ memberId: 'a', memberEpoch: -2 }), ErrorCode.INVALID_REQUEST],
    ['an unknown assignor', joinParams('x', { serverAssignor: 'sticky' }), ErrorCode.UNSUPPORTED_ASSIGNOR],
    ['an invalid regex', joinParams('x', { subscribedTopicRegex: '(' }), ErrorCode.INVALID_REGULAR_EXPRESSION],
    [
      'an unknown group with an epoch',
      params({ groupId: 'nope', memberId: 'a', memberEpoch: 1 }),
      ErrorCode.GROUP_ID_NOT_FOUND,
    ],
    ['an unknown member', params({ memberId: 'x', memberEpoch: 1 }), ErrorCode.UNKNOWN_MEMBER_ID],
    ['a future epoch', params({ memberId: 'a', memberEpoch: 2 }), ErrorCode.FENCED_MEMBER_EPOCH],
    ['an unknown member leaving', params({ memberId: 'x', memberEpoch: -1 }), ErrorCode.UNKNOWN_MEMBER_ID],
    [
      'leaving an unknown group',
      params({ groupId: 'nope', memberId: 'x', memberEpoch: -1 }),
      ErrorCode.GROUP_ID_NOT_FOUND,
    ],
  ] as const)('%s', (_name, p, expected) => {
    const r = code(p);
    expect(r.errorCode).toBe(expected);
    expect(r.errorMessage ?? '').not.toBe('');
    // The group stays healthy.
    expect(code(params({ memberId: 'a', memberEpoch: 1 })).errorCode).toBe(ErrorCode.NONE);
  });

  it('a stale epoch with partitions beyond the assignment is fenced; the previous epoch with a subset is not', () => {
    const { h } = setup(2);
    const a = new Member(h, 'a');
    a.join();
    const topics = h.coordinator.consumer.topics as ReturnType<typeof fixedTopics>;
    topics.set('t', 3);
    a.beat(); // epoch 2 now, previous 1
    expect(a.epoch).toBe(2);
    const prev = (owned: number[]) =>
      h.coordinator.consumer.heartbeat(
        params({ memberId: 'a', memberEpoch: 1, topicPartitions: [{ topicId: T_ID, partitions: owned }] }),
      );
    expect(prev([0, 1]).errorCode).toBe(ErrorCode.NONE);
    expect(prev([0, 1, 7]).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(h.coordinator.consumer.heartbeat(params({ memberId: 'a', memberEpoch: 1 })).errorCode).toBe(
      ErrorCode.FENCED_MEMBER_EPOCH,
    );
  });

  it('a coordinator that does not own the group answers NOT_COORDINATOR', () => {
    const { h } = setup();
    h.manager.unloadPartition(0);
    expect(h.coordinator.consumer.heartbeat(joinParams('a')).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('group.consumer.max.size: GROUP_MAX_SIZE_REACHED', () => {
    const h = harness({ groupConsumerMaxSize: 1 }, new MemoryCoordinatorLog(), fixedTopics({ t: 1 }));
    new Member(h, 'a').join();
    expect(h.coordinator.consumer.heartbeat(joinParams('b')).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('a failed write changes nothing and answers the mapped error', () => {
    const { h } = setup();
    h.log.failWith = ErrorCode.NOT_LEADER_OR_FOLLOWER;
    expect(h.coordinator.consumer.heartbeat(joinParams('a')).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(h.manager.consumerGroups.has(G)).toBe(false);
  });
});

describe('ConsumerGroupHeartbeat: timeouts and static members', () => {
  it('a silent member is removed after group.consumer.session.timeout.ms; the others get its partitions', () => {
    const { h } = setup(4);
    const a = new Member(h, 'a');
    const b = new Member(h, 'b');
    a.join();
    b.join();
    settle(h, [a, b]);
    h.scheduler.advance(30_000);
    a.beat();
    h.scheduler.advance(20_000); // b silent for 50 s
    const g = h.manager.consumerGroups.get(G)!;
    expect([...g.members.keys()]).toEqual(['a']);
    settle(h, [a]);
    expect(a.owned).toEqual([0, 1, 2, 3]);
  });

  it('a member that does not revoke within its rebalance timeout is fenced', () => {
    const { h } = setup(2);
    const a = new Member(h, 'a', { rebalanceTimeoutMs: 1000 });
    a.join();
    const b = new Member(h, 'b');
    b.join();
    h.coordinator.consumer.heartbeat(params({ memberId: 'a', memberEpoch: 1 })); // told to revoke, does not
    h.scheduler.advance(1500);
    expect(h.manager.consumerGroups.get(G)!.members.has('a')).toBe(false);
    expect(h.coordinator.consumer.heartbeat(params({ memberId: 'a', memberEpoch: 1 })).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('a static member leaving with -2 keeps its partitions; its return under a new id takes them back', () => {
    const { h } = setup(2);
    const a = new Member(h, 'a1', { instanceId: 'inst-a' });
    a.join();
    expect(
      h.coordinator.consumer.heartbeat(params({ memberId: 'a1', memberEpoch: -2, instanceId: 'inst-a' })),
    ).toMatchObject({
      errorCode: ErrorCode.NONE,
      memberEpoch: -2,
    });
    const g = h.manager.consumerGroups.get(G)!;
    expect(g.members.get('a1')!.assignedPartitions.get(T_ID)!.size).toBe(2);
    // Another instance id cannot take it; the same instance id, still in use, would be UNRELEASED_INSTANCE_ID.
    const back = new Member(h, 'a2', { instanceId: 'inst-a' });
    const r = back.join();
    expect(r.memberId).toBe('a2');
    expect(back.owned).toEqual([0, 1]);
    expect([...g.members.keys()]).toEqual(['a2']);
    expect(h.coordinator.consumer.heartbeat(joinParams('a3', { instanceId: 'inst-a' })).errorCode).toBe(
      ErrorCode.UNRELEASED_INSTANCE_ID,
    );
    expect(
      h.coordinator.consumer.heartbeat(params({ memberId: 'a1', memberEpoch: 1, instanceId: 'inst-a' })).errorCode,
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });
});

describe('consumer groups: offsets, admin, conversion, persistence', () => {
  const commit = (h: Harness, memberId: string, epoch: number, apiVersion = 9) =>
    h.coordinator.offsets.commit({
      groupId: G,
      generationId: epoch,
      memberId,
      groupInstanceId: null,
      apiVersion,
      retentionTimeMs: -1,
      partitions: [{ topic: 't', partition: 0, offset: 42, leaderEpoch: -1, metadata: null, commitTimestamp: -1 }],
    })[0];

  it('OffsetCommit checks the member epoch (v9+); OffsetFetch v9 too', () => {
    const { h } = setup(1);
    new Member(h, 'a').join();
    expect(commit(h, 'a', 0)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit(h, 'x', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit(h, 'a', 1, 8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(commit(h, '', -1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // members exist: no admin commits
    expect(commit(h, 'a', 1)).toBe(ErrorCode.NONE);
    const tp = [{ topic: 't', partition: 0 }];
    expect(h.coordinator.offsets.fetch(G, tp, { memberId: 'a', memberEpoch: 2 }).errorCode).toBe(
      ErrorCode.STALE_MEMBER_EPOCH,
    );
    expect(h.coordinator.offsets.fetch(G, tp, { memberId: 'x', memberEpoch: 1 }).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(h.coordinator.offsets.fetch(G, tp, { memberId: null, memberEpoch: -1 }).partitions[0]!.offset).toBe(42);
    expect(h.coordinator.offsets.fetch(G, tp).partitions[0]!.offset).toBe(42);
  });

  it('an Empty classic group with offsets becomes a consumer group and keeps them; a non-empty one is refused', async () => {
    const { h } = setup(1);
    // A classic generation, then everyone leaves.
    const first = join(h, G, '');
    await flush();
    const j = join(h, G, first.get().memberId);
    h.scheduler.advance(3000);
    await flush();
    sync(h, G, j.get().memberId, j.get().generationId, new Map([[j.get().memberId, Buffer.from('x')]]));
    await flush();
    expect(commit(h, j.get().memberId, j.get().generationId, 8)).toBe(ErrorCode.NONE);
    expect(h.coordinator.consumer.heartbeat(joinParams('a')).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    h.coordinator.leaveGroup(G, [{ memberId: j.get().memberId, groupInstanceId: null }]);
    const a = new Member(h, 'a');
    a.join();
    expect(h.manager.getGroup(G)).toBeUndefined();
    expect(h.coordinator.offsets.fetch(G, [{ topic: 't', partition: 0 }]).partitions[0]!.offset).toBe(42);
    // Classic JoinGroup to the consumer group with members: INCONSISTENT_GROUP_PROTOCOL.
    const classic = join(h, G, '');
    await flush();
    expect(classic.get().errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('OffsetDelete keeps the offsets of subscribed topics (GROUP_SUBSCRIBED_TO_TOPIC) and deletes the others', () => {
    const { h } = setup(1);
    new Member(h, 'a').join();
    expect(commit(h, 'a', 1)).toBe(ErrorCode.NONE);
    const g = h.manager.consumerGroups.get(G)!;
    g.offsets.putOffset('old', 0, {
      offset: 1,
      leaderEpoch: -1,
      metadata: '',
      commitTimestamp: 0,
      expireTimestamp: -1,
    });
    const r = h.coordinator.offsets.deleteOffsets(G, [
      { topic: 't', partition: 0 },
      { topic: 'old', partition: 0 },
    ]);
    expect(r).toEqual({
      errorCode: ErrorCode.NONE,
      partitionErrors: [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE],
    });
    expect(g.offsets.offset('old', 0)).toBeUndefined();
    expect(g.offsets.offset('t', 0)?.offset).toBe(42);
  });

  it('offsets expire after offsets.retention.minutes unless subscribed; an Empty group without offsets goes', () => {
    const { h } = setup(1);
    const a = new Member(h, 'a');
    a.join();
    expect(commit(h, 'a', 1)).toBe(ErrorCode.NONE);
    const g = h.manager.consumerGroups.get(G)!;
    g.offsets.putOffset('old', 0, {
      offset: 1,
      leaderEpoch: -1,
      metadata: '',
      commitTimestamp: h.scheduler.now(),
      expireTimestamp: -1,
    });
    const week = DEFAULT_GROUP_CONFIG.offsetsRetentionMs;
    h.scheduler.advance(1000);
    expect(h.manager.cleanupGroupMetadata()).toBe(0);
    // Keep the member alive past the retention, then expire: only the unsubscribed topic's offset goes.
    for (let t = 0; t < week; t += 40_000) {
      h.scheduler.advance(40_000);
      a.beat();
    }
    expect(h.manager.cleanupGroupMetadata()).toBe(1);
    expect(g.offsets.offset('t', 0)?.offset).toBe(42);
    a.leave();
    h.scheduler.advance(week);
    expect(h.manager.cleanupGroupMetadata()).toBe(1);
    expect(h.manager.consumerGroups.has(G)).toBe(false);
  });

  it('ListGroups and DeleteGroups see consumer groups', () => {
    const { h } = setup(1);
    const a = new Member(h, 'a');
    a.join();
    expect(h.coordinator.admin.deleteGroup(G)).toBe(ErrorCode.NON_EMPTY_GROUP);
    a.leave();
    expect(h.manager.consumerGroups.get(G)!.state).toBe('Empty');
    expect(h.coordinator.admin.deleteGroup(G)).toBe(ErrorCode.NONE);
    expect(h.manager.consumerGroups.has(G)).toBe(false);
    expect(h.coordinator.consumer.describe(G).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('reloading the partition restores members, epochs, assignments and offsets', () => {
    const log = new MemoryCoordinatorLog();
    const { h } = setup(6, log);
    const a = new Member(h, 'a');
    const b = new Member(h, 'b');
    a.join();
    b.join();
    settle(h, [a, b]);
    expect(commit(h, 'a', a.epoch)).toBe(ErrorCode.NONE);
    const before = h.manager.consumerGroups.get(G)!;

    const { h: h2 } = setup(6, new MemoryCoordinatorLog());
    h2.manager.unloadPartition(0);
    h2.manager.completeLoad(0, log.replay(0));
    const after = h2.manager.consumerGroups.get(G)!;
    expect(after).toMatchObject({
      groupEpoch: before.groupEpoch,
      assignmentEpoch: before.assignmentEpoch,
      state: 'Stable',
    });
    for (const id of ['a', 'b']) {
      const m1 = before.members.get(id)!;
      const m2 = after.members.get(id)!;
      expect(m2.memberEpoch).toBe(m1.memberEpoch);
      expect(toRecord(m2.assignedPartitions)).toEqual(toRecord(m1.assignedPartitions));
      expect(toRecord(after.target(id))).toEqual(toRecord(before.target(id)));
    }
    expect(h2.coordinator.offsets.fetch(G, [{ topic: 't', partition: 0 }]).partitions[0]!.offset).toBe(42);
    // The members keep heartbeating at their epochs; a silent one expires.
    expect(h2.coordinator.consumer.heartbeat(params({ memberId: 'a', memberEpoch: a.epoch })).errorCode).toBe(
      ErrorCode.NONE,
    );
    h2.scheduler.advance(46_000);
    expect(after.members.size).toBe(0);
  });
});
