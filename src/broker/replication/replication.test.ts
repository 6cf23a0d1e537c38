import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { LeaderAndIsr } from '../../protocol/messages/04-leader-and-isr.js';
import { StopReplica } from '../../protocol/messages/05-stop-replica.js';
import { UpdateMetadata } from '../../protocol/messages/06-update-metadata.js';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { RawClient } from '../testing/raw-client.js';
import { logBytes } from './testing/local-leader.js';

// Two standalone brokers in this process over real sockets. Roles come from LeaderAndIsr sent here by
// hand, as a controller would send them; each store knows the topic and the other broker, so that
// each broker's Fetch and OffsetForLeaderEpoch handlers serve it.
interface Node {
  dir: string;
  server: KafkaServer;
  client: RawClient;
  port: number;
  topicId: string;
}

const nodes: Node[] = [];

async function startNode(id: number): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), `samsa-repl-${id}-`));
  const config = BrokerConfig.parse(
    [
      `broker.id=${id}`,
      'listeners=PLAINTEXT://127.0.0.1:0',
      `log.dirs=${dir}`,
      'replica.fetch.backoff.ms=50',
      'replica.fetch.wait.max.ms=50',
      'offsets.topic.replication.factor=1',
    ].join('\n'),
  );
  const server = await KafkaServer.start(config, new Logger(`broker-${id}`));
  const port = server.boundPorts[0]!;
  const node = { dir, server, client: await RawClient.open(port), port, topicId: '' };
  nodes.push(node);
  return node;
}

async function knowEachOther(a: Node, b: Node): Promise<void> {
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const endpoint = { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: other.port };
    await self.server.services.metadata.registerBroker({
      brokerId: other.server.brokerId,
      host: '127.0.0.1',
      port: other.port,
      rack: null,
      endpoints: [endpoint],
    });
  }
}

async function createTopic(node: Node, name: string, replicas: number[]): Promise<void> {
  const [result] = await node.server.services.metadata.createTopics([
    {
      name,
      numPartitions: -1,
      replicationFactor: -1,
      assignments: [{ partitionIndex: 0, brokerIds: replicas }],
      configs: [],
    },
  ]);
  expect(result?.errorCode).toBe(ErrorCode.NONE);
  node.topicId = result!.topic!.topicId;
}

interface PartitionOrder {
  leader: number;
  leaderEpoch: number;
  isr: number[];
  partitionEpoch: number;
  replicas?: number[];
  topic?: string;
  topicId?: string;
}

interface LeaderAndIsrAnswer {
  errorCode: number;
  topics: { topicId: string; partitionErrors: { partitionIndex: number; errorCode: number }[] }[];
}

function leaderAndIsr(
  to: Node,
  order: PartitionOrder,
  liveLeaders: Node[],
  controllerEpoch = 1,
): Promise<LeaderAndIsrAnswer> {
  return to.client.request<LeaderAndIsrAnswer>(LeaderAndIsr, 5, {
    controllerId: 1,
    controllerEpoch,
    brokerEpoch: -1,
    type: 0,
    topicStates: [
      {
        topicName: order.topic ?? 't',
        topicId: order.topicId ?? to.topicId,
        partitionStates: [
          {
            partitionIndex: 0,
            controllerEpoch,
            leader: order.leader,
            leaderEpoch: order.leaderEpoch,
            isr: order.isr,
            partitionEpoch: order.partitionEpoch,
            replicas: order.replicas ?? [1, 2],
            addingReplicas: [],
            removingReplicas: [],
            isNew: false,
          },
        ],
      },
    ],
    liveLeaders: liveLeaders.map((n) => ({ brokerId: n.server.brokerId, hostName: '127.0.0.1', port: n.port })),
  });
}

const errorsOf = (a: LeaderAndIsrAnswer) => a.topics.flatMap((t) => t.partitionErrors.map((p) => p.errorCode));

