import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeResponse } from '../../protocol/frame.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { BrokerConfig } from '../config/broker-config.js';
import { ConfigError } from '../config/config-error.js';
import { TestBroker } from '../testing/admin-broker.js';
import { RawClient } from '../testing/raw-client.js';
import { zeroCopyStats } from './file-records.js';

// samsa.fetch.zero.copy end to end: an in-process broker per mode, Fetch over a real socket. Both
// modes answer byte-identical responses; sendfile moves the records with sendfile(2), read through
// memory. The sendfile addon is built first if this checkout has not built it.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let brokers: TestBroker[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/native/sendfile.node'))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-native.mjs'), '--strict'], { stdio: 'ignore' });
  }
});

afterEach(async () => {
  for (const b of brokers) await b.stop();
  brokers = [];
});

interface FetchResponse {
  errorCode: number;
  responses: { topic: string; partitions: { partitionIndex: number; errorCode: number; records: Buffer }[] }[];
}

/** Three partitions with 40 batches of 100 records of 1 KiB each: ~4 MiB a partition. */
async function loaded(mode: string): Promise<TestBroker> {
  const b = await TestBroker.start(`samsa.fetch.zero.copy=${mode}\n`);
  brokers.push(b);
  await b.createTopic('t', 3);
  for (let i = 0; i < 40; i++) {
    for (let p = 0; p < 3; p++) {
      const records = buildRecordBatch(
        Array.from({ length: 100 }, (_, j) => ({
          timestamp: 1_700_000_000_000 + i * 100 + j,
          key: null,
          value: Buffer.alloc(1024, (i + j + p) % 251),
        })),
      );
      const r = await b.client.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 1000,
        topicData: [{ name: 't', partitionData: [{ index: p, records }] }],
      });
      expect(r.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    }
  }
  return b;
}

function fetchBody(offsets: readonly number[], partitionMaxBytes: number) {
  return {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 50 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 't',
        topicId: ZERO_UUID,
        partitions: offsets.map((fetchOffset, partition) => ({
          partition,
          fetchOffset,
          partitionMaxBytes,
          currentLeaderEpoch: -1,
          logStartOffset: -1,
          lastFetchedEpoch: -1,
        })),
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
}

const fetchAll = (b: TestBroker, offsets: readonly number[], partitionMaxBytes: number) =>
  b.client.request<FetchResponse>(Fetch, 12, fetchBody(offsets, partitionMaxBytes));

/** Records of every partition of a response, joined: compared with equals(), not a deep diff. */
const recordsOf = (r: FetchResponse) => Buffer.concat(r.responses.flatMap((t) => t.partitions.map((p) => p.records)));
const withoutRecords = (r: FetchResponse) =>
  r.responses.map((t) => t.partitions.map((p) => ({ ...p, records: p.records.length })));

describe('samsa.fetch.zero.copy', () => {
  it('answers byte-identical fetches by sendfile and by read, and each path carries the records', async () => {
    const viaFile = await loaded('sendfile');
    const viaRead = await loaded('read');
    for (const [offsets, max] of [
      [[0, 0, 0], 1 << 20],
      [[1234, 0, 3999], 3 << 20],
      [[0, 2000, 100], 16 << 20],
    ] as const) {
      const before = { ...zeroCopyStats };
      const a = await fetchAll(viaFile, offsets, max);
      const mid = { ...zeroCopyStats };
      const b = await fetchAll(viaRead, offsets, max);
      const bytes = a.responses[0]!.partitions.reduce((n, p) => n + p.records.length, 0);
      expect(bytes).toBeGreaterThan(1 << 20);
      expect(withoutRecords(a)).toEqual(withoutRecords(b));
      expect(recordsOf(a).equals(recordsOf(b))).toBe(true);
      expect(mid.sentByFile + mid.bridged - before.sentByFile - before.bridged).toBe(bytes);
      expect(mid.read).toBe(before.read);
      expect(zeroCopyStats.read - mid.read).toBe(bytes);
    }
  });

  it('answers many pipelined fetches in order on one connection by sendfile', async () => {
    const b = await loaded('auto');
    const reference = await loaded('read');
    const offsets = (i: number) => [i * 150, 0, 3000];
    const ids = Array.from({ length: 20 }, (_, i) => b.client.send(Fetch, 12, fetchBody(offsets(i), 2 << 20)));
    for (let i = 0; i < ids.length; i++) {
      const frame = await b.client.nextFrame();
      const { header, body } = decodeResponse(Fetch, 12, frame!);
      expect(header.correlationId).toBe(ids[i]);
      const expected = await fetchAll(reference, offsets(i), 2 << 20);
      expect(withoutRecords(body as FetchResponse)).toEqual(withoutRecords(expected));
      expect(recordsOf(body as FetchResponse).equals(recordsOf(expected))).toBe(true);
    }
  });

  it('rejects a value other than auto, sendfile or read', () => {
    expect(() => BrokerConfig.parse('broker.id=0\nsamsa.fetch.zero.copy=splice\n')).toThrow(ConfigError);
  });
});

describe('a client that closes mid-response', () => {
  it.each(['sendfile', 'read'])('leaves the broker serving others (%s)', async (mode) => {
    const b = await loaded(mode);
    const quitter = await RawClient.open(b.server.boundPorts[0]!);
    quitter.socket.pause();
    quitter.send(Fetch, 12, fetchBody([0, 0, 0], 16 << 20));
    await new Promise((r) => setTimeout(r, 50));
    quitter.close();
    await new Promise((r) => setTimeout(r, 50));
    const r = await fetchAll(b, [0, 0, 0], 1 << 20);
    expect(r.responses[0]!.partitions.map((p) => p.errorCode)).toEqual([0, 0, 0]);
    expect(recordsOf(r).length).toBeGreaterThan(2 << 20);
  });
});
