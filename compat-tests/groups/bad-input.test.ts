// Bad group input over the raw protocol, against the real broker (Samsa or Kafka 3.9.2): unknown and
// empty protocol types, oversized member metadata, heartbeats for unknown groups and stale generations,
// commits to unknown topics and partitions. Each answer is Kafka's error code, and the group that was
// already there stays Stable, its member heartbeating and its offsets intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import { DescribeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';
import { subscription } from '../../src/broker/group/testing.js';
import { GROUP_BROKER, createTopic, kafkaClient, until } from './common.js';

interface JoinResponse {
  errorCode: number;
  generationId: number;
  protocolName: string | null;
  leader: string;
  memberId: string;
}
interface CommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

const G = 'healthy';
const TOPIC = 'bad-input';

const joinBody = (groupId: string, memberId: string, extra: Record<string, unknown> = {}) => ({
  groupId,
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 30_000,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: subscription(TOPIC) }],
  reason: null,
  ...extra,
});

describe('bad group input gets Kafka error codes and the group stays healthy', () => {
  let broker: Broker;
  let c: RawClient;
  let memberId = '';
  const hb = (groupId: string, member: string, generationId: number) =>
    c.request<{ errorCode: number }>(Heartbeat, 4, { groupId, generationId, memberId: member, groupInstanceId: null });
  /** JoinGroup v5 through MEMBER_ID_REQUIRED. */
  const join = async (groupId: string, extra: Record<string, unknown> = {}): Promise<JoinResponse> => {
    const first = await c.request<JoinResponse>(JoinGroup, 5, joinBody(groupId, '', extra));
    if (first.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) return first;
    return c.request<JoinResponse>(JoinGroup, 5, joinBody(groupId, first.memberId, extra));
  };
  const sync = (groupId: string, member: string, generationId: number, assignment: Buffer) =>
    c.request<{ errorCode: number }>(SyncGroup, 3, {
      groupId,
      generationId,
      memberId: member,
      groupInstanceId: null,
      assignments: [{ memberId: member, assignment }],
    });
  const commit = (groupId: string, member: string, generationId: number, topics: unknown[]) =>
    c.request<CommitResponse>(OffsetCommit, 8, {
      groupId,
      generationIdOrMemberEpoch: generationId,
      memberId: member,
      groupInstanceId: null,
      topics,
    });
  const part = (partitionIndex: number, committedOffset: number) => ({
    partitionIndex,
    committedOffset,
    committedLeaderEpoch: -1,
    committedMetadata: null,
  });

  beforeAll(async () => {
    broker = await startBroker({ overrides: GROUP_BROKER });
    const kafka = kafkaClient(broker.bootstrap, 'compat-bad-input');
    const admin = kafka.admin();
    await admin.connect();
    await createTopic(admin, TOPIC, 2);
    await admin.disconnect();
    c = await RawClient.open(broker.port);
    // Kafka creates __consumer_offsets on the first lookup and answers COORDINATOR_NOT_AVAILABLE until
    // its partitions are led; clients retry.
    await until('a coordinator', async () => {
      const r = await c.request<{ errorCode: number }>(FindCoordinator, 3, { key: G, keyType: 0 });
      return r.errorCode === 0;
    });
    let j: JoinResponse | undefined;
    await until('the first join', async () => {
      j = await join(G);
      return j.errorCode === 0;
    });
    memberId = j!.memberId;
    expect(j).toMatchObject({ generationId: 1, leader: memberId, protocolName: 'range' });
    expect((await sync(G, memberId, 1, Buffer.from('all'))).errorCode).toBe(0);
    await commit(G, memberId, 1, [{ name: TOPIC, partitions: [part(0, 5)] }]);
  });

  afterAll(async () => {
    c?.close();
    await broker?.stop();
  });

  it('JoinGroup with an empty protocol type or no protocols: INCONSISTENT_GROUP_PROTOCOL', async () => {
    expect((await join('other', { protocolType: '' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await join('other', { protocols: [] })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('JoinGroup with a protocol type the group does not use: INCONSISTENT_GROUP_PROTOCOL', async () => {
    expect((await join(G, { protocolType: 'connect' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    // Same type, no protocol in common with the members'.
    const other = await join(G, { protocols: [{ name: 'no-such-assignor', metadata: Buffer.alloc(0) }] });
    expect(other.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('an unknown protocol type starts a new group of that type (classic groups are not typed)', async () => {
    const j = await join('typed', { protocolType: 'some-framework' });
    expect(j).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
  });

  it('Heartbeat for an unknown group, an unknown member and a stale generation', async () => {
    expect((await hb('no-such-group', memberId, 1)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await hb(G, 'stranger', 1)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await hb(G, memberId, 0)).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await hb(G, memberId, 7)).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('OffsetCommit to unknown topics and partitions, and from a stale generation', async () => {
    const r = await commit(G, memberId, 1, [
      { name: 'no-such-topic', partitions: [part(0, 1)] },
      { name: TOPIC, partitions: [part(1, 3), part(9, 1)] },
    ]);
    const answers = r.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.errorCode]));
    // Kafka answers the partitions grouped differently from the request's order; compare as a set.
    expect(answers.map((a) => a.join('/')).sort()).toEqual(
      [
        ['no-such-topic', 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        [TOPIC, 1, 0],
        [TOPIC, 9, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ]
        .map((a) => a.join('/'))
        .sort(),
    );
    const stale = await commit(G, memberId, 0, [{ name: TOPIC, partitions: [part(0, 99)] }]);
    expect(stale.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const stranger = await commit(G, 'stranger', 1, [{ name: TOPIC, partitions: [part(0, 99)] }]);
    expect(stranger.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('oversized member metadata (a valid subscription with 2 MiB of user data): SyncGroup UNKNOWN_SERVER_ERROR', async () => {
    // The join succeeds; the generation's group metadata record is larger than __consumer_offsets'
    // max.message.bytes, so storing the leader's assignment fails: UNKNOWN_SERVER_ERROR, and the group
    // rebalances (REBALANCE_IN_PROGRESS on the next heartbeat). Kafka 3.9.2 and 4.1.2 answer so.
    const head = Buffer.alloc(13);
    head.writeInt16BE(0, 0); // ConsumerProtocolSubscription v0
    head.writeInt32BE(1, 2); // one topic
    head.writeInt16BE(1, 6);
    head.write('t', 8);
    head.writeInt32BE(2 * 1024 * 1024, 9); // user data
    const metadata = Buffer.concat([head, Buffer.alloc(2 * 1024 * 1024, 7)]);
    const j = await join('oversized', { protocols: [{ name: 'range', metadata }] });
    expect(j).toMatchObject({ errorCode: 0, generationId: 1 });
    const s = await sync('oversized', j.memberId, 1, Buffer.from('x'));
    expect(s.errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect((await hb('oversized', j.memberId, 1)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('after all that, the group is Stable, its member heartbeats and its offsets are intact', async () => {
    expect((await hb(G, memberId, 1)).errorCode).toBe(0);
    const d = await c.request<{ groups: { errorCode: number; groupState: string; members: unknown[] }[] }>(
      DescribeGroups,
      5,
      { groups: [G], includeAuthorizedOperations: false },
    );
    expect(d.groups[0]).toMatchObject({ errorCode: 0, groupState: 'Stable' });
    expect(d.groups[0]!.members).toHaveLength(1);
    const f = await c.request<{
      topics: { name: string; partitions: { partitionIndex: number; committedOffset: number; errorCode: number }[] }[];
    }>(OffsetFetch, 5, { groupId: G, topics: [{ name: TOPIC, partitionIndexes: [0, 1] }], requireStable: false });
    expect(f.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([
      [0, 5, 0],
      [1, 3, 0],
    ]);
  });
});
