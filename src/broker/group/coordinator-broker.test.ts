import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { DeleteGroups } from '../../protocol/messages/42-delete-groups.js';
import { DescribeGroups } from '../../protocol/messages/15-describe-groups.js';
import { FindCoordinator } from '../../protocol/messages/10-find-coordinator.js';
import { Heartbeat } from '../../protocol/messages/12-heartbeat.js';
import { JoinGroup } from '../../protocol/messages/11-join-group.js';
import { LeaveGroup } from '../../protocol/messages/13-leave-group.js';
import { ListGroups } from '../../protocol/messages/16-list-groups.js';
import { Metadata } from '../../protocol/messages/03-metadata.js';
import { OffsetCommit } from '../../protocol/messages/08-offset-commit.js';
import { OffsetDelete } from '../../protocol/messages/47-offset-delete.js';
import { OffsetFetch } from '../../protocol/messages/09-offset-fetch.js';
import { SyncGroup } from '../../protocol/messages/14-sync-group.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { GROUP_METADATA_TOPIC_NAME } from '../metadata/topic-name.js';
import { RawClient } from '../testing/raw-client.js';
import { SilentLogger, subscription } from './testing.js';

// Group APIs against a whole standalone broker in this process, over real sockets and real files.
let dir: string;
let server: KafkaServer;
let clients: RawClient[] = [];

async function start(): Promise<void> {
  const config = BrokerConfig.parse(
    [
      'broker.id=0',
      'listeners=PLAINTEXT://127.0.0.1:0',
      `log.dirs=${dir}`,
      'offsets.topic.num.partitions=5',
      'group.initial.rebalance.delay.ms=0',
      'group.min.session.timeout.ms=100',
    ].join('\n'),
  );
  server = await KafkaServer.start(config, new SilentLogger());
}

async function client(): Promise<RawClient> {
  const c = await RawClient.open(server.boundPorts[0]!);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsa-groups-'));
  await start();
});

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

interface JoinResponse {
  errorCode: number;
  generationId: number;
  protocolName: string | null;
  leader: string;
  memberId: string;
  skipAssignment: boolean;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

const joinBody = (groupId: string, memberId: string, extra: Record<string, unknown> = {}) => ({
  groupId,
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 10_000,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: subscription('orders') }],
  ...extra,
});

/** JoinGroup v5 through MEMBER_ID_REQUIRED; returns the held second JoinGroup. */
async function joinWithId(c: RawClient, groupId: string, extra: Record<string, unknown> = {}): Promise<JoinResponse> {
  const first = await c.request<JoinResponse>(JoinGroup, 5, joinBody(groupId, '', extra));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return c.request<JoinResponse>(JoinGroup, 5, joinBody(groupId, first.memberId, extra));
}

