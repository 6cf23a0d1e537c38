import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import { DescribeProducers } from '../../protocol/messages/61-describe-producers.js';
import { ListOffsets } from '../../protocol/messages/02-list-offsets.js';
import { Metadata } from '../../protocol/messages/03-metadata.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { RawClient } from '../testing/raw-client.js';

// Idempotent producing against a whole standalone broker in this process, over real sockets and files.
let dir: string;
let server: KafkaServer;
let client: RawClient;
let stale: KafkaServer | null = null;

async function start(extra = ''): Promise<void> {
  const config = BrokerConfig.parse(`broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n${extra}`);
  server = await KafkaServer.start(config, new Logger('test'));
  client = await RawClient.open(server.boundPorts[0]!);
}

async function restart(): Promise<void> {
  client.close();
  await server.shutdown();
  await start();
}

/** Stops serving without any of the shutdown's flushing, checkpoints or snapshots, then starts anew. */
async function restartUnclean(): Promise<void> {
  client.close();
  const internals = server as unknown as { socketServer: { stop(): Promise<void> } };
  await internals.socketServer.stop();
  server.services.replicaManager.shutdown();
  stale = server;
  await start();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsa-idempotence-'));
  await start();
});

afterEach(async () => {
  client.close();
  await server.shutdown();
  if (stale !== null) await stale.services.metadata.close();
  stale = null;
  rmSync(dir, { recursive: true, force: true });
});

interface InitResponse {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}
interface PartitionResponse {
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
  errorMessage: string | null;
}
interface ProduceResponse {
  responses: { partitionResponses: PartitionResponse[] }[];
}
interface DescribeResponse {
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      errorCode: number;
      errorMessage: string | null;
      activeProducers: {
        producerId: number;
        producerEpoch: number;
        lastSequence: number;
        lastTimestamp: number;
        coordinatorEpoch: number;
        currentTxnStartOffset: number;
      }[];
    }[];
  }[];
}

function initProducerId(version = 4, body: Record<string, unknown> = {}): Promise<InitResponse> {
  return client.request<InitResponse>(InitProducerId, version, {
    transactionalId: null,
    transactionTimeoutMs: 60_000,
    producerId: -1,
    producerEpoch: -1,
    ...body,
  });
}

async function ensureTopic(topic: string): Promise<void> {
  await client.request(Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: true });
}

/** Recent timestamps: producers idle for producer.id.expiration.ms (by their batches' timestamps) expire at load. */
const T0 = Date.now() - 60_000;

function idempotentBatch(producerId: number, epoch: number, seq: number, count: number, transactional = false) {
  return buildRecordBatch(
    Array.from({ length: count }, (_, i) => ({
      timestamp: T0 + seq + i,
      key: null,
      value: Buffer.from(`s${seq + i}`),
    })),
    { producerId, producerEpoch: epoch, baseSequence: seq, isTransactional: transactional },
  );
}

async function produce(records: Buffer, topic = 'idem'): Promise<PartitionResponse> {
  const res = await client.request<ProduceResponse>(Produce, 9, {
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  });
  return res.responses[0]!.partitionResponses[0]!;
}

async function logEndOffset(topic = 'idem'): Promise<number> {
  const res = await client.request<{ topics: { partitions: { offset: number }[] }[] }>(ListOffsets, 1, {
    replicaId: -1,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }],
  });
  return res.topics[0]!.partitions[0]!.offset;
}

function describeProducers(topics: { name: string; partitionIndexes: number[] }[]): Promise<DescribeResponse> {
  return client.request<DescribeResponse>(DescribeProducers, 0, { topics });
}

describe('InitProducerId', () => {
  it('is advertised at v0-5, with DescribeProducers v0', async () => {
    const res = await client.request<{ apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[] }>(
      ApiVersions,
      3,
      { clientSoftwareName: 'test', clientSoftwareVersion: '1' },
    );
    expect(res.apiKeys.find((k) => k.apiKey === 22)).toMatchObject({ apiKey: 22, minVersion: 0, maxVersion: 5 });
    expect(res.apiKeys.find((k) => k.apiKey === 61)).toMatchObject({ apiKey: 61, minVersion: 0, maxVersion: 0 });
  });

  it('gives an idempotent producer a fresh id with epoch 0 at every version', async () => {
    const ids = new Set<number>();
    for (let v = 0; v <= 5; v++) {
      const res = await initProducerId(v);
      expect(res).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
      ids.add(res.producerId);
    }
    expect(ids.size).toBe(6);
  });

  it('answers a KIP-360 re-initialisation of an idempotent producer with a new id, as Kafka does', async () => {
    const first = await initProducerId(4);
    const again = await initProducerId(4, { producerId: first.producerId, producerEpoch: 0 });
    expect(again.errorCode).toBe(ErrorCode.NONE);
    expect(again.producerId).not.toBe(first.producerId);
    expect(again.producerEpoch).toBe(0);
  });

  it('refuses an id without an epoch (and the reverse), and an empty transactional id, with INVALID_REQUEST', async () => {
    const bad = { errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 };
    expect(await initProducerId(3, { producerId: 5, producerEpoch: -1 })).toMatchObject(bad);
    expect(await initProducerId(3, { producerId: -1, producerEpoch: 2 })).toMatchObject(bad);
    expect(await initProducerId(4, { transactionalId: '' })).toMatchObject(bad);
  });

  it('refuses a transactional id with UNSUPPORTED_VERSION: transactions are not implemented', async () => {
    expect(await initProducerId(0, { transactionalId: 'tx-1' })).toMatchObject({
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      producerId: -1,
      producerEpoch: -1,
    });
  });

  it('never hands out an id twice across restarts, clean or not', async () => {
    const a = await initProducerId();
    await restart();
    const b = await initProducerId();
    expect(b.producerId).toBeGreaterThan(a.producerId);
    await restartUnclean();
    const c = await initProducerId();
    expect(c.producerId).toBeGreaterThan(b.producerId);
    expect(readdirSync(dir)).toContain('latest_producer_id_block');
  });
});

