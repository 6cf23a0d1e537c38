/**
 * A recording TCP proxy for the Kafka protocol. Every client connection to `--listen` is relayed
 * byte-for-byte to `--target`; on the way through, both directions are cut into frames (4-byte
 * big-endian size, then the frame) and each frame is written as a hex fixture under `--out`.
 *
 * Responses carry only a correlation id, so each connection remembers the (api key, version) of its
 * outstanding requests and names a response after its request. One exception: a Kafka broker answers
 * an ApiVersions request of a version it does not know with UNSUPPORTED_VERSION in a v0 body, so such
 * a response is filed as v0 (what it is on the wire).
 *
 * File names: `<NN>-<api>-v<version>-<request|response>[-<n>].hex`, NN the api key; the hex text is
 * the whole frame, size prefix included, 32 bytes to a line. Frames equal to one already kept except
 * for the correlation id are dropped, as are frames over `--max-frame` bytes; past three frames of one
 * name a frame is kept only if its length is new, up to `--per-name` frames; and nothing more is
 * written once the folder holds `--max-total` bytes.
 *
 *   node --import tsx scripts/capture-fixtures/proxy.ts --listen 19192 --target 19092 \
 *     --out src/protocol/fixtures/kafkajs [--ready-file f]
 *
 * Relaying never waits for recording: a frame that cannot be parsed stops recording on that
 * connection, not relaying.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Kafka's api keys and names (ApiKeys.java, 4.1), kebab-cased as in src/protocol/messages. */
const API_NAMES: readonly string[] = [
  'produce',
  'fetch',
  'list-offsets',
  'metadata',
  'leader-and-isr',
  'stop-replica',
  'update-metadata',
  'controlled-shutdown',
  'offset-commit',
  'offset-fetch',
  'find-coordinator',
  'join-group',
  'heartbeat',
  'leave-group',
  'sync-group',
  'describe-groups',
  'list-groups',
  'sasl-handshake',
  'api-versions',
  'create-topics',
  'delete-topics',
  'delete-records',
  'init-producer-id',
  'offset-for-leader-epoch',
  'add-partitions-to-txn',
  'add-offsets-to-txn',
  'end-txn',
  'write-txn-markers',
  'txn-offset-commit',
  'describe-acls',
  'create-acls',
  'delete-acls',
  'describe-configs',
  'alter-configs',
  'alter-replica-log-dirs',
  'describe-log-dirs',
  'sasl-authenticate',
  'create-partitions',
  'create-delegation-token',
  'renew-delegation-token',
  'expire-delegation-token',
  'describe-delegation-token',
  'delete-groups',
  'elect-leaders',
  'incremental-alter-configs',
  'alter-partition-reassignments',
  'list-partition-reassignments',
  'offset-delete',
  'describe-client-quotas',
  'alter-client-quotas',
  'describe-user-scram-credentials',
  'alter-user-scram-credentials',
  'vote',
  'begin-quorum-epoch',
  'end-quorum-epoch',
  'describe-quorum',
  'alter-partition',
  'update-features',
  'envelope',
  'fetch-snapshot',
  'describe-cluster',
  'describe-producers',
  'broker-registration',
  'broker-heartbeat',
  'unregister-broker',
  'describe-transactions',
  'list-transactions',
  'allocate-producer-ids',
  'consumer-group-heartbeat',
  'consumer-group-describe',
  'controller-registration',
  'get-telemetry-subscriptions',
  'push-telemetry',
  'assign-replicas-to-dirs',
  'list-config-resources',
  'describe-topic-partitions',
  'share-group-heartbeat',
  'share-group-describe',
  'share-fetch',
  'share-acknowledge',
  'add-raft-voter',
  'remove-raft-voter',
  'update-raft-voter',
  'initialize-share-group-state',
  'read-share-group-state',
  'write-share-group-state',
  'delete-share-group-state',
  'read-share-group-state-summary',
  'streams-group-heartbeat',
  'streams-group-describe',
  'describe-share-group-offsets',
  'alter-share-group-offsets',
  'delete-share-group-offsets',
];

const API_VERSIONS_KEY = 18;
const UNSUPPORTED_VERSION = 35;

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string' },
    target: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    out: { type: 'string' },
    'ready-file': { type: 'string' },
    'max-frame': { type: 'string', default: String(64 * 1024) },
    'per-name': { type: 'string', default: '8' },
    'max-total': { type: 'string', default: String(2 * 1024 * 1024) },
  },
});
if (!opts.listen || !opts.target || !opts.out) {
  console.error('usage: proxy.ts --listen PORT --target PORT --out DIR [--ready-file FILE]');
  process.exit(2);
}
const host = opts.host!;
const listenPort = Number(opts.listen);
const targetPort = Number(opts.target);
const outDir = opts.out;
const maxFrame = Number(opts['max-frame']);
const perName = Number(opts['per-name']);
const maxTotal = Number(opts['max-total']);

mkdirSync(outDir, { recursive: true });

/** What has been kept, per fixture name (without the counter). */
interface NameState {
  count: number;
  lengths: Set<number>;
}
const names = new Map<string, NameState>();
const seen = new Set<string>();
let totalBytes = 0;
const stats = { frames: 0, kept: 0, duplicate: 0, oversize: 0, capped: 0 };