let batchNo = 0;
async function produce(node: Node, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const n = batchNo++;
    const records = buildRecordBatch([{ timestamp: 1_700_000_000_000 + n, key: null, value: Buffer.from(`v${n}`) }]);
    const r = await node.client.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
    });
    expect(r.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
  }
}

const logOf = (node: Node) => node.server.services.replicaManager.getPartition('t', 0)!.log;

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sameLog = (a: Node, b: Node) => () =>
  logOf(a).logEndOffset === logOf(b).logEndOffset && logBytes(logOf(a)).equals(logBytes(logOf(b)));

afterEach(async () => {
  for (const n of nodes.splice(0)) {
    n.client.close();
    await n.server.shutdown();
    rmSync(n.dir, { recursive: true, force: true });
  }
});

describe('replication between two brokers', () => {
  let a: Node;
  let b: Node;

  beforeEach(async () => {
    a = await startNode(1);
    b = await startNode(2);
    await knowEachOther(a, b);
    await createTopic(a, 't', [1, 2]);
    await createTopic(b, 't', [1, 2]);
  });

  it('a follower copies the leader’s batches byte for byte and takes its high watermark', async () => {
    expect(errorsOf(await leaderAndIsr(a, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]))).toEqual([
      ErrorCode.NONE,
    ]);
    expect(errorsOf(await leaderAndIsr(b, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]))).toEqual([
      ErrorCode.NONE,
    ]);
    const follower = b.server.services.replicaManager.getPartition('t', 0)!;
    expect(follower.isLeader).toBe(false);
    expect(follower.leaderEpoch).toBe(1);
    await produce(a, 3);
    await until(sameLog(a, b), 'the follower to copy the leader');
    expect(logOf(b).logEndOffset).toBe(3);
    await until(() => logOf(b).highWatermark === logOf(a).highWatermark, 'the follower HW');
    expect(logOf(b).endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 3 });
    // The same LeaderAndIsr again changes nothing (Kafka: STALE_CONTROLLER_EPOCH for that partition).
    expect(errorsOf(await leaderAndIsr(b, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]))).toEqual([
      ErrorCode.STALE_CONTROLLER_EPOCH,
    ]);
    await produce(a, 2);
    await until(sameLog(a, b), 'the follower to keep following');
  });

  it('after a leader change the old leader truncates its divergent tail and follows', async () => {
    await leaderAndIsr(a, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]);
    await leaderAndIsr(b, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]);
    await produce(a, 3);
    await until(sameLog(a, b), 'the follower to copy the leader');

    // b becomes leader at epoch 2; a has not been told and takes two appends b never sees.
    expect(errorsOf(await leaderAndIsr(b, { leader: 2, leaderEpoch: 2, isr: [2], partitionEpoch: 2 }, [b]))).toEqual([
      ErrorCode.NONE,
    ]);
    expect(b.server.services.replicaManager.replicaFetcherManager.fetcherCount).toBe(0);
    await produce(a, 2);
    await produce(b, 1);
    expect(logOf(a).logEndOffset).toBe(5);
    expect(logOf(b).logEndOffset).toBe(4);

    expect(errorsOf(await leaderAndIsr(a, { leader: 2, leaderEpoch: 2, isr: [2], partitionEpoch: 2 }, [b]))).toEqual([
      ErrorCode.NONE,
    ]);
    await until(sameLog(a, b), 'the old leader to truncate and follow');
    expect(logOf(a).logEndOffset).toBe(4);
    expect(logOf(a).endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 3 });
    await produce(b, 2);
    await until(sameLog(a, b), 'the old leader to keep following');
  });

  it('StopReplica stops the fetcher; with deletePartition the log goes', async () => {
    await leaderAndIsr(a, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]);
    await leaderAndIsr(b, { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1 }, [a]);
    await produce(a, 1);
    await until(sameLog(a, b), 'the follower to copy the leader');
    const rm = b.server.services.replicaManager;
    const stop = (deletePartition: boolean, leaderEpoch: number, controllerEpoch = 1) =>
      b.client.request<{ errorCode: number; partitionErrors: { errorCode: number }[] }>(StopReplica, 3, {
        controllerId: 1,
        controllerEpoch,
        brokerEpoch: -1,
        topicStates: [{ topicName: 't', partitionStates: [{ partitionIndex: 0, leaderEpoch, deletePartition }] }],
      });
    expect((await stop(false, 0)).partitionErrors[0]?.errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect(rm.replicaFetcherManager.fetcherForPartition('t-0')).toBeDefined();
    expect((await stop(false, 0, 0)).errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
    expect((await stop(false, 1)).partitionErrors[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(rm.replicaFetcherManager.fetcherForPartition('t-0')).toBeUndefined();
    expect(rm.getPartition('t', 0)).toBeDefined();
    await produce(a, 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(logOf(b).logEndOffset).toBe(1);
    expect((await stop(true, -2)).partitionErrors[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(rm.getPartition('t', 0)).toBeUndefined();
    expect(b.server.services.logManager.getLog('t', 0)).toBeUndefined();
  });
});

describe('controller requests: bad inputs', () => {
  let a: Node;

  beforeEach(async () => {
    a = await startNode(1);
    a.topicId = 'AAAAAAAAAAAAAAAAAAAAAQ';
  });

  it('creates a partition it is told to lead, with the request’s topic id', async () => {
    const r = await leaderAndIsr(a, { leader: 1, leaderEpoch: 0, isr: [1], partitionEpoch: 0, replicas: [1] }, [a]);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.topics).toMatchObject([{ topicId: a.topicId, partitionErrors: [{ partitionIndex: 0, errorCode: 0 }] }]);
    const p = a.server.services.replicaManager.getPartition('t', 0)!;
    expect(p.isLeader).toBe(true);
    expect(p.topicId).toBe(a.topicId);
  });

  it('refuses a stale controller epoch for the request and every partition', async () => {
    await leaderAndIsr(a, { leader: 1, leaderEpoch: 0, isr: [1], partitionEpoch: 0, replicas: [1] }, [a], 5);
    const r = await leaderAndIsr(a, { leader: 1, leaderEpoch: 3, isr: [1], partitionEpoch: 3, replicas: [1] }, [a], 4);
    expect(r.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
    expect(errorsOf(r)).toEqual([ErrorCode.STALE_CONTROLLER_EPOCH]);
    expect(a.server.services.replicaManager.getPartition('t', 0)!.leaderEpoch).toBe(0);
    const um = await a.client.request<{ errorCode: number }>(UpdateMetadata, 7, {
      controllerId: 1,
      controllerEpoch: 4,
      brokerEpoch: -1,
      topicStates: [],
      liveBrokers: [],
    });
    expect(um.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  });

  it('refuses an older leader epoch; the same leader epoch with a newer partition epoch updates the ISR', async () => {
    await leaderAndIsr(a, { leader: 1, leaderEpoch: 3, isr: [1], partitionEpoch: 3, replicas: [1, 2] }, [a]);
    const older = await leaderAndIsr(a, { leader: 1, leaderEpoch: 2, isr: [1], partitionEpoch: 9, replicas: [1, 2] }, [
      a,
    ]);
    expect(errorsOf(older)).toEqual([ErrorCode.STALE_CONTROLLER_EPOCH]);
    const isr = await leaderAndIsr(a, { leader: 1, leaderEpoch: 3, isr: [1, 2], partitionEpoch: 4, replicas: [1, 2] }, [
      a,
    ]);
    expect(errorsOf(isr)).toEqual([ErrorCode.NONE]);
    const p = a.server.services.replicaManager.getPartition('t', 0)!;
    expect(p.isr).toEqual([1, 2]);
    expect(p.partitionEpoch).toBe(4);
  });

  it('a different topic id for a hosted partition is INCONSISTENT_TOPIC_ID', async () => {
    await leaderAndIsr(a, { leader: 1, leaderEpoch: 0, isr: [1], partitionEpoch: 0, replicas: [1] }, [a]);
    const r = await leaderAndIsr(
      a,
      { leader: 1, leaderEpoch: 1, isr: [1], partitionEpoch: 1, replicas: [1], topicId: 'AAAAAAAAAAAAAAAAAAAAAg' },
      [a],
    );
    expect(errorsOf(r)).toEqual([ErrorCode.INCONSISTENT_TOPIC_ID]);
    expect(a.server.services.replicaManager.getPartition('t', 0)!.leaderEpoch).toBe(0);
  });

  it('a replica set without this broker is UNKNOWN_TOPIC_OR_PARTITION and creates no log', async () => {
    const r = await leaderAndIsr(a, { leader: 2, leaderEpoch: 0, isr: [2], partitionEpoch: 0, replicas: [2, 3] }, [a]);
    expect(errorsOf(r)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(a.server.services.replicaManager.getPartition('t', 0)).toBeUndefined();
    expect(a.server.services.logManager.getLog('t', 0)).toBeUndefined();
  });

  it('a follower whose leader has no known endpoint gets its log but no fetcher', async () => {
    const r = await leaderAndIsr(a, { leader: 7, leaderEpoch: 0, isr: [7], partitionEpoch: 0, replicas: [7, 1] }, []);
    expect(errorsOf(r)).toEqual([ErrorCode.NONE]);
    expect(a.server.services.logManager.getLog('t', 0)).toBeDefined();
    expect(a.server.services.replicaManager.replicaFetcherManager.fetcherCount).toBe(0);
  });

  it('UpdateMetadata tells where leaders are; a later LeaderAndIsr without liveLeaders uses it', async () => {
    const um = await a.client.request<{ errorCode: number }>(UpdateMetadata, 7, {
      controllerId: 1,
      controllerEpoch: 1,
      brokerEpoch: -1,
      topicStates: [],
      liveBrokers: [
        {
          id: 9,
          endpoints: [{ port: 1, host: '127.0.0.1', listener: 'PLAINTEXT', securityProtocol: 0 }],
          rack: null,
        },
      ],
    });
    expect(um.errorCode).toBe(ErrorCode.NONE);
    expect(a.server.services.replicaManager.brokerEndpoints.endpointOf(9)).toEqual({
      id: 9,
      host: '127.0.0.1',
      port: 1,
    });
    const r = await leaderAndIsr(a, { leader: 9, leaderEpoch: 0, isr: [9], partitionEpoch: 0, replicas: [9, 1] }, []);
    expect(errorsOf(r)).toEqual([ErrorCode.NONE]);
    expect(a.server.services.replicaManager.replicaFetcherManager.fetcherForPartition('t-0')).toBeDefined();
  });

  it('answers v0-4 with a flat list of partition errors (v1: ungrouped states)', async () => {
    const r = await a.client.request<{ errorCode: number; partitionErrors: unknown[] }>(LeaderAndIsr, 1, {
      controllerId: 1,
      controllerEpoch: 1,
      ungroupedPartitionStates: [
        {
          topicName: 'old',
          partitionIndex: 0,
          controllerEpoch: 1,
          leader: 1,
          leaderEpoch: 0,
          isr: [1],
          partitionEpoch: 0,
          replicas: [1],
          isNew: true,
        },
      ],
      liveLeaders: [{ brokerId: 1, hostName: '127.0.0.1', port: a.port }],
    });
    expect(r).toMatchObject({ errorCode: 0, partitionErrors: [{ topicName: 'old', partitionIndex: 0, errorCode: 0 }] });
    expect(a.server.services.replicaManager.getPartition('old', 0)?.isLeader).toBe(true);
  });

  it('StopReplica v0 for a partition it does not host is NONE', async () => {
    const r = await a.client.request<{ errorCode: number; partitionErrors: { errorCode: number }[] }>(StopReplica, 0, {
      controllerId: 1,
      controllerEpoch: 1,
      deletePartitions: true,
      ungroupedPartitions: [{ topicName: 'nothing', partitionIndex: 0 }],
    });
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.partitionErrors).toMatchObject([{ topicName: 'nothing', partitionIndex: 0, errorCode: 0 }]);
  });
});
