import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { ListOffsets } from '../../protocol/messages/02-list-offsets.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../protocol/records/index.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import type { LeaderAndIsrState, Partition } from '../partition.js';
import { RawClient } from '../testing/raw-client.js';

// The leader side of replication over real sockets: an in-process broker made leader of a 2-replica
// partition (makeLeader, as LeaderAndIsr does), a raw client fetching as follower 1 (replica_id 1),
// and acks=-1 produces waiting for it.
let dir: string;
let server: KafkaServer;
let client: RawClient;
/** The follower's own connection: a connection answers in order, so it must not queue behind a produce. */
let follower: RawClient;
let p: Partition;

async function start(topicConfigs: Record<string, string> = {}): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'samsa-follower-fetch-'));
  const config = BrokerConfig.parse(`broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n`);
  server = await KafkaServer.start(config, new Logger('test'));
  client = await RawClient.open(server.boundPorts[0]!);
  follower = await RawClient.open(server.boundPorts[0]!);
  const [r] = await server.services.metadata.createTopics([
    {
      name: 'rep',
      numPartitions: 1,
      replicationFactor: 1,
      assignments: [],
      configs: Object.entries(topicConfigs).map(([name, value]) => ({ name, value })),
    },
  ]);
  expect(r!.errorCode).toBe(0);
  p = server.services.replicaManager.getPartition('rep', 0)!;
  lead({ leaderEpoch: 1, partitionEpoch: 1 });
}

function lead(over: Partial<LeaderAndIsrState>): void {
  p.makeLeader({
    controllerEpoch: 1,
    leader: 0,
    leaderEpoch: 1,
    isr: [0, 1],
    partitionEpoch: 1,
    replicas: [0, 1],
    isNew: false,
    ...over,
  });
}

beforeEach(async () => {
  await start();
});