/** The frame's identity for de-duplication: its bytes with the correlation id zeroed. */
function identity(frame: Buffer, correlationIdAt: number): string {
  const copy = Buffer.from(frame);
  copy.fill(0, correlationIdAt, correlationIdAt + 4);
  return copy.toString('base64');
}

function toHex(frame: Buffer): string {
  const hex = frame.toString('hex');
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64));
  return lines.join('\n') + '\n';
}

/** Considers one whole frame (size prefix included) for keeping. */
function record(frame: Buffer, apiKey: number, version: number, kind: 'request' | 'response'): void {
  stats.frames++;
  if (frame.length > maxFrame) {
    stats.oversize++;
    return;
  }
  const correlationIdAt = kind === 'request' ? 8 : 4;
  const id = `${apiKey}/${version}/${kind}/${identity(frame, correlationIdAt)}`;
  if (seen.has(id)) {
    stats.duplicate++;
    return;
  }
  seen.add(id);
  const apiName = API_NAMES[apiKey] ?? 'unknown';
  const base = `${String(apiKey).padStart(2, '0')}-${apiName}-v${version}-${kind}`;
  let state = names.get(base);
  if (!state) names.set(base, (state = { count: 0, lengths: new Set() }));
  const fresh = state.count < 3 || (state.count < perName && !state.lengths.has(frame.length));
  const text = toHex(frame);
  if (!fresh || totalBytes + text.length > maxTotal) {
    stats.capped++;
    return;
  }
  state.count++;
  state.lengths.add(frame.length);
  totalBytes += text.length;
  stats.kept++;
  const file = state.count === 1 ? `${base}.hex` : `${base}-${state.count}.hex`;
  writeFileSync(join(outDir, file), text);
}

/** Cuts a byte stream into frames; calls `onFrame` with each whole frame, size prefix included. */
class Framer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onFrame: (frame: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let pos = 0;
    while (buf.length - pos >= 4) {
      const size = buf.readInt32BE(pos);
      if (size < 0) throw new Error(`negative frame size ${size}`);
      if (buf.length - pos < 4 + size) break;
      this.onFrame(Buffer.from(buf.subarray(pos, pos + 4 + size)));
      pos += 4 + size;
    }
    buf = buf.subarray(pos);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
  }
}

interface Outstanding {
  apiKey: number;
  version: number;
}

const sockets = new Set<net.Socket>();

function relay(client: net.Socket): void {
  const upstream = net.connect({ host, port: targetPort });
  sockets.add(client);
  sockets.add(upstream);
  const outstanding = new Map<number, Outstanding>();
  let recording = true;

  const guard = (fn: (frame: Buffer) => void) => (frame: Buffer) => {
    if (!recording) return;
    try {
      fn(frame);
    } catch (err) {
      recording = false;
      console.error(`proxy: recording stopped on a connection: ${(err as Error).message}`);
    }
  };

  const requests = new Framer(
    guard((frame) => {
      if (frame.length < 12) throw new Error(`request frame of ${frame.length} bytes`);
      const apiKey = frame.readInt16BE(4);
      const version = frame.readInt16BE(6);
      outstanding.set(frame.readInt32BE(8), { apiKey, version });
      record(frame, apiKey, version, 'request');
    }),
  );
  const responses = new Framer(
    guard((frame) => {
      if (frame.length < 8) throw new Error(`response frame of ${frame.length} bytes`);
      const correlationId = frame.readInt32BE(4);
      const req = outstanding.get(correlationId);
      if (!req) throw new Error(`response to unknown correlation id ${correlationId}`);
      outstanding.delete(correlationId);
      let version = req.version;
      if (req.apiKey === API_VERSIONS_KEY && frame.length >= 10 && frame.readInt16BE(8) === UNSUPPORTED_VERSION) {
        version = 0;
      }
      record(frame, req.apiKey, version, 'response');
    }),
  );

  const framing = (framer: Framer) => (chunk: Buffer) => {
    if (!recording) return;
    try {
      framer.push(chunk);
    } catch (err) {
      recording = false;
      console.error(`proxy: recording stopped on a connection: ${(err as Error).message}`);
    }
  };

  client.on('data', (chunk: Buffer) => {
    upstream.write(chunk);
    framing(requests)(chunk);
  });
  upstream.on('data', (chunk: Buffer) => {
    client.write(chunk);
    framing(responses)(chunk);
  });
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  const close = () => {
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  client.on('close', close);
  upstream.on('close', close);
  client.on('error', close);
  upstream.on('error', close);
}

const server = net.createServer(relay);
server.listen(listenPort, host, () => {
  console.error(`proxy: ${host}:${listenPort} -> ${host}:${targetPort}, fixtures in ${outDir}`);
  if (opts['ready-file']) writeFileSync(opts['ready-file'], `${process.pid}\n`);
});

function shutdown(): void {
  server.close();
  for (const s of sockets) s.destroy();
  console.error(
    `proxy: ${stats.frames} frames, ${stats.kept} kept (${totalBytes} bytes of hex), ` +
      `${stats.duplicate} duplicates, ${stats.capped} over the per-name or total cap, ${stats.oversize} over ${maxFrame} bytes`,
  );
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
