import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions } from '../protocol/messages/18-api-versions.js';
import { Fetch } from '../protocol/messages/01-fetch.js';
import { Metadata } from '../protocol/messages/03-metadata.js';
import { Produce } from '../protocol/messages/00-produce.js';
import { readRecordBatches, readRecords } from '../protocol/records/index.js';
import { buildRecordBatch } from '../protocol/records/record-batch-builder.js';
import { BrokerProcess } from './testing/broker-process.js';
import { RawClient } from './testing/raw-client.js';

/**
 * Bad input against a broker running as its own process (`samsa server-start`, from the sources):
 * random bytes, truncated frames, 2 GiB and negative length prefixes, valid headers with garbage
 * bodies, unknown api keys and versions, and connections that idle past connections.max.idle.ms,
 * while a well-behaved producer and consumer keep working. Afterwards every acknowledged record is
 * there, the broker is alive and exits cleanly, and its RSS is back near its idle level.
 *
 * The memory bound: RSS after the attack may exceed the idle RSS (measured after the good clients
 * warmed up) by at most 64 MiB. The attack sends about 30 MiB of garbage and declares frames of up to
 * 2 GiB; a broker that buffered declared sizes, kept closed connections, or leaked per-connection
 * state would exceed that by far. It cannot be tighter because V8 does not give heap pages back to the
 * OS at once and glibc keeps freed buffers in its arenas; nothing forces a GC in the child.
 */
const IDLE_MS = 1500;
const MEMORY_SLACK = 64 * 1024 * 1024;

let broker: BrokerProcess;

beforeAll(async () => {
  broker = await BrokerProcess.start({
    properties: `connections.max.idle.ms=${IDLE_MS}\nsocket.request.max.bytes=10485760\n`,
  });
});

afterAll(async () => {
  if (broker.alive) await broker.stop();
});

/** Opens a socket, lets `act` abuse it, and resolves when either side has closed it. */
function abuse(act: (s: Socket) => void): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ port: broker.port, host: '127.0.0.1' }, () => act(s));
    s.on('error', () => undefined);
    s.on('data', () => undefined);
    s.once('close', () => resolve());
  });
}

