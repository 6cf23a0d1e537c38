import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../protocol/records/index.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { RawClient } from '../testing/raw-client.js';

// ISR shrink and expand end to end on a standalone broker: the ReplicaManager's isr-expiration task,
// Partition's versioned ISR writes to the embedded store, and the store's state coming back. Broker 1
// is registered in the store but never runs; a raw client fetches as it (replica_id 1).
const LAG_MS = 200;
let dir: string;
let server: KafkaServer;
let client: RawClient;
let follower: RawClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsa-isr-'));
  const config = BrokerConfig.parse(
    `broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\nreplica.lag.time.max.ms=${LAG_MS}\nreplica.fetch.wait.max.ms=50\n`,
  );
  server = await KafkaServer.start(config, new Logger('test'));
  client = await RawClient.open(server.boundPorts[0]!);
  follower = await RawClient.open(server.boundPorts[0]!);
  const endpoint = { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 1 };
  await server.services.metadata.registerBroker({
    brokerId: 1,
    host: '127.0.0.1',
    port: 1,
    rack: null,
    endpoints: [endpoint],
  });
  const [r] = await server.services.metadata.createTopics([
    {
      name: 'rep',
      numPartitions: -1,
      replicationFactor: -1,
      assignments: [{ partitionIndex: 0, brokerIds: [0, 1] }],
      configs: [],
    },
  ]);
  expect(r!.errorCode).toBe(0);
});

afterEach(async () => {
  client.close();
  follower.close();
  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const storeState = () => server.services.metadata.topic('rep')!.partitions[0]!;
const partition = () => server.services.replicaManager.getPartition('rep', 0)!;

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

async function produce(n: number, acks: number): Promise<number> {
  const records = buildRecordBatch(
    Array.from({ length: n }, (_, i) => ({ timestamp: 1_700_000_000_000 + i, key: null, value: Buffer.from('v') })),
  );
  const r = await client.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
    acks,
    timeoutMs: 10_000,
    topicData: [{ name: 'rep', partitionData: [{ index: 0, records }] }],
  });
  return r.responses[0]!.partitionResponses[0]!.errorCode;
}

async function followerFetch(fetchOffset: number): Promise<number> {
  const r = await follower.request<{ responses: { partitions: { errorCode: number }[] }[] }>(Fetch, 12, {
    replicaId: 1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 'rep',
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: partition().leaderEpoch,
            fetchOffset,
            lastFetchedEpoch: -1,
            logStartOffset: 0,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  });
  return r.responses[0]!.partitions[0]!.errorCode;
}

describe('ISR changes through the store', () => {
  it('shrinks away a silent follower, which releases a waiting acks=-1 produce, then takes it back', async () => {
    expect(storeState()).toMatchObject({ leader: 0, isr: [0, 1] });
    const epoch = storeState().partitionEpoch;
    const produced = produce(3, -1);
    await until(() => server.services.replicaManager.producePurgatory.size === 1);
    // Broker 1 never fetches: within 1.5 × replica.lag.time.max.ms the leader writes ISR [0].
    expect(await produced).toBe(ErrorCode.NONE);
    expect(storeState()).toMatchObject({ leader: 0, isr: [0], partitionEpoch: epoch + 1 });
    expect(partition().isr).toEqual([0]);
    expect(partition().partitionEpoch).toBe(epoch + 1);
    expect(partition().log.highWatermark).toBe(3);

    // It fetches, but not yet up to the high watermark: still out.
    expect(await followerFetch(1)).toBe(ErrorCode.NONE);
    expect(storeState().isr).toEqual([0]);
    // At the high watermark it is back in.
    expect(await followerFetch(3)).toBe(ErrorCode.NONE);
    await until(() => storeState().isr.length === 2);
    expect(storeState()).toMatchObject({ isr: [0, 1], partitionEpoch: epoch + 2 });
    expect(partition().isr).toEqual([0, 1]);
  });

  it('keeps a follower that keeps fetching at the log end', async () => {
    expect(await produce(2, 1)).toBe(ErrorCode.NONE);
    const until3Lags = Date.now() + 3 * LAG_MS;
    while (Date.now() < until3Lags) {
      expect(await followerFetch(2)).toBe(ErrorCode.NONE);
      await new Promise((r) => setTimeout(r, LAG_MS / 4));
    }
    expect(storeState().isr).toEqual([0, 1]);
    expect(partition().log.highWatermark).toBe(2);
  });
});