async function ensureTopic(c: RawClient, topic: string): Promise<void> {
  await c.request(Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: true });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('FindCoordinator', () => {
  it('creates __consumer_offsets on first use and names this broker, at every version', async () => {
    const c = await client();
    const v0 = await c.request<{ errorCode: number; nodeId: number; port: number }>(FindCoordinator, 0, { key: 'g' });
    expect(v0).toMatchObject({ errorCode: 0, nodeId: 0, port: server.boundPorts[0] });
    const topic = server.services.metadata.topic(GROUP_METADATA_TOPIC_NAME)!;
    expect(topic.isInternal).toBe(true);
    expect(topic.partitions).toHaveLength(5);
    expect(topic.configs.get('cleanup.policy')).toBe('compact');
    const v3 = await c.request<{ errorCode: number; errorMessage: string }>(FindCoordinator, 3, {
      key: 'g',
      keyType: 0,
    });
    expect(v3).toMatchObject({ errorCode: 0, errorMessage: 'NONE' });
    const v4 = await c.request<{ coordinators: { key: string; errorCode: number; nodeId: number }[] }>(
      FindCoordinator,
      4,
      {
        keyType: 0,
        coordinatorKeys: ['a', 'b'],
      },
    );
    expect(v4.coordinators.map((x) => [x.key, x.errorCode, x.nodeId])).toEqual([
      ['a', 0, 0],
      ['b', 0, 0],
    ]);
    const txn = await c.request<{ errorCode: number; nodeId: number }>(FindCoordinator, 1, { key: 't', keyType: 1 });
    expect(txn).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1 });
    const bad = await c.request<{ errorCode: number }>(FindCoordinator, 1, { key: 't', keyType: 7 });
    expect(bad.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('advertises the group APIs', async () => {
    const c = await client();
    const res = await c.request<{ apiKeys: { apiKey: number; maxVersion: number }[] }>(ApiVersions, 3, {
      clientSoftwareName: 'test',
      clientSoftwareVersion: '1',
    });
    const max = new Map(res.apiKeys.map((k) => [k.apiKey, k.maxVersion]));
    expect([8, 9, 10, 11, 12, 13, 14, 15, 16, 42, 47].map((k) => max.get(k))).toEqual([
      10, 10, 6, 9, 4, 5, 5, 6, 5, 2, 0,
    ]);
  });
});

describe('group membership over the wire', () => {
  it('joins, syncs, heartbeats, rebalances on a new member, and leaves', async () => {
    const [a, b, admin] = [await client(), await client(), await client()];
    await admin.request(FindCoordinator, 0, { key: 'g' });
    const ja = await joinWithId(a, 'g');
    expect(ja).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: ja.memberId });
    const sa = await a.request<{ errorCode: number; assignment: Buffer }>(SyncGroup, 3, {
      groupId: 'g',
      generationId: 1,
      memberId: ja.memberId,
      assignments: [{ memberId: ja.memberId, assignment: Buffer.from('all') }],
    });
    expect(sa.errorCode).toBe(0);
    expect(Buffer.from(sa.assignment).toString()).toBe('all');
    const hb = (c: RawClient, memberId: string, generationId: number) =>
      c.request<{ errorCode: number }>(Heartbeat, 3, { groupId: 'g', generationId, memberId });
    expect((await hb(a, ja.memberId, 1)).errorCode).toBe(0);

    // b joins: a hears REBALANCE_IN_PROGRESS and rejoins; both land in generation 2.
    const pendingB = joinWithId(b, 'g');
    await until(async () => (await hb(a, ja.memberId, 1)).errorCode === ErrorCode.REBALANCE_IN_PROGRESS);
    const ja2 = await a.request<JoinResponse>(JoinGroup, 5, joinBody('g', ja.memberId));
    const jb = await pendingB;
    expect(ja2).toMatchObject({ errorCode: 0, generationId: 2, leader: ja.memberId });
    expect(ja2.members.map((m) => m.memberId).sort()).toEqual([ja.memberId, jb.memberId].sort());
    expect(jb.members).toEqual([]);
    const followerSync = b.request<{ errorCode: number; assignment: Buffer }>(SyncGroup, 3, {
      groupId: 'g',
      generationId: 2,
      memberId: jb.memberId,
      assignments: [],
    });
    await a.request(SyncGroup, 3, {
      groupId: 'g',
      generationId: 2,
      memberId: ja.memberId,
      assignments: [
        { memberId: ja.memberId, assignment: Buffer.from('p0') },
        { memberId: jb.memberId, assignment: Buffer.from('p1') },
      ],
    });
    expect(Buffer.from((await followerSync).assignment).toString()).toBe('p1');

    const described = await admin.request<{
      groups: { groupState: string; protocolData: string; members: unknown[] }[];
    }>(DescribeGroups, 5, { groups: ['g'], includeAuthorizedOperations: false });
    expect(described.groups[0]).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
    expect(described.groups[0]!.members).toHaveLength(2);

    const left = await b.request<{ errorCode: number; members: { memberId: string; errorCode: number }[] }>(
      LeaveGroup,
      3,
      {
        groupId: 'g',
        members: [{ memberId: jb.memberId, groupInstanceId: null }],
      },
    );
    expect(left.members).toMatchObject([{ memberId: jb.memberId, groupInstanceId: null, errorCode: 0 }]);
    expect((await hb(a, ja.memberId, 2)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const v0 = await a.request<{ errorCode: number }>(LeaveGroup, 0, { groupId: 'g', memberId: 'nobody' });
    expect(v0.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('expires a member whose session times out', async () => {
    const [a, admin] = [await client(), await client()];
    await admin.request(FindCoordinator, 0, { key: 'g' });
    const ja = await joinWithId(a, 'g', { sessionTimeoutMs: 200 });
    await a.request(SyncGroup, 3, { groupId: 'g', generationId: 1, memberId: ja.memberId, assignments: [] });
    await until(async () => {
      const d = await admin.request<{ groups: { groupState: string }[] }>(DescribeGroups, 0, { groups: ['g'] });
      return d.groups[0]!.groupState === 'Empty';
    });
    const hb = await a.request<{ errorCode: number }>(Heartbeat, 0, {
      groupId: 'g',
      generationId: 1,
      memberId: ja.memberId,
    });
    expect(hb.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('fences the old incarnation of a static member', async () => {
    const [a, a2] = [await client(), await client()];
    await a.request(FindCoordinator, 0, { key: 's' });
    const first = await a.request<JoinResponse>(JoinGroup, 5, joinBody('s', '', { groupInstanceId: 'inst' }));
    expect(first.errorCode).toBe(0); // no MEMBER_ID_REQUIRED for static members
    await a.request(SyncGroup, 3, {
      groupId: 's',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'inst',
      assignments: [],
    });
    const second = await a2.request<JoinResponse>(JoinGroup, 5, joinBody('s', '', { groupInstanceId: 'inst' }));
    expect(second).toMatchObject({ errorCode: 0, generationId: 1 });
    const hb = await a.request<{ errorCode: number }>(Heartbeat, 3, {
      groupId: 's',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'inst',
    });
    expect(hb.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('answers bad requests with Kafka error codes', async () => {
    const c = await client();
    await c.request(FindCoordinator, 0, { key: 'g' });
    const badTimeout = await c.request<JoinResponse>(JoinGroup, 5, joinBody('g', '', { sessionTimeoutMs: 1 }));
    expect(badTimeout.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    const noGroup = await c.request<JoinResponse>(JoinGroup, 2, joinBody('', ''));
    expect(noGroup).toMatchObject({ errorCode: ErrorCode.INVALID_GROUP_ID, protocolName: '' });
    const hb = await c.request<{ errorCode: number }>(Heartbeat, 0, {
      groupId: 'nope',
      generationId: 1,
      memberId: 'm',
    });
    expect(hb.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const sync5 = await c.request<{ errorCode: number }>(SyncGroup, 5, {
      groupId: 'g',
      generationId: 1,
      memberId: 'm',
      assignments: [],
    });
    expect(sync5.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });
});

describe('committed offsets over the wire', () => {
  interface FetchV5 {
    errorCode: number;
    topics: {
      name: string;
      partitions: { partitionIndex: number; committedOffset: number; metadata: string; errorCode: number }[];
    }[];
  }

  it('commits and fetches at old and new versions, with generation checks and unknown topics', async () => {
    const c = await client();
    await ensureTopic(c, 'orders');
    await c.request(FindCoordinator, 0, { key: 'g' });
    const commit = await c.request<{ topics: { partitions: { errorCode: number }[] }[] }>(OffsetCommit, 2, {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: 'hello' }] },
        { name: 'missing', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] },
        { name: 'orders', partitions: [{ partitionIndex: 9, committedOffset: 1, committedMetadata: null }] },
      ],
    });
    expect(commit.topics.map((t) => t.partitions[0]!.errorCode)).toEqual([
      0,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const v1 = await c.request<FetchV5>(OffsetFetch, 1, {
      groupId: 'g',
      topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
    });
    expect(v1.topics[0]!.partitions.map((p) => [p.committedOffset, p.metadata])).toEqual([
      [42, 'hello'],
      [-1, ''],
    ]);
    const all = await c.request<FetchV5>(OffsetFetch, 5, { groupId: 'g', topics: null });
    expect(all.topics).toMatchObject([{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42 }] }]);
    const many = await c.request<{
      groups: { groupId: string; errorCode: number; topics: { partitions: { committedOffset: number }[] }[] }[];
    }>(OffsetFetch, 8, {
      groups: [
        { groupId: 'g', topics: null },
        { groupId: 'other', topics: [{ name: 'orders', partitionIndexes: [0] }] },
      ],
      requireStable: true,
    });
    expect(many.groups.map((g) => [g.groupId, g.errorCode, g.topics[0]?.partitions[0]?.committedOffset])).toEqual([
      ['g', 0, 42],
      ['other', 0, -1],
    ]);
    const topicId = server.services.metadata.topic('orders')!.topicId;
    const v10 = await c.request<{
      groups: { topics: { topicId: string; partitions: { committedOffset: number }[] }[] }[];
    }>(OffsetFetch, 10, {
      groups: [{ groupId: 'g', memberId: null, memberEpoch: -1, topics: [{ topicId, partitionIndexes: [0] }] }],
      requireStable: false,
    });
    expect(v10.groups[0]!.topics[0]).toMatchObject({ topicId, partitions: [{ committedOffset: 42 }] });

    const stale = await c.request<{ topics: { partitions: { errorCode: number }[] }[] }>(OffsetCommit, 8, {
      groupId: 'nobody-home',
      generationIdOrMemberEpoch: 3,
      memberId: 'm',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }],
    });
    expect(stale.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('keeps committed offsets and group metadata across a restart', async () => {
    const c = await client();
    await ensureTopic(c, 'orders');
    await c.request(FindCoordinator, 0, { key: 'g' });
    const j = await joinWithId(c, 'g');
    await c.request(SyncGroup, 3, {
      groupId: 'g',
      generationId: 1,
      memberId: j.memberId,
      assignments: [{ memberId: j.memberId, assignment: Buffer.from('p0') }],
    });
    const commit = await c.request<{ topics: { partitions: { errorCode: number }[] }[] }>(OffsetCommit, 7, {
      groupId: 'g',
      generationIdOrMemberEpoch: 1,
      memberId: j.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 0, committedOffset: 7, committedLeaderEpoch: 0, committedMetadata: 'm' }],
        },
      ],
    });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(0);
    await c.request(OffsetCommit, 2, {
      groupId: 'simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 3, committedMetadata: null }] }],
    });
    c.close();
    await server.shutdown();
    await start();
    await server.services.groupCoordinator.whenLoaded();
    const d = await client();
    const fetched = await d.request<FetchV5>(OffsetFetch, 5, { groupId: 'g', topics: null });
    expect(fetched.topics[0]!.partitions[0]).toMatchObject({ committedOffset: 7, metadata: 'm' });
    const simple = await d.request<FetchV5>(OffsetFetch, 5, { groupId: 'simple', topics: null });
    expect(simple.topics[0]!.partitions[0]!.committedOffset).toBe(3);
    const described = await d.request<{
      groups: { groupState: string; members: { memberId: string; memberAssignment: Buffer }[] }[];
    }>(DescribeGroups, 0, { groups: ['g'] });
    expect(described.groups[0]!.groupState).toBe('Stable');
    expect(described.groups[0]!.members.map((m) => m.memberId)).toEqual([j.memberId]);
    expect(Buffer.from(described.groups[0]!.members[0]!.memberAssignment).toString()).toBe('p0');
  });
});

describe('group administration over the wire', () => {
  it('lists, describes, deletes groups and offsets', async () => {
    const c = await client();
    await ensureTopic(c, 'orders');
    await c.request(FindCoordinator, 0, { key: 'x' });
    for (const groupId of ['simple-a', 'simple-b']) {
      await c.request(OffsetCommit, 2, {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        retentionTimeMs: -1,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }],
      });
    }
    const listed = await c.request<{
      errorCode: number;
      groups: { groupId: string; groupState: string; groupType: string }[];
    }>(ListGroups, 5, { statesFilter: ['empty'], typesFilter: [] });
    expect(listed.errorCode).toBe(0);
    expect(listed.groups.map((g) => [g.groupId, g.groupState, g.groupType]).sort()).toEqual([
      ['simple-a', 'Empty', 'classic'],
      ['simple-b', 'Empty', 'classic'],
    ]);
    const consumerOnly = await c.request<{ groups: unknown[] }>(ListGroups, 5, {
      statesFilter: [],
      typesFilter: ['consumer'],
    });
    expect(consumerOnly.groups).toEqual([]);
    const v6 = await c.request<{ groups: { errorCode: number; errorMessage: string | null; groupState: string }[] }>(
      DescribeGroups,
      6,
      {
        groups: ['nope', 'simple-a'],
        includeAuthorizedOperations: true,
      },
    );
    expect(v6.groups.map((g) => [g.errorCode, g.groupState])).toEqual([
      [ErrorCode.GROUP_ID_NOT_FOUND, 'Dead'],
      [0, 'Empty'],
    ]);
    const offsetDelete = await c.request<{ errorCode: number; topics: { partitions: { errorCode: number }[] }[] }>(
      OffsetDelete,
      0,
      {
        groupId: 'simple-b',
        topics: [
          { name: 'orders', partitions: [{ partitionIndex: 0 }] },
          { name: 'missing', partitions: [{ partitionIndex: 0 }] },
        ],
      },
    );
    expect(offsetDelete.errorCode).toBe(0);
    expect(offsetDelete.topics.map((t) => t.partitions[0]!.errorCode)).toEqual([
      0,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const deleted = await c.request<{ results: { groupId: string; errorCode: number }[] }>(DeleteGroups, 2, {
      groupsNames: ['simple-a', 'simple-a', 'simple-b'],
    });
    expect(deleted.results).toMatchObject([
      { groupId: 'simple-a', errorCode: 0 },
      { groupId: 'simple-b', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    const after = await c.request<{ groups: unknown[] }>(ListGroups, 0, {});
    expect(after.groups).toEqual([]);
  });
});
