import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fetch } from '../protocol/messages/01-fetch.js';
import { ListOffsets } from '../protocol/messages/02-list-offsets.js';
import { Metadata } from '../protocol/messages/03-metadata.js';
import { Produce } from '../protocol/messages/00-produce.js';
import { readRecordBatches, readRecords } from '../protocol/records/index.js';
import { buildRecordBatch } from '../protocol/records/record-batch-builder.js';
import { BrokerConfig } from './config/broker-config.js';
import { KafkaServer } from './kafka-server.js';
import { Logger } from './logger.js';
import { RawClient } from './testing/raw-client.js';

// A whole standalone broker in this process, over real sockets and real files.
let dir: string;
let server: KafkaServer;
let client: RawClient;

async function start(): Promise<void> {
  const config = BrokerConfig.parse(`broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n`);
  server = await KafkaServer.start(config, new Logger('test'));
  client = await RawClient.open(server.boundPorts[0]!);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsa-broker-'));
  await start();
});

afterEach(async () => {
  client.close();
  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (n: number) =>
  buildRecordBatch(
    Array.from({ length: n }, (_, i) => ({
      timestamp: 1_700_000_000_000 + i,
      key: Buffer.from(`k${i}`),
      value: Buffer.from(`v${i}`),
    })),
  );

interface ProduceResponse {
  responses: { partitionResponses: { errorCode: number; baseOffset: number }[] }[];
}
interface FetchResponse {
  responses: { partitions: { errorCode: number; highWatermark: number; records: Buffer }[] }[];
}

/** Metadata with auto-creation, as a client does before producing. */
async function ensureTopic(topic: string): Promise<void> {
  await client.request(Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: true });
}

function produce(topic: string, records: Buffer, version = 9): Promise<ProduceResponse> {
  return client.request<ProduceResponse>(Produce, version, {
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  });
}

function fetch(topic: string, offset: number, maxWaitMs = 0, minBytes = 1): Promise<FetchResponse> {
  return client.request<FetchResponse>(Fetch, 11, {
    maxWaitMs,
    minBytes,
    maxBytes: 1 << 20,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
  });
}

describe('standalone broker', () => {
  it('auto-creates a topic, appends, and serves what it appended', async () => {
    const md = await client.request<{ topics: { errorCode: number; partitions: unknown[] }[] }>(Metadata, 9, {
      topics: [{ name: 'orders' }],
      allowAutoTopicCreation: true,
    });
    expect(md.topics[0]!.errorCode).toBe(0);
    const first = await produce('orders', batch(3));
    expect(first.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    const second = await produce('orders', batch(2));
    expect(second.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 3 });

    const res = await fetch('orders', 0);
    const p = res.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    expect(p.highWatermark).toBe(5);
    const offsets = readRecordBatches(p.records).batches.flatMap((b) => [...readRecords(b)].map((r) => r.offset));
    expect(offsets).toEqual([0, 1, 2, 3, 4]);

    const lo = await client.request<{ topics: { partitions: { offset: number }[] }[] }>(ListOffsets, 7, {
      replicaId: -1,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, timestamp: -1 },
            { partitionIndex: 0, timestamp: -2 },
          ],
        },
      ],
    });
    expect(lo.topics[0]!.partitions.map((x) => x.offset)).toEqual([5, 0]);
  });

  it('holds a fetch until data arrives (long poll)', async () => {
    await ensureTopic('waits');
    await produce('waits', batch(1));
    const other = await RawClient.open(server.boundPorts[0]!);
    const pending = fetch('waits', 1, 5_000, 1);
    await new Promise((r) => setTimeout(r, 50));
    const produced = await other.request<ProduceResponse>(Produce, 9, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'waits', partitionData: [{ index: 0, records: batch(2) }] }],
    });
    expect(produced.responses[0]!.partitionResponses[0]!.baseOffset).toBe(1);
    const res = await pending;
    expect(res.responses[0]!.partitions[0]!.records.length).toBeGreaterThan(0);
    other.close();
  });

  it('answers unknown partitions and out-of-range offsets with Kafka error codes', async () => {
    await ensureTopic('known');
    await produce('known', batch(1));
    const res = await fetch('known', 99);
    expect(res.responses[0]!.partitions[0]!.errorCode).toBe(1); // OFFSET_OUT_OF_RANGE
    const missing = await client.request<ProduceResponse>(Produce, 9, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'known', partitionData: [{ index: 7, records: batch(1) }] }],
    });
    expect(missing.responses[0]!.partitionResponses[0]!.errorCode).toBe(3); // UNKNOWN_TOPIC_OR_PARTITION
  });

  it('keeps acknowledged records across a clean restart', async () => {
    await ensureTopic('durable');
    await produce('durable', batch(4));
    client.close();
    await server.shutdown();
    await start();
    const res = await fetch('durable', 0);
    expect(res.responses[0]!.partitions[0]!.highWatermark).toBe(4);
  });
});
