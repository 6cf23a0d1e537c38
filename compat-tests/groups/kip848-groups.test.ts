// KIP-848's consumer protocol (ConsumerGroupHeartbeat 68, ConsumerGroupDescribe 69) against the real
// broker: Samsa, or Apache Kafka 4.1.2 (which has it on by default; Kafka 3.9 keeps it off) when
// SAMSA_COMPAT_TARGET=kafka. The raw protocol checks joins, assignments, Kafka's error codes for bad
// input, offsets with member epochs, ListGroups' type filter, leaving, and a broker restart; then
// @confluentinc/kafka-javascript (librdkafka 2.x) consumes with `group.protocol: 'consumer'`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { ListGroups } from '../../src/protocol/messages/16-list-groups.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';
import {
  ckjs,
  ckjsVersion,
  type RdCtor,
  type RdGroupConsumer,
  type RdMessage,
} from '../confluent-kafka-javascript/driver.js';
import { GROUP_BROKER, createTopic, exactlyOnce, kafkaClient, produceNumbered, until } from './common.js';
import type { KAdmin, KKafka } from '../kafkajs/driver.js';

interface HeartbeatResponse {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: { topicId: string; partitions: number[] }[] } | null;
}
interface DescribeResponse {
  groups: {
    errorCode: number;
    groupId: string;
    groupState: string;
    groupEpoch: number;
    assignmentEpoch: number;
    assignorName: string;
    members: {
      memberId: string;
      memberEpoch: number;
      subscribedTopicNames: string[];
      assignment: { topicPartitions: { topicName: string; partitions: number[] }[] };
    }[];
  }[];
}

const TOPIC = 'kip848-raw';
const G = 'kip848-raw-group';

