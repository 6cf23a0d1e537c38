import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchDataInfo } from '../log/fetch-data-info.js';
import type { SegmentFile } from '../log/segment-file.js';
import { decodeResponse } from '../protocol/frame.js';
import { Fetch } from '../protocol/messages/01-fetch.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import { FileRecords } from './fetch/file-records.js';
import type { ZeroCopyMode } from './fetch/sendfile.js';
import { defineHandler } from './handler.js';
import { Logger } from './logger.js';
import { Router } from './router.js';
import { SocketServer } from './server.js';
import { RawClient } from './testing/raw-client.js';

// A Connection writing responses whose records are file regions (three per response, 4 MiB each),
// on both paths: in order and byte-exact, and every region's file reference released exactly once,
// also when the client goes away in the middle of a response.
let dir: string;
let fd: number;
let content: Buffer;
let server: SocketServer | null = null;
let releases: number[] = [];
const REGION = 4 * 1024 * 1024;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samsa-connection-records-'));
  content = randomBytes(3 * REGION);
  writeFileSync(join(dir, 'segment.log'), content);
  fd = openSync(join(dir, 'segment.log'), 'r');
});

afterAll(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.stop();
  server = null;
  releases = [];
});

function region(i: number): FileRecords {
  const n = releases.push(0) - 1;
  const file = { release: () => void releases[n]!++ } as unknown as SegmentFile;
  return new FileRecords(new FetchDataInfo({ fd, position: i * REGION, length: REGION }, 0, file));
}

async function start(zeroCopy: ZeroCopyMode): Promise<number> {
  const router = new Router();
  router.register(
    defineHandler(Fetch, '12', () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [0, 1, 2].map((p) => ({
            partitionIndex: p,
            errorCode: 0,
            highWatermark: 1,
            lastStableOffset: 1,
            logStartOffset: 0,
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: region(p),
          })),
        },
      ],
    })),
  );
  server = new SocketServer(
    router,
    {
      listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }],
      limits: { maxRequestSize: 1 << 20, idleMs: 60_000, maxInFlight: 8, maxQueuedBytes: 1 << 20, zeroCopy },
      maxConnections: 10,
      maxConnectionsPerIp: 10,
    },
    new Logger('test'),
  );
  return ((await server.start()) as [number])[0];
}

const request = {
  replicaId: -1,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1 << 30,
  isolationLevel: 0,
  sessionId: 0,
  sessionEpoch: -1,
  topics: [],
  forgottenTopicsData: [],
  rackId: '',
};

describe.each(['sendfile', 'read'] as const)('spliced responses over the %s path', (mode) => {
  it('writes pipelined responses in order, byte-exact, releasing each region once', async () => {
    const client = await RawClient.open(await start(mode));
    const ids = [1, 2, 3].map(() => client.send(Fetch, 12, request));
    for (const id of ids) {
      const frame = await client.nextFrame();
      const { header, body } = decodeResponse(Fetch, 12, frame!);
      expect(header.correlationId).toBe(id);
      const parts = (body as { responses: { partitions: { records: Buffer }[] }[] }).responses[0]!.partitions;
      expect(Buffer.concat(parts.map((p) => p.records)).equals(content)).toBe(true);
    }
    expect(releases).toEqual(new Array(9).fill(1));
    client.close();
  });

  it('releases every region once when the client closes mid-response', async () => {
    const client = await RawClient.open(await start(mode));
    client.socket.pause();
    for (let i = 0; i < 3; i++) client.send(Fetch, 12, request);
    await new Promise((r) => setTimeout(r, 100));
    client.close();
    for (let i = 0; i < 100 && releases.some((n) => n === 0); i++) await new Promise((r) => setTimeout(r, 10));
    expect(releases.length).toBe(9);
    expect(releases).toEqual(new Array(9).fill(1));
  });
});