describe('idempotent produce', () => {
  let pid: number;
  beforeEach(async () => {
    await ensureTopic('idem');
    pid = (await initProducerId()).producerId;
  });

  it('appends in sequence and answers a retried batch with its original offset, without appending it again', async () => {
    expect(await produce(idempotentBatch(pid, 0, 0, 3))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(idempotentBatch(pid, 0, 3, 2))).toMatchObject({ errorCode: 0, baseOffset: 3 });
    const dup = await produce(idempotentBatch(pid, 0, 0, 3));
    expect(dup).toMatchObject({
      index: 0,
      errorCode: ErrorCode.NONE,
      baseOffset: 0,
      logAppendTimeMs: T0 + 2,
      logStartOffset: 0,
      recordErrors: [],
      errorMessage: null,
    });
    expect(await logEndOffset()).toBe(5);
  });

  it('refuses a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and the log start offset', async () => {
    await produce(idempotentBatch(pid, 0, 0, 2));
    const gap = await produce(idempotentBatch(pid, 0, 5, 1));
    expect(gap).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      baseOffset: -1,
      logStartOffset: 0,
      errorMessage: null,
    });
    expect(await logEndOffset()).toBe(2);
  });

  it('accepts a bumped epoch from sequence 0 and then fences the old epoch', async () => {
    await produce(idempotentBatch(pid, 0, 0, 2));
    expect(await produce(idempotentBatch(pid, 1, 3, 1))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(await produce(idempotentBatch(pid, 1, 0, 1))).toMatchObject({ errorCode: 0, baseOffset: 2 });
    expect(await produce(idempotentBatch(pid, 0, 2, 1))).toMatchObject({
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
      logStartOffset: 0,
    });
    expect(await logEndOffset()).toBe(3);
  });

  it('accepts an unknown producer id at any sequence, and refuses transactional batches', async () => {
    expect(await produce(idempotentBatch(pid + 100, 0, 17, 1))).toMatchObject({ errorCode: 0 });
    expect(await produce(idempotentBatch(pid, 0, 0, 1, true))).toMatchObject({
      errorCode: ErrorCode.INVALID_TXN_STATE,
    });
  });

  it('keeps producer state across a clean restart (from the snapshot)', async () => {
    await produce(idempotentBatch(pid, 0, 0, 3));
    await restart();
    expect(readdirSync(join(dir, 'idem-0'))).toContain('00000000000000000003.snapshot');
    expect(await produce(idempotentBatch(pid, 0, 0, 3))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(idempotentBatch(pid, 0, 4, 1))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(await produce(idempotentBatch(pid, 0, 3, 1))).toMatchObject({ errorCode: 0, baseOffset: 3 });
  });

  it('keeps producer state across an unclean stop (rebuilt from the log)', async () => {
    await produce(idempotentBatch(pid, 0, 0, 3));
    await produce(idempotentBatch(pid, 0, 3, 2));
    await restartUnclean();
    expect(await produce(idempotentBatch(pid, 0, 0, 3))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(idempotentBatch(pid, 0, 3, 2))).toMatchObject({ errorCode: 0, baseOffset: 3 });
    expect(await produce(idempotentBatch(pid, 0, 6, 1))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(await produce(idempotentBatch(pid, 0, 5, 1))).toMatchObject({ errorCode: 0, baseOffset: 5 });
    expect(await logEndOffset()).toBe(6);
  });
});

describe('DescribeProducers', () => {
  it('lists the active producers of a partition', async () => {
    await ensureTopic('idem');
    const a = (await initProducerId()).producerId;
    const b = (await initProducerId()).producerId;
    await produce(idempotentBatch(a, 0, 0, 3));
    await produce(idempotentBatch(b, 0, 0, 1));
    await produce(idempotentBatch(a, 0, 3, 1));
    const res = await describeProducers([{ name: 'idem', partitionIndexes: [0] }]);
    expect(res.topics).toMatchObject([
      {
        name: 'idem',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            errorMessage: null,
            activeProducers: [
              {
                producerId: a,
                producerEpoch: 0,
                lastSequence: 3,
                lastTimestamp: T0 + 3,
                coordinatorEpoch: -1,
                currentTxnStartOffset: -1,
              },
              {
                producerId: b,
                producerEpoch: 0,
                lastSequence: 0,
                lastTimestamp: T0,
                coordinatorEpoch: -1,
                currentTxnStartOffset: -1,
              },
            ],
          },
        ],
      },
    ]);
  });

  it('answers unknown topics and partitions and illegal names per partition, as Kafka does', async () => {
    await ensureTopic('idem');
    const res = await describeProducers([
      { name: 'idem', partitionIndexes: [0, 7] },
      { name: 'nope', partitionIndexes: [0, 1] },
      { name: 'bad/name', partitionIndexes: [0] },
    ]);
    const summary = res.topics.map((t) => t.partitions.map((p) => [p.partitionIndex, p.errorCode, p.errorMessage]));
    expect(summary).toEqual([
      [
        [0, 0, null],
        [7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null],
      ],
      [
        [0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null],
        [1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null],
      ],
      [
        [
          0,
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          "Topic name is invalid: 'bad/name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
        ],
      ],
    ]);
    expect(res.topics[0]!.partitions[0]!.activeProducers).toEqual([]);
    expect((await describeProducers([])).topics).toEqual([]);
  });
});
