import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeResponse, encodeRequest } from '../protocol/frame.js';
import { ApiVersions } from '../protocol/messages/18-api-versions.js';
import { Heartbeat } from '../protocol/messages/12-heartbeat.js';
import { defineHandler, NO_RESPONSE } from './handler.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { Logger } from './logger.js';
import { Router } from './router.js';
import { SocketServer } from './server.js';
import { RawClient } from './testing/raw-client.js';

// The network core over real sockets: framing, ordering, the KIP-511 fallback and bad input that
// closes one connection without affecting others.
let server: SocketServer;
let port: number;
let release: (() => void)[] = [];

const limits = { maxRequestSize: 1024, idleMs: 60_000, maxInFlight: 8, maxQueuedBytes: 1 << 20 };

async function startServer(overrides: Partial<typeof limits> = {}): Promise<void> {
  const router = new Router();
  router.register(apiVersionsHandler(router));
  // A handler that answers only when released, and not at all for generation -1: exercises ordering.
  router.register(
    defineHandler(Heartbeat, '0-4', async (_ctx, req) => {
      if (req.generationId === -1) return NO_RESPONSE;
      if (req.generationId > 0) await new Promise<void>((resolve) => release.push(resolve));
      return { errorCode: req.generationId };
    }),
  );
  server = new SocketServer(
    router,
    {
      listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }],
      limits: { ...limits, ...overrides },
      maxConnections: 4,
      maxConnectionsPerIp: 3,
    },
    new Logger('test'),
  );
  [port] = (await server.start()) as [number];
}

beforeEach(async () => {
  release = [];
  await startServer();
});

afterEach(async () => {
  for (const r of release) r();
  await server.stop();
});

describe('SocketServer and Connection', () => {
  it('answers ApiVersions at every version with the registered ranges', async () => {
    const client = await RawClient.open(port);
    for (let v = 0; v <= 4; v++) {
      const body = v >= 3 ? { clientSoftwareName: 'samsa-test', clientSoftwareVersion: '1.0' } : {};
      const res = await client.request<{ errorCode: number; apiKeys: unknown[] }>(ApiVersions, v, body);
      expect(res.errorCode).toBe(0);
      expect(res.apiKeys).toEqual([
        { apiKey: 12, minVersion: 0, maxVersion: 4, _unknownTaggedFields: null },
        { apiKey: 18, minVersion: 0, maxVersion: 4, _unknownTaggedFields: null },
      ]);
    }
    client.close();
  });

  it('rejects a bad client software name with INVALID_REQUEST', async () => {
    const client = await RawClient.open(port);
    const res = await client.request<{ errorCode: number }>(ApiVersions, 3, {
      clientSoftwareName: '-bad name',
      clientSoftwareVersion: '1',
    });
    expect(res.errorCode).toBe(42);
    client.close();
  });

  it('answers an unknown ApiVersions version with a v0 UNSUPPORTED_VERSION body (KIP-511)', async () => {
    const client = await RawClient.open(port);
    // ApiVersions v9, header v2, empty body: the broker must not try to parse it.
    client.sendRaw(Buffer.from('0000000d' + '0012' + '0009' + '0000002a' + '0001' + '78' + '00' + '00', 'hex'));
    const frame = (await client.nextFrame())!;
    const { header, body } = decodeResponse(ApiVersions, 0, frame);
    expect(header.correlationId).toBe(42);
    expect(body).toMatchObject({ errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] });
    client.close();
  });

  it('writes responses in request order even when they complete out of order, skipping NO_RESPONSE', async () => {
    const client = await RawClient.open(port);
    const slow = client.send(Heartbeat, 0, { groupId: 'g', generationId: 7, memberId: 'm' });
    const none = client.send(Heartbeat, 0, { groupId: 'g', generationId: -1, memberId: 'm' });
    const fast = client.send(Heartbeat, 0, { groupId: 'g', generationId: 0, memberId: 'm' });
    await new Promise((r) => setTimeout(r, 20));
    expect(release).toHaveLength(1);
    release.shift()!();
    const first = decodeResponse(Heartbeat, 0, (await client.nextFrame())!);
    const second = decodeResponse(Heartbeat, 0, (await client.nextFrame())!);
    expect([first.header.correlationId, second.header.correlationId]).toEqual([slow, fast]);
    expect(none).toBe(slow + 1);
    client.close();
  });

  it('closes only the offending connection for oversized, negative, garbage and unknown-api frames', async () => {
    const good = await RawClient.open(port);
    const cases = [
      Buffer.from('7fffffff', 'hex'), // 2 GiB size prefix
      Buffer.from('fffffff0', 'hex'), // negative size
      Buffer.from('00000008' + '7fff0000' + '00000001', 'hex'), // unknown api key
      Buffer.from('0000000a' + '000c0000' + '00000001' + 'ffff', 'hex'), // Heartbeat with no body
    ];
    for (const bytes of cases) {
      const bad = await RawClient.open(port);
      bad.sendRaw(bytes);
      await bad.waitClosed();
      expect(bad.closed).toBe(true);
    }
    const res = await good.request<{ errorCode: number }>(ApiVersions, 0, {});
    expect(res.errorCode).toBe(0);
    good.close();
  });

  it('closes idle connections after connections.max.idle.ms', async () => {
    await server.stop();
    await startServer({ idleMs: 50 });
    const client = await RawClient.open(port);
    await client.waitClosed();
    expect(client.closed).toBe(true);
  });

  it('enforces max.connections.per.ip', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => RawClient.open(port)));
    await clients[3]!.waitClosed();
    expect(clients.slice(0, 3).every((c) => !c.closed)).toBe(true);
    for (const c of clients) c.close();
  });

  it('handles a frame split across many small writes and many frames in one write', async () => {
    const client = await RawClient.open(port);
    const frame = encodeRequest(ApiVersions, 2, { correlationId: 5, clientId: 'x' }, {});
    for (const byte of frame) client.sendRaw(Buffer.from([byte]));
    expect(decodeResponse(ApiVersions, 2, (await client.nextFrame())!).header.correlationId).toBe(5);
    const many = Buffer.concat(
      [6, 7, 8].map((id) => encodeRequest(ApiVersions, 1, { correlationId: id, clientId: 'x' }, {})),
    );
    client.sendRaw(many);
    for (const id of [6, 7, 8]) {
      expect(decodeResponse(ApiVersions, 1, (await client.nextFrame())!).header.correlationId).toBe(id);
    }
    client.close();
  });
});