const prefix = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** A request header (v1, or v2 with an empty tagged-field section) followed by `body`. */
function frame(apiKey: number, version: number, body: Buffer, flexible = false): Buffer {
  const clientId = Buffer.from('bad-input');
  const header = Buffer.alloc(10 + clientId.length + (flexible ? 1 : 0));
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(77, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  const payload = Buffer.concat([header, body]);
  return Buffer.concat([prefix(payload.length), payload]);
}

/** Every kind of bad input, many times over; resolves when every abused connection has closed. */
function attack(): Promise<void>[] {
  const runs: Promise<void>[] = [];
  for (let i = 0; i < 150; i++) {
    // Random bytes: a random size prefix is usually too large or negative; the rest is garbage or a
    // frame that never completes and idles out.
    runs.push(abuse((s) => s.write(randomBytes(1 + ((i * 7919) % 65536)))));
  }
  for (const size of [0x7fffffff, 0x80000000, 0xffffffff, 0x7ffffffe, 10485761]) {
    runs.push(abuse((s) => s.write(prefix(size))));
    runs.push(abuse((s) => s.write(Buffer.concat([prefix(size), randomBytes(100_000)]))));
  }
  for (let i = 0; i < 30; i++) {
    // Truncated frames: half the declared bytes, then a half-close, a reset, or silence.
    const declared = 1000 + i * 1000;
    const bytes = Buffer.concat([prefix(declared), randomBytes(declared / 2)]);
    runs.push(abuse((s) => s.end(bytes)));
    runs.push(abuse((s) => s.write(bytes, () => s.destroy())));
    runs.push(abuse((s) => s.write(bytes)));
    runs.push(abuse((s) => s.write(prefix(declared).subarray(0, 1 + (i % 3)))));
  }
  for (let i = 0; i < 20; i++) {
    // Valid headers, garbage bodies: Produce v9 and Fetch v12 (flexible), Metadata v1, ListOffsets v1.
    runs.push(abuse((s) => s.write(frame(0, 9, randomBytes(50 + i * 100), true))));
    runs.push(abuse((s) => s.write(frame(1, 12, randomBytes(50 + i * 100), true))));
    runs.push(abuse((s) => s.write(frame(3, 1, randomBytes(50 + i * 100)))));
    runs.push(abuse((s) => s.write(frame(2, 1, randomBytes(i)))));
    // Unknown api keys and versions.
    runs.push(abuse((s) => s.write(frame(1000 + i, 0, Buffer.alloc(0)))));
    runs.push(abuse((s) => s.write(frame(-1 - i, 0, Buffer.alloc(0)))));
    runs.push(abuse((s) => s.write(frame(1, 100 + i, Buffer.alloc(20)))));
    runs.push(abuse((s) => s.write(frame(3, 32767, Buffer.alloc(20)))));
  }
  for (let i = 0; i < 20; i++) runs.push(abuse(() => undefined)); // idle until the broker closes it
  return runs;
}

describe('bad input against a broker process', () => {
  it('keeps serving a producer and a consumer, loses no acknowledged record, and gives memory back', async () => {
    const producer = await RawClient.open(broker.port);
    const consumer = await RawClient.open(broker.port);
    await producer.request(Metadata, 9, { topics: [{ name: 'good' }], allowAutoTopicCreation: true });

    const acknowledged = new Map<number, string>(); // offset → value
    let sequence = 0;
    const produceOne = async () => {
      const values = Array.from({ length: 20 }, () => `record-${sequence++}`);
      const records = buildRecordBatch(
        values.map((v, i) => ({ timestamp: Date.now(), key: Buffer.from(String(i)), value: Buffer.from(v) })),
      );
      const r = await producer.request<{
        responses: { partitionResponses: { errorCode: number; baseOffset: number }[] }[];
      }>(Produce, 9, {
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: 'good', partitionData: [{ index: 0, records }] }],
      });
      const p = r.responses[0]!.partitionResponses[0]!;
      expect(p.errorCode).toBe(0);
      values.forEach((v, i) => acknowledged.set(p.baseOffset + i, v));
    };
    const consumed = new Map<number, string>();
    let next = 0;
    const consumeSome = async () => {
      const r = await consumer.request<{ responses: { partitions: { errorCode: number; records: Buffer }[] }[] }>(
        Fetch,
        12,
        {
          replicaId: -1,
          maxWaitMs: 50,
          minBytes: 1,
          maxBytes: 1 << 20,
          isolationLevel: 1,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [{ topic: 'good', partitions: [{ partition: 0, fetchOffset: next, partitionMaxBytes: 1 << 20 }] }],
          forgottenTopicsData: [],
          rackId: '',
        },
      );
      const p = r.responses[0]!.partitions[0]!;
      expect(p.errorCode).toBe(0);
      for (const b of readRecordBatches(p.records).batches) {
        for (const rec of readRecords(b)) if (rec.offset >= next) consumed.set(rec.offset, rec.value!.toString());
        next = Math.max(next, b.nextOffset);
      }
    };

    for (let i = 0; i < 30; i++) {
      await produceOne();
      await consumeSome();
    }
    const idle = broker.rssBytes();

    let attacking = true;
    let peak = idle;
    const good = (async () => {
      while (attacking) {
        await produceOne();
        await consumeSome();
        peak = Math.max(peak, broker.rssBytes());
      }
    })();
    // A fresh connection is still served in the middle of it all.
    const probe = await RawClient.open(broker.port);
    const runs = attack();
    const av = await probe.request<{ errorCode: number }>(ApiVersions, 0, {}).catch(() => null);
    expect(av?.errorCode).toBe(0);
    probe.close();
    await Promise.all(runs);
    attacking = false;
    await good;

    while (next < sequence) await consumeSome();
    for (const [offset, value] of acknowledged) expect(consumed.get(offset), `offset ${offset}`).toBe(value);
    expect(consumed.size).toBe(acknowledged.size);

    producer.close();
    consumer.close();
    const after = broker.rssBytes();
    console.log(
      `bad-input RSS: idle ${mb(idle)} MiB, peak ${mb(peak)} MiB, after ${mb(after)} MiB; ` +
        `${acknowledged.size} records acknowledged and read back`,
    );
    expect(after).toBeLessThan(idle + MEMORY_SLACK);
    expect(broker.alive).toBe(true);
    expect(await broker.stop()).toBe(0);
  });
});

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