afterEach(async () => {
  client.close();
  follower.close();
  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (n: number) =>
  buildRecordBatch(
    Array.from({ length: n }, (_, i) => ({ timestamp: 1_700_000_000_000 + i, key: null, value: Buffer.from(`v${i}`) })),
  );

interface ProduceAnswer {
  errorCode: number;
  baseOffset: number;
}

function produce(records: Buffer, acks: number, timeoutMs = 10_000): Promise<ProduceAnswer> {
  return client
    .request<{ responses: { partitionResponses: ProduceAnswer[] }[] }>(Produce, 9, {
      acks,
      timeoutMs,
      topicData: [{ name: 'rep', partitionData: [{ index: 0, records }] }],
    })
    .then((r) => r.responses[0]!.partitionResponses[0]!);
}

interface FetchedPartition {
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  divergingEpoch: { epoch: number; endOffset: number };
  records: Buffer;
}

interface FetchArgs {
  replicaId?: number;
  fetchOffset: number;
  currentLeaderEpoch?: number;
  lastFetchedEpoch?: number;
  maxWaitMs?: number;
  version?: number;
}

/** A sessionless fetch of rep-0; the follower's (replica 1) by default. */
async function fetch(a: FetchArgs, c = follower): Promise<FetchedPartition> {
  const replicaId = a.replicaId ?? 1;
  const r = await c.request<{ responses: { partitions: FetchedPartition[] }[] }>(Fetch, a.version ?? 12, {
    replicaId,
    replicaState: { replicaId, replicaEpoch: -1 },
    maxWaitMs: a.maxWaitMs ?? 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 'rep',
        topicId: p.topicId,
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: a.currentLeaderEpoch ?? 1,
            fetchOffset: a.fetchOffset,
            lastFetchedEpoch: a.lastFetchedEpoch ?? -1,
            logStartOffset: 0,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  });
  return r.responses[0]!.partitions[0]!;
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

const rm = () => server.services.replicaManager;

describe('a follower fetch', () => {
  it('reads to the log end while consumers read below the high watermark', async () => {
    expect((await produce(batch(3), 1)).errorCode).toBe(ErrorCode.NONE);
    const follower = await fetch({ fetchOffset: 0 });
    expect(follower.errorCode).toBe(ErrorCode.NONE);
    expect(follower.records.length).toBeGreaterThan(0);
    expect(follower.highWatermark).toBe(0);
    const consumer = await fetch({ replicaId: -1, fetchOffset: 0 });
    expect(consumer.records.length).toBe(0);
    expect(consumer.highWatermark).toBe(0);
    // The follower has the 3 records now: its next fetch moves the high watermark (answered next time).
    expect((await fetch({ fetchOffset: 3 })).highWatermark).toBe(0);
    expect(p.log.highWatermark).toBe(3);
    expect((await fetch({ fetchOffset: 3 })).highWatermark).toBe(3);
    expect((await fetch({ replicaId: -1, fetchOffset: 0 })).records.length).toBeGreaterThan(0);
  });

  it('wakes a consumer fetch waiting for the high watermark', async () => {
    await produce(batch(2), 1);
    const consumer = await RawClient.open(server.boundPorts[0]!);
    try {
      const waiting = fetch({ replicaId: -1, fetchOffset: 0, maxWaitMs: 10_000 }, consumer);
      await until(() => rm().fetchPurgatory.size === 1);
      await fetch({ fetchOffset: 2 });
      const r = await waiting;
      expect(r.highWatermark).toBe(2);
      expect(r.records.length).toBeGreaterThan(0);
    } finally {
      consumer.close();
    }
  });

  it('v15+ names the follower in ReplicaState and the topic by id', async () => {
    await produce(batch(2), 1);
    const r = await fetch({ fetchOffset: 2, version: 15 });
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(p.getReplica(1)!.logEndOffset).toBe(2);
    expect(p.log.highWatermark).toBe(2);
  });

  it('with nothing to return waits until records arrive', async () => {
    const waiting = RawClient.open(server.boundPorts[0]!).then(async (c) => {
      try {
        return await fetch({ fetchOffset: 0, maxWaitMs: 10_000 }, c);
      } finally {
        c.close();
      }
    });
    await until(() => rm().fetchPurgatory.size === 1);
    await produce(batch(1), 1);
    const r = await waiting;
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.records.length).toBeGreaterThan(0);
  });

  it('answers the diverging epoch (v12+) without records, and does not wait', async () => {
    await produce(batch(3), 1); // epoch 1: offsets 0-2
    lead({ leaderEpoch: 3, partitionEpoch: 2 });
    await produce(batch(2), 1); // epoch 3: offsets 3-4
    const r = await fetch({ fetchOffset: 5, currentLeaderEpoch: 3, lastFetchedEpoch: 2, maxWaitMs: 10_000 });
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.divergingEpoch).toMatchObject({ epoch: 1, endOffset: 3 });
    expect(r.records.length).toBe(0);
    expect(p.getReplica(1)!.logEndOffset).toBe(-1); // nothing recorded
    const agreed = await fetch({ fetchOffset: 5, currentLeaderEpoch: 3, lastFetchedEpoch: 3 });
    expect(agreed.divergingEpoch).toMatchObject({ epoch: -1, endOffset: -1 });
    expect(p.getReplica(1)!.logEndOffset).toBe(5);
  });
});

describe('bad follower fetches', () => {
  it('from a broker outside the replica set: NOT_LEADER_OR_FOLLOWER, or UNKNOWN_LEADER_EPOCH with the epoch', async () => {
    expect((await fetch({ replicaId: 5, fetchOffset: 0, currentLeaderEpoch: -1 })).errorCode).toBe(
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
    );
    expect((await fetch({ replicaId: 5, fetchOffset: 0 })).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
  });

  it('with a stale or a future current leader epoch: FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH', async () => {
    lead({ leaderEpoch: 2, partitionEpoch: 2 });
    expect((await fetch({ fetchOffset: 0, currentLeaderEpoch: 1 })).errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect((await fetch({ fetchOffset: 0, currentLeaderEpoch: 3 })).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect(p.getReplica(1)!.logEndOffset).toBe(-1);
  });

  it('beyond the log end: OFFSET_OUT_OF_RANGE, recording nothing', async () => {
    await produce(batch(2), 1);
    const r = await fetch({ fetchOffset: 9 });
    expect(r.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(r.highWatermark).toBe(-1);
    expect(p.getReplica(1)!.logEndOffset).toBe(-1);
    expect(p.log.highWatermark).toBe(0);
  });

  it('with a last fetched epoch this log cannot place: OFFSET_OUT_OF_RANGE', async () => {
    await produce(batch(2), 1);
    expect((await fetch({ fetchOffset: 2, lastFetchedEpoch: 9 })).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('to a broker that no longer leads: NOT_LEADER_OR_FOLLOWER', async () => {
    p.makeFollower({
      controllerEpoch: 1,
      leader: 1,
      leaderEpoch: 2,
      isr: [1],
      partitionEpoch: 2,
      replicas: [0, 1],
      isNew: false,
    });
    expect((await fetch({ fetchOffset: 0, currentLeaderEpoch: 2 })).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });
});

describe('acks=-1 produce', () => {
  it('is answered once the follower has fetched past the records', async () => {
    const answer = produce(batch(3), -1);
    await until(() => rm().producePurgatory.size === 1);
    await fetch({ fetchOffset: 0 });
    expect(rm().producePurgatory.size).toBe(1);
    await fetch({ fetchOffset: 3 });
    expect(await answer).toEqual(expect.objectContaining({ errorCode: ErrorCode.NONE, baseOffset: 0 }));
    expect(rm().producePurgatory.size).toBe(0);
  });

  it('times out with REQUEST_TIMED_OUT (the records stay appended)', async () => {
    const r = await produce(batch(2), -1, 50);
    expect(r).toEqual(expect.objectContaining({ errorCode: ErrorCode.REQUEST_TIMED_OUT, baseOffset: 0 }));
    expect(p.log.logEndOffset).toBe(2);
  });

  it('answers NOT_LEADER_OR_FOLLOWER when leadership moves while it waits', async () => {
    const answer = produce(batch(1), -1);
    await until(() => rm().producePurgatory.size === 1);
    p.makeFollower({
      controllerEpoch: 1,
      leader: 1,
      leaderEpoch: 2,
      isr: [1],
      partitionEpoch: 2,
      replicas: [0, 1],
      isNew: false,
    });
    expect((await answer).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('answers NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR fell below min.insync.replicas meanwhile', async () => {
    client.close();
    follower.close();
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
    await start({ 'min.insync.replicas': '2' });
    const answer = produce(batch(1), -1);
    await until(() => rm().producePurgatory.size === 1);
    // The controller removed the follower (in ZooKeeper mode with a leader epoch bump).
    lead({ leaderEpoch: 2, isr: [0], partitionEpoch: 2 });
    expect((await answer).errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    // And with the ISR below it, the next acks=-1 produce is refused before the append.
    expect((await produce(batch(1), -1)).errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect(p.log.logEndOffset).toBe(1);
  });

  it('on a standalone partition (ISR = this broker) is answered at append, never parked', async () => {
    const [r] = await server.services.metadata.createTopics([
      { name: 'solo', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
    ]);
    expect(r!.errorCode).toBe(0);
    const parks = rm().producePurgatory.size;
    const answer = await client.request<{ responses: { partitionResponses: ProduceAnswer[] }[] }>(Produce, 9, {
      acks: -1,
      timeoutMs: 0,
      topicData: [{ name: 'solo', partitionData: [{ index: 0, records: batch(2) }] }],
    });
    expect(answer.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(rm().producePurgatory.size).toBe(parks);
  });
});

describe('ListOffsets on a new leader whose high watermark lags its epoch start (KIP-207)', () => {
  async function listOffsets(version: number, timestamp: number, replicaId = -1) {
    const r = await client.request<{ topics: { partitions: { errorCode: number; offset: number }[] }[] }>(
      ListOffsets,
      version,
      {
        replicaId,
        isolationLevel: 0,
        topics: [{ name: 'rep', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
        timeoutMs: 1000,
      },
    );
    return r.topics[0]!.partitions[0]!;
  }

  it('answers OFFSET_NOT_AVAILABLE (LEADER_NOT_AVAILABLE below v5) until the followers catch up', async () => {
    await produce(batch(3), 1); // high watermark 0: the follower has not fetched
    lead({ leaderEpoch: 2, partitionEpoch: 2 });
    expect(p.leaderEpochStartOffset).toBe(3);
    expect(p.highWatermarkLagsEpochStart).toBe(true);
    expect((await listOffsets(5, -1)).errorCode).toBe(ErrorCode.OFFSET_NOT_AVAILABLE);
    expect((await listOffsets(1, -1)).errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    expect((await listOffsets(5, 1_700_000_000_001)).errorCode).toBe(ErrorCode.OFFSET_NOT_AVAILABLE);
    expect(await listOffsets(5, -2)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 0 });
    expect(await listOffsets(5, -1, 1)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 3 });
    await fetch({ fetchOffset: 3, currentLeaderEpoch: 2 });
    expect(p.highWatermarkLagsEpochStart).toBe(false);
    expect(await listOffsets(5, -1)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 3 });
    expect(await listOffsets(5, 1_700_000_000_001)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 1 });
  });
});
