import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchDataInfo } from '../../log/fetch-data-info.js';
import type { SegmentFile } from '../../log/segment-file.js';
import { FileRecords, zeroCopyStats } from './file-records.js';
import { loadSendFile, sendFileFor, sendFileUnavailableReason, type SendFile } from './sendfile.js';

// The two ways a fetched file region reaches a socket, over real loopback sockets: byte-exact at
// every size, across many partial sends to a slow reader, with the peer closing mid-send, and with
// several sends at once. The sendfile addon is built first if this checkout has not built it.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let sendFile: SendFile;
let dir: string;
let fd: number;
let content: Buffer;
let server: Server;
const accepted: Socket[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/native/sendfile.node'))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-native.mjs'), '--strict'], { stdio: 'ignore' });
  }
  const loaded = loadSendFile();
  if (loaded === null) throw new Error(`the sendfile addon did not load: ${sendFileUnavailableReason()}`);
  sendFile = loaded;
  dir = mkdtempSync(join(tmpdir(), 'samsa-file-records-'));
  content = randomBytes(24 * 1024 * 1024 + 333);
  writeFileSync(join(dir, 'segment.log'), content);
  fd = openSync(join(dir, 'segment.log'), 'r');
  server = createServer((s) => {
    s.on('error', () => undefined); // resets from readers the tests close are expected
    accepted.push(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((r) => server.close(r));
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** A connected pair: `broker` is the server side written to, `client` the reading side. */
async function pair(): Promise<{ broker: Socket; client: Socket }> {
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  client.on('error', () => undefined);
  await new Promise<void>((r) => client.once('connect', r));
  let broker: Socket | undefined;
  while ((broker = accepted.find((s) => s.remotePort === client.localPort)) === undefined) {
    await new Promise((r) => setTimeout(r, 1));
  }
  return { broker, client };
}

/** FileRecords over [position, position + length) of the test file, counting releases. */
function records(position: number, length: number): { records: FileRecords; releases: () => number } {
  let releases = 0;
  const file = { release: () => void releases++ } as unknown as SegmentFile;
  const info = new FetchDataInfo({ fd, position, length }, 0, file);
  return { records: new FileRecords(info), releases: () => releases };
}

/** Reads from `client` until `n` bytes came or it closed; `slow` reads in 64 KiB sips every 2 ms. */
function readAll(client: Socket, n: number, slow = false): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const finish = () => resolve(Buffer.concat(chunks));
    client.on('close', finish);
    if (!slow) {
      client.on('data', (c: Buffer) => {
        chunks.push(c);
        got += c.length;
        if (got >= n) finish();
      });
      return;
    }
    client.pause();
    const sip = (): void => {
      let c: Buffer | null;
      while ((c = client.read() as Buffer | null) !== null) {
        chunks.push(c);
        got += c.length;
      }
      if (got >= n) finish();
      else setTimeout(sip, 2);
    };
    client.on('readable', () => undefined);
    sip();
  });
}

/** header, region, trailer: the way a connection writes a spliced frame. */
function send(broker: Socket, r: FileRecords, via: SendFile | null): Promise<Error | undefined> {
  return new Promise((resolve) => {
    broker.write(Buffer.from('HEAD'));
    r.writeTo(
      broker,
      (err) => {
        if (err === undefined) broker.write(Buffer.from('TAIL'));
        resolve(err);
      },
      via,
    );
  });
}

const paths = [
  ['sendfile', () => sendFile],
  ['read', () => null],
] as const;

