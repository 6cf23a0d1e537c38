import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { RawClient } from '../testing/raw-client.js';
import { ZooKeeperServer } from '../testing/zookeeper-server.js';
import { logBytes } from './testing/local-leader.js';

// Two brokers in ZooKeeper mode against a real ZooKeeper: the controller's LeaderAndIsr (not the
// store's events) gives the roles, and the follower copies the leader.
const run = ZooKeeperServer.available() ? describe : describe.skip;
let zkServer: ZooKeeperServer;
const servers: KafkaServer[] = [];
const clients: RawClient[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  if (ZooKeeperServer.available()) zkServer = await ZooKeeperServer.start();
}, 30_000);
afterAll(async () => {
  await zkServer?.stop();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0).reverse()) await s.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(id: number, chroot: string, reuse?: string): Promise<KafkaServer> {
  const dir = reuse ?? mkdtempSync(join(tmpdir(), `samsa-zkrepl-${id}-`));
  if (reuse === undefined) dirs.push(dir);
  const config = BrokerConfig.parse(
    [
      `broker.id=${id}`,
      'listeners=PLAINTEXT://127.0.0.1:0',
      `log.dirs=${dir}`,
      `zookeeper.connect=${zkServer.connect(chroot)}`,
      'replica.fetch.backoff.ms=100',
      'replica.fetch.wait.max.ms=100',
      'controlled.shutdown.enable=false',
    ].join('\n'),
  );
  const server = await KafkaServer.start(config, new Logger(`broker-${id}`));
  servers.push(server);
  return server;
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function produce(client: RawClient, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const records = buildRecordBatch([{ timestamp: 1_700_000_000_000 + i, key: null, value: Buffer.from(`v${i}`) }]);
    const r = await client.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
      acks: 1,
      timeoutMs: 5000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
    });
    expect(r.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
  }
}

async function createTopic(client: RawClient): Promise<void> {
  const created = await client.request<{ topics: { errorCode: number }[] }>(CreateTopics, 4, {
    topics: [
      {
        name: 't',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
        configs: [],
      },
    ],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
}

const partitionOf = (s: KafkaServer) => s.services.replicaManager.getPartition('t', 0);

run('replication in ZooKeeper mode', () => {
  it('a leader that dies and comes back follows the new leader and catches up', async () => {
    const b1 = await start(1, '/samsa-repl-2');
    const b2 = await start(2, '/samsa-repl-2');
    const c1 = await RawClient.open(b1.boundPorts[0]!);
    clients.push(c1);
    await createTopic(c1);
    await until(() => partitionOf(b1)?.isLeader === true && partitionOf(b2)?.leaderId === 1, 'the roles');
    await produce(c1, 0, 3);
    await until(() => partitionOf(b2)!.log.highWatermark === 3, 'the follower to catch up');
    c1.close();
    const dir1 = b1.services.config.logDirs[0]!;
    servers.splice(servers.indexOf(b1), 1);
    await b1.shutdown();
    await until(() => partitionOf(b2)?.isLeader === true, 'broker 2 to take over', 30_000);
    const c2 = await RawClient.open(b2.boundPorts[0]!);
    clients.push(c2);
    await produce(c2, 3, 2);
    const again = await start(1, '/samsa-repl-2', dir1);
    dirs.push(dir1);
    await until(() => partitionOf(again)?.leaderId === 2, 'broker 1 to follow broker 2', 30_000);
    const leaderLog = partitionOf(b2)!.log;
    const followerLog = partitionOf(again)!.log;
    await until(
      () => followerLog.logEndOffset === 5 && logBytes(followerLog).equals(logBytes(leaderLog)),
      'the old leader to catch up',
    );
  }, 90_000);

  it('the controller’s LeaderAndIsr makes one broker lead and the other follow', async () => {
    const b1 = await start(1, '/samsa-repl-1');
    const b2 = await start(2, '/samsa-repl-1');
    const c1 = await RawClient.open(b1.boundPorts[0]!);
    clients.push(c1);
    const created = await c1.request<{ topics: { errorCode: number }[] }>(CreateTopics, 4, {
      topics: [
        {
          name: 't',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
          configs: [],
        },
      ],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    const partitionOf = (s: KafkaServer) => s.services.replicaManager.getPartition('t', 0);
    await until(() => partitionOf(b1)?.isLeader === true && partitionOf(b2)?.leaderId === 1, 'the roles');
    for (let i = 0; i < 3; i++) {
      const records = buildRecordBatch([{ timestamp: 1_700_000_000_000 + i, key: null, value: Buffer.from(`v${i}`) }]);
      const r = await c1.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
        acks: 1,
        timeoutMs: 5000,
        topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
      });
      expect(r.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
    }
    const leaderLog = partitionOf(b1)!.log;
    const followerLog = partitionOf(b2)!.log;
    await until(
      () => followerLog.logEndOffset === 3 && logBytes(followerLog).equals(logBytes(leaderLog)),
      'the follower to copy the leader',
    );
    await until(() => followerLog.highWatermark === 3, 'the follower high watermark');
  }, 60_000);
});