describe('KIP-848 consumer groups (raw protocol and librdkafka)', () => {
  let broker: Broker;
  let c: RawClient;
  let kafka: KKafka;
  let admin: KAdmin;

  /** One heartbeat; coordinator errors (the partition still loading after a start) are retried. */
  const hb = async (body: Record<string, unknown>, version = 1): Promise<HeartbeatResponse> => {
    for (let i = 0; ; i++) {
      const r = await hb1(body, version);
      const retriable = [
        ErrorCode.NOT_COORDINATOR,
        ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
      ];
      if (!(retriable as number[]).includes(r.errorCode) || i >= 100) return r;
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  const hb1 = (body: Record<string, unknown>, version: number) =>
    c.request<HeartbeatResponse>(ConsumerGroupHeartbeat, version, {
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
      ...body,
    });
  const joinBody = (memberId: string) => ({
    memberId,
    memberEpoch: 0,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: [TOPIC],
    topicPartitions: [],
  });
  const describeGroups = (...groupIds: string[]) =>
    c.request<DescribeResponse>(ConsumerGroupDescribe, 1, { groupIds, includeAuthorizedOperations: false });
  const owned = (r: HeartbeatResponse) => r.assignment?.topicPartitions.flatMap((t) => t.partitions).sort() ?? [];

  beforeAll(async () => {
    // One __consumer_offsets partition: every group of the test has the same coordinator state.
    broker = await startBroker({
      overrides: { ...GROUP_BROKER, 'offsets.topic.num.partitions': 1 },
      kafkaVersion: '4.1.2',
    });
    kafka = kafkaClient(broker.bootstrap, 'compat-kip848');
    admin = kafka.admin();
    await admin.connect();
    await createTopic(admin, TOPIC, 4);
    c = await RawClient.open(broker.port);
    await until('a coordinator', async () => {
      const r = await c.request<{ errorCode: number }>(FindCoordinator, 3, { key: G, keyType: 0 });
      return r.errorCode === 0;
    });
  });

  afterAll(async () => {
    c?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  let memberA = '';
  let epochA = 0;

  it('a first member (v1, its own member id) gets epoch 1 and all 4 partitions', async () => {
    memberA = 'member-a-0123456789ab';
    let r = await hb(joinBody(memberA));
    expect(r).toMatchObject({ errorCode: 0, memberId: memberA });
    expect(r.memberEpoch).toBeGreaterThan(0);
    expect(r.heartbeatIntervalMs).toBeGreaterThan(0);
    // Kafka may compute the target asynchronously: heartbeat until the assignment arrives.
    await until('4 partitions', async () => {
      if (owned(r).length === 4) return true;
      r = await hb({ memberId: memberA, memberEpoch: r.memberEpoch, topicPartitions: null });
      expect(r.errorCode).toBe(0);
      return owned(r).length === 4;
    });
    epochA = r.memberEpoch;
    expect(owned(r)).toEqual([0, 1, 2, 3]);
    const d = (await describeGroups(G)).groups[0]!;
    expect(d).toMatchObject({ errorCode: 0, groupState: 'Stable', groupEpoch: epochA, assignmentEpoch: epochA });
    expect(d.members).toHaveLength(1);
    expect(d.members[0]).toMatchObject({ memberId: memberA, memberEpoch: epochA, subscribedTopicNames: [TOPIC] });
    expect(d.members[0]!.assignment.topicPartitions).toMatchObject([{ topicName: TOPIC, partitions: [0, 1, 2, 3] }]);
  });

  it('bad input gets Kafka error codes', async () => {
    const code = async (body: Record<string, unknown>, version = 1) => (await hb(body, version)).errorCode;
    expect(await code({ ...joinBody('m-x'), serverAssignor: 'no-such-assignor' })).toBe(ErrorCode.UNSUPPORTED_ASSIGNOR);
    expect(await code({ ...joinBody('m-x'), rebalanceTimeoutMs: -1 })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await code({ ...joinBody('m-x'), topicPartitions: null })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await code({ ...joinBody('m-x'), subscribedTopicNames: null })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await code({ ...joinBody(''), memberId: '' })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await code({ ...joinBody('m-x'), memberEpoch: -3 })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await code({ ...joinBody('m-x'), subscribedTopicNames: null, subscribedTopicRegex: '[' })).toBe(
      ErrorCode.INVALID_REGULAR_EXPRESSION,
    );
    expect(await code({ groupId: 'no-such-group', memberId: 'm-x', memberEpoch: 3 })).toBe(
      ErrorCode.GROUP_ID_NOT_FOUND,
    );
    expect(await code({ memberId: 'no-such-member', memberEpoch: 1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await code({ memberId: memberA, memberEpoch: epochA + 5 })).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(await code({ memberId: 'no-such-member', memberEpoch: -1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const unknown = (await describeGroups('no-such-group')).groups[0]!;
    expect(unknown.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    // The group is untouched: the member still heartbeats at its epoch.
    const r = await hb({ memberId: memberA, memberEpoch: epochA });
    expect(r).toMatchObject({ errorCode: 0, memberEpoch: epochA });
  });

  it('a topic that does not exist is subscribed to without error and assigns nothing', async () => {
    const r = await hb({
      ...joinBody('member-z-0123456789ab'),
      groupId: 'kip848-missing',
      subscribedTopicNames: ['kip848-no-such-topic'],
    });
    expect(r.errorCode).toBe(0);
    expect(owned(r)).toEqual([]);
    expect(
      (await hb({ groupId: 'kip848-missing', memberId: 'member-z-0123456789ab', memberEpoch: -1 })).errorCode,
    ).toBe(0);
  });

  it('a second member gets its partitions only after the first revoked them', async () => {
    const memberB = 'member-b-0123456789ab';
    let b = await hb(joinBody(memberB));
    expect(b.errorCode).toBe(0);
    let a: HeartbeatResponse | undefined;
    // A learns its new (smaller) assignment; until it reports the revocation, B gets nothing A owns.
    await until('A told to revoke', async () => {
      a = await hb({ memberId: memberA, memberEpoch: epochA, topicPartitions: null });
      expect(a.errorCode).toBe(0);
      b = await hb({ memberId: memberB, memberEpoch: b.memberEpoch, topicPartitions: null });
      expect(b.errorCode).toBe(0);
      return a.assignment !== null && owned(a).length === 2;
    });
    expect(owned(b)).toEqual([]);
    const topicId = a!.assignment!.topicPartitions[0]!.topicId;
    const aOwned = owned(a!);
    // A reports that it owns only its two partitions now.
    a = await hb({
      memberId: memberA,
      memberEpoch: a!.memberEpoch,
      topicPartitions: [{ topicId, partitions: aOwned }],
    });
    expect(a.errorCode).toBe(0);
    epochA = a.memberEpoch;
    await until('B gets the other two', async () => {
      b = await hb({ memberId: memberB, memberEpoch: b.memberEpoch, topicPartitions: null });
      expect(b.errorCode).toBe(0);
      return owned(b).length === 2;
    });
    expect([...aOwned, ...owned(b)].sort()).toEqual([0, 1, 2, 3]);
    // B leaves: A gets all four back.
    expect(await hb({ memberId: memberB, memberEpoch: -1 })).toMatchObject({ errorCode: 0, memberEpoch: -1 });
    await until('A owns 4 again', async () => {
      a = await hb({ memberId: memberA, memberEpoch: epochA, topicPartitions: [{ topicId, partitions: aOwned }] });
      expect(a.errorCode).toBe(0);
      epochA = a.memberEpoch;
      return owned(a).length === 4;
    });
  });

  it('OffsetCommit v9 and OffsetFetch v9 check the member epoch; ListGroups v5 lists the group as "consumer"', async () => {
    const commit = (epoch: number, memberId = memberA) =>
      c.request<{ topics: { partitions: { errorCode: number }[] }[] }>(OffsetCommit, 9, {
        groupId: G,
        generationIdOrMemberEpoch: epoch,
        memberId,
        groupInstanceId: null,
        topics: [
          {
            name: TOPIC,
            partitions: [{ partitionIndex: 0, committedOffset: 7, committedLeaderEpoch: -1, committedMetadata: null }],
          },
        ],
      });
    const commitCode = async (epoch: number, memberId?: string) =>
      (await commit(epoch, memberId)).topics[0]!.partitions[0]!.errorCode;
    expect(await commitCode(epochA - 1)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(await commitCode(epochA, 'no-such-member')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await commitCode(epochA)).toBe(0);
    const fetch = (memberId: string | null, memberEpoch: number) =>
      c.request<{ groups: { errorCode: number; topics: { partitions: { committedOffset: number }[] }[] }[] }>(
        OffsetFetch,
        9,
        {
          groups: [{ groupId: G, memberId, memberEpoch, topics: [{ name: TOPIC, partitionIndexes: [0] }] }],
          requireStable: false,
        },
      );
    expect((await fetch(memberA, epochA + 1)).groups[0]!.errorCode).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    const ok = (await fetch(memberA, epochA)).groups[0]!;
    expect(ok.errorCode).toBe(0);
    expect(ok.topics[0]!.partitions[0]!.committedOffset).toBe(7);
    expect((await fetch(null, -1)).groups[0]!.topics[0]!.partitions[0]!.committedOffset).toBe(7);
    const listed = await c.request<{ groups: { groupId: string; groupType: string; protocolType: string }[] }>(
      ListGroups,
      5,
      {
        statesFilter: [],
        typesFilter: ['consumer'],
      },
    );
    expect(listed.groups.find((g) => g.groupId === G)).toMatchObject({
      groupType: 'consumer',
      protocolType: 'consumer',
    });
    const classicOnly = await c.request<{ groups: { groupId: string }[] }>(ListGroups, 5, {
      statesFilter: [],
      typesFilter: ['classic'],
    });
    expect(classicOnly.groups.find((g) => g.groupId === G)).toBeUndefined();
  });

  it('the last member leaves: Empty; a restart keeps the group epoch and the offsets', async () => {
    expect(await hb({ memberId: memberA, memberEpoch: -1 })).toMatchObject({ errorCode: 0, memberEpoch: -1 });
    const before = (await describeGroups(G)).groups[0]!;
    expect(before).toMatchObject({ errorCode: 0, groupState: 'Empty', members: [] });
    c.close();
    await broker.restart();
    c = await RawClient.open(broker.port);
    let after: DescribeResponse['groups'][number] | undefined;
    await until('the group is loaded', async () => {
      after = (await describeGroups(G)).groups[0]!;
      return after.errorCode === 0;
    });
    expect(after).toMatchObject({ groupState: 'Empty', groupEpoch: before.groupEpoch });
    const fetched = await c.request<{
      groups: { errorCode: number; topics: { partitions: { committedOffset: number }[] }[] }[];
    }>(OffsetFetch, 9, {
      groups: [{ groupId: G, memberId: null, memberEpoch: -1, topics: [{ name: TOPIC, partitionIndexes: [0] }] }],
      requireStable: false,
    });
    expect(fetched.groups[0]!.topics[0]!.partitions[0]!.committedOffset).toBe(7);
  });

  it(`@confluentinc/kafka-javascript ${ckjsVersion} with group.protocol=consumer: 2 then 3 members, every message once`, async () => {
    const topic = 'kip848-rd';
    const groupId = 'kip848-rd-group';
    await createTopic(admin, topic, 6);
    const members = await Promise.all([1, 2].map(() => RdMember.start(broker.bootstrap, groupId, topic)));
    try {
      await until('both assigned', () => members.every((m) => m.partitions().length === 3), 90_000);
      const first = await produceNumbered(kafka, topic, 6, 20);
      await until('120 messages', () => members.reduce((n, m) => n + m.seen.length, 0) >= 120);
      members.push(await RdMember.start(broker.bootstrap, groupId, topic));
      await until('3 members with 2 partitions each', () => members.every((m) => m.partitions().length === 2), 90_000);
      const all = members.flatMap((m) => m.partitions()).sort();
      expect(all).toEqual([0, 1, 2, 3, 4, 5]);
      const second = await produceNumbered(kafka, topic, 6, 20, 20);
      await until('240 messages', () => members.reduce((n, m) => n + m.seen.length, 0) >= 240);
      expect(
        exactlyOnce(
          [...first, ...second],
          members.flatMap((m) => m.seen),
        ),
      ).toEqual([]);
      // No partition was ever owned by two members at once.
      expect(members.flatMap((m) => m.overlapWith(members))).toEqual([]);
      const d = (await describeGroups(groupId)).groups[0]!;
      expect(d).toMatchObject({ errorCode: 0, groupState: 'Stable' });
      expect(d.members).toHaveLength(3);
    } finally {
      await Promise.all(members.map((m) => m.stop()));
    }
  });
});

/** A librdkafka consumer with group.protocol=consumer polling in the background; commits what it reads. */
class RdMember {
  readonly seen: string[] = [];
  /** Every (time, partitions) the member was seen to own, for the overlap check. */
  private readonly history: { at: number; partitions: number[] }[] = [];
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  private constructor(readonly c: RdGroupConsumer) {}

  static async start(bootstrap: string, groupId: string, topic: string): Promise<RdMember> {
    const c = new (ckjs.KafkaConsumer as unknown as RdCtor)({
      'bootstrap.servers': bootstrap,
      'group.id': groupId,
      'group.protocol': 'consumer',
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
    });
    const m = new RdMember(c);
    await new Promise<void>((res, rej) => c.connect({}, (err) => (err ? rej(err) : res())));
    c.setDefaultConsumeTimeout(100);
    c.subscribe([topic]);
    m.loop = m.poll();
    return m;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const msgs = await new Promise<RdMessage[]>((res) => this.c.consume(100, (err, ms) => res(err ? [] : ms)));
      for (const msg of msgs) this.seen.push(msg.value?.toString() ?? '');
      if (msgs.length > 0) this.c.commitSync(null);
      this.history.push({ at: Date.now(), partitions: this.partitions() });
    }
  }

  partitions(): number[] {
    return this.c
      .assignments()
      .map((a) => a.partition)
      .sort((a, b) => a - b);
  }

  /**
   * Partitions this member and another both owned in the same instant (approximated by the other's
   * last sample at or before each of this member's samples, when both were sampled within 50 ms).
   */
  overlapWith(all: readonly RdMember[]): string[] {
    const out: string[] = [];
    for (const other of all) {
      if (other === this) continue;
      for (const s of this.history) {
        const o = [...other.history].reverse().find((h) => h.at <= s.at);
        if (o === undefined || s.at - o.at > 50) continue;
        for (const p of s.partitions) if (o.partitions.includes(p)) out.push(`partition ${p} at ${s.at}`);
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await new Promise<void>((res) => this.c.disconnect(() => res()));
  }
}