describe.each(paths)('the %s path', (name, via) => {
  it.each([1, 4095, 65_536 + 7, 3 * 1024 * 1024 + 13])('sends a %i-byte region byte-exact', async (size) => {
    const { broker, client } = await pair();
    const position = 1000 + size;
    const { records: r, releases } = records(position, size);
    const received = readAll(client, size + 8);
    expect(await send(broker, r, via())).toBeUndefined();
    const bytes = await received;
    expect(bytes.subarray(0, 4).toString()).toBe('HEAD');
    expect(bytes.subarray(4, 4 + size).equals(content.subarray(position, position + size))).toBe(true);
    expect(bytes.subarray(4 + size).toString()).toBe('TAIL');
    expect(releases()).toBe(1);
    client.destroy();
  });

  it('sends a 24 MiB region to a slow reader across many partial writes', async () => {
    const { broker, client } = await pair();
    const before = { ...zeroCopyStats };
    const { records: r, releases } = records(0, content.length);
    const received = readAll(client, content.length + 8, true);
    expect(await send(broker, r, via())).toBeUndefined();
    const bytes = await received;
    expect(bytes.length).toBe(content.length + 8);
    expect(bytes.subarray(4, 4 + content.length).equals(content)).toBe(true);
    expect(bytes.subarray(4 + content.length).toString()).toBe('TAIL');
    expect(releases()).toBe(1);
    if (name === 'sendfile') {
      // Most of it by sendfile; the socket filled up, so some pieces went through the stream.
      expect(zeroCopyStats.sentByFile - before.sentByFile).toBeGreaterThan(content.length / 2);
      expect(zeroCopyStats.bridged - before.bridged).toBeGreaterThan(0);
      expect(zeroCopyStats.read).toBe(before.read);
    } else {
      expect(zeroCopyStats.read - before.read).toBe(content.length);
      expect(zeroCopyStats.sentByFile).toBe(before.sentByFile);
    }
    client.destroy();
  });

  it('reports an error and releases the file once when the reader closes mid-send', async () => {
    const { broker, client } = await pair();
    const { records: r, releases } = records(0, content.length);
    client.pause();
    const result = send(broker, r, via());
    setTimeout(() => client.destroy(), 20);
    const err = await result;
    if (name === 'sendfile') expect(err).toBeInstanceOf(Error);
    // The read path queues everything at once and is done before the close; either way the
    // reference is dropped exactly once and the socket ends up closed.
    expect(releases()).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(releases()).toBe(1);
    broker.destroy();
  });

  it('reports an error for a socket destroyed before the send starts', async () => {
    const { broker, client } = await pair();
    const { records: r, releases } = records(0, 1024);
    broker.destroy();
    const err = await new Promise<Error | undefined>((resolve) => r.writeTo(broker, resolve, via()));
    if (name === 'sendfile') expect(err?.message).toMatch(/socket closed/);
    expect(releases()).toBe(1);
    client.destroy();
  });

  it('sends several regions at once on separate connections, each byte-exact', async () => {
    const sizes = [5 * 1024 * 1024 + 1, 2 * 1024 * 1024, 7 * 1024 * 1024 + 99, 1];
    const runs = await Promise.all(
      sizes.map(async (size, i) => {
        const { broker, client } = await pair();
        const position = i * 3 * 1024 * 1024;
        const { records: r, releases } = records(position, size);
        const received = readAll(client, size + 8, i % 2 === 0);
        const err = await send(broker, r, via());
        const bytes = await received;
        client.destroy();
        return { err, ok: bytes.subarray(4, 4 + size).equals(content.subarray(position, position + size)), releases };
      }),
    );
    for (const run of runs) {
      expect(run.err).toBeUndefined();
      expect(run.ok).toBe(true);
      expect(run.releases()).toBe(1);
    }
  });

  it('fails with KAFKA_STORAGE_ERROR when the file ends inside the region', async () => {
    const { broker, client } = await pair();
    const { records: r, releases } = records(content.length - 100, 200);
    const err = await new Promise<Error | undefined>((resolve) => r.writeTo(broker, resolve, via()));
    expect((err as { code?: string } | undefined)?.code).toBe('KAFKA_STORAGE_ERROR');
    expect(releases()).toBe(1);
    client.destroy();
  });

  it('releases an empty region without writing', async () => {
    const { broker, client } = await pair();
    const info = FetchDataInfo.empty(5);
    const err = await new Promise<Error | undefined>((resolve) =>
      new FileRecords(info).writeTo(broker, resolve, via()),
    );
    expect(err).toBeUndefined();
    expect(broker.bytesWritten).toBe(0);
    client.destroy();
  });
});

describe('the sendfile addon', () => {
  it('throws EBADF for a closed fd and EINVAL for bad arguments', () => {
    expect(() => sendFile(1_000_000, fd, 0, 10)).toThrow(expect.objectContaining({ code: 'EBADF' }) as Error);
    expect(() => sendFile(-1, fd, 0, 10)).toThrow(expect.objectContaining({ code: 'EINVAL' }) as Error);
    expect(() => sendFile(0, fd, -5, 10)).toThrow(expect.objectContaining({ code: 'EINVAL' }) as Error);
  });

  it('is chosen for plaintext sockets unless the mode is read', async () => {
    const { broker, client } = await pair();
    expect(sendFileFor('auto', broker)).toBe(sendFile);
    expect(sendFileFor('sendfile', broker)).toBe(sendFile);
    expect(sendFileFor('read', broker)).toBeNull();
    Object.defineProperty(broker, 'encrypted', { value: true });
    expect(sendFileFor('auto', broker)).toBeNull();
    client.destroy();
  });
});
