import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { ApiVersions } from '../../../protocol/messages/18-api-versions.js';
import { ConsumerGroupDescribe } from '../../../protocol/messages/69-consumer-group-describe.js';
import { ConsumerGroupHeartbeat } from '../../../protocol/messages/68-consumer-group-heartbeat.js';
import { DescribeGroups } from '../../../protocol/messages/15-describe-groups.js';
import { FindCoordinator } from '../../../protocol/messages/10-find-coordinator.js';
import { ListGroups } from '../../../protocol/messages/16-list-groups.js';
import { Metadata } from '../../../protocol/messages/03-metadata.js';
import { BrokerConfig } from '../../config/broker-config.js';
import { KafkaServer } from '../../kafka-server.js';
import { RawClient } from '../../testing/raw-client.js';
import { SilentLogger } from '../testing.js';

// KIP-848 APIs against a whole standalone broker in this process, over real sockets and real files.
let dir: string;
let server: KafkaServer;
let c: RawClient;

async function start(): Promise<void> {
  const config = BrokerConfig.parse(
    [
      'broker.id=0',
      'listeners=PLAINTEXT://127.0.0.1:0',
      `log.dirs=${dir}`,
      'offsets.topic.num.partitions=3',
      'num.partitions=4',
      'group.consumer.heartbeat.interval.ms=1234',
    ].join('\n'),
  );
  server = await KafkaServer.start(config, new SilentLogger());
  c = await RawClient.open(server.boundPorts[0]!);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsa-kip848-'));
  await start();
  await c.request(Metadata, 9, { topics: [{ name: 'orders' }], allowAutoTopicCreation: true });
  await c.request(FindCoordinator, 3, { key: 'g', keyType: 0 });
  await server.services.groupCoordinator.whenLoaded();
});

afterEach(async () => {
  c.close();
  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

interface HeartbeatResponse {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: { topicId: string; partitions: number[] }[] } | null;
}

const heartbeat = (version: number, body: Record<string, unknown>) =>
  c.request<HeartbeatResponse>(ConsumerGroupHeartbeat, version, {
    groupId: 'g',
    memberId: '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: ['orders'],
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: [],
    ...body,
  });

describe('ConsumerGroupHeartbeat and ConsumerGroupDescribe over the wire', () => {
  it('ApiVersions advertises ConsumerGroupHeartbeat and ConsumerGroupDescribe v0-1', async () => {
    const r = await c.request<{ apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[] }>(
      ApiVersions,
      3,
      {
        clientSoftwareName: 'test',
        clientSoftwareVersion: '1',
      },
    );
    expect(r.apiKeys.find((k) => k.apiKey === 68)).toMatchObject({ minVersion: 0, maxVersion: 1 });
    expect(r.apiKeys.find((k) => k.apiKey === 69)).toMatchObject({ minVersion: 0, maxVersion: 1 });
  });

  it('v0 joins with a coordinator-made member id; describe, list and a restart keep the group', async () => {
    const joined = await heartbeat(0, {});
    expect(joined).toMatchObject({ errorCode: 0, memberEpoch: 1, heartbeatIntervalMs: 1234 });
    expect(joined.assignment!.topicPartitions[0]!.partitions.sort()).toEqual([0, 1, 2, 3]);
    const memberId = joined.memberId!;

    const d = await c.request<{ groups: Record<string, unknown>[] }>(ConsumerGroupDescribe, 1, {
      groupIds: ['g', 'missing'],
      includeAuthorizedOperations: true,
    });
    expect(d.groups[0]).toMatchObject({
      errorCode: 0,
      groupState: 'Stable',
      groupEpoch: 1,
      assignmentEpoch: 1,
      assignorName: 'uniform',
    });
    expect(d.groups[0]!['members']).toMatchObject([
      { memberId, memberEpoch: 1, clientHost: '/127.0.0.1', subscribedTopicNames: ['orders'], memberType: 1 },
    ]);
    expect(d.groups[1]).toMatchObject({
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      errorMessage: 'Group missing not found.',
    });

    const listed = await c.request<{ groups: Record<string, unknown>[] }>(ListGroups, 5, {
      statesFilter: ['stable'],
      typesFilter: [],
    });
    expect(listed.groups).toContainEqual(
      expect.objectContaining({ groupId: 'g', groupState: 'Stable', groupType: 'consumer' }),
    );
    const empty = await c.request<{ groups: unknown[] }>(ListGroups, 5, {
      statesFilter: ['Empty'],
      typesFilter: ['consumer'],
    });
    expect(empty.groups).toEqual([]);
    // The classic API does not describe a consumer group.
    const classic = await c.request<{ groups: { errorCode: number }[] }>(DescribeGroups, 6, {
      groups: ['g'],
      includeAuthorizedOperations: false,
    });
    expect(classic.groups[0]!.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);

    c.close();
    await server.shutdown();
    await start();
    await c.request(FindCoordinator, 3, { key: 'g', keyType: 0 });
    await server.services.groupCoordinator.whenLoaded();
    const again = await heartbeat(1, {
      memberId,
      memberEpoch: 1,
      rebalanceTimeoutMs: -1,
      subscribedTopicNames: null,
      topicPartitions: null,
    });
    expect(again).toMatchObject({ errorCode: 0, memberId, memberEpoch: 1 });
  });

  it("bad input over the wire: an error code and Kafka's message", async () => {
    const r = await heartbeat(1, { memberId: '' });
    expect(r).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "MemberId can't be empty." });
    const bad = await heartbeat(1, { memberId: 'm', serverAssignor: 'nope' });
    expect(bad.errorCode).toBe(ErrorCode.UNSUPPORTED_ASSIGNOR);
  });
});
