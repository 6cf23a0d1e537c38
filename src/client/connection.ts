import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '../protocol/frame.js';
import { ApiVersions } from '../protocol/messages/18-api-versions.js';
import type { ApiDeclaration, RequestInput, ResponseOf } from '../protocol/schema/api.js';
import { CliError, check } from './errors.js';
import { API_VERSIONS_FIRST_TRY, negotiateVersion, type VersionRange } from './versions.js';

/** What every connection of a tool shares: Kafka's client property names, in milliseconds. */
export interface ClientSettings {
  readonly clientId: string;
  /** How long to keep trying to connect before giving up (socket.connection.setup.timeout.ms). */
  readonly connectTimeoutMs: number;
  /** How long to wait for a response (request.timeout.ms). */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_SETTINGS: ClientSettings = {
  clientId: 'samsa-cli',
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

const UNSUPPORTED_VERSION = 35;
const RETRY_CONNECT_MS = 200;

interface Pending {
  readonly decl: ApiDeclaration;
  readonly version: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One connection to one broker: frames out, frames in, each response matched to its request by
 * correlation id. Opening it negotiates versions with ApiVersions (v3 first; on UNSUPPORTED_VERSION the
 * broker's v0 answer names the ApiVersions range it speaks, and the request is sent again at its max);
 * every later request goes at min(our max, the broker's max) for its API.
 */
export class BrokerConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private correlation = 0;
  private ranges = new Map<number, VersionRange>();
  private closedReason: string | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly settings: ClientSettings,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.failAll(this.closedReason ?? `connection to ${address} closed`));
    socket.on('error', (err) => {
      this.closedReason = `connection to ${address} failed (${err.message})`;
    });
  }

  static async open(host: string, port: number, settings: ClientSettings): Promise<BrokerConnection> {
    const address = `${host}:${port}`;
    const socket = await connectWithin(host, port, settings.connectTimeoutMs);
    const conn = new BrokerConnection(socket, address, settings);
    try {
      await conn.negotiate();
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  private async negotiate(): Promise<void> {
    let version = API_VERSIONS_FIRST_TRY;
    for (;;) {
      const body = (await this.sendAt(ApiVersions, version, {
        clientSoftwareName: 'samsa-cli',
        clientSoftwareVersion: '0.1.0',
      })) as ResponseOf<typeof ApiVersions>;
      if (body.errorCode === UNSUPPORTED_VERSION && version > 0) {
        const own = body.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
        version = Math.min(version - 1, own?.maxVersion ?? 0);
        continue;
      }
      check(body.errorCode, `ApiVersions from ${this.address}`);
      this.ranges = new Map(body.apiKeys.map((k) => [k.apiKey, k]));
      return;
    }
  }

  /** The version this connection uses for an API; throws when the broker does not speak it. */
  versionFor(decl: ApiDeclaration): number {
    return negotiateVersion(decl, this.ranges.get(decl.apiKey), this.address);
  }

  supports(decl: ApiDeclaration): boolean {
    try {
      this.versionFor(decl);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Sends a request at the negotiated version and resolves with the decoded response. `timeoutMs`
   * overrides request.timeout.ms for requests the broker may hold longer (JoinGroup).
   */
  send<A extends ApiDeclaration>(decl: A, body: RequestInput<A>, timeoutMs?: number): Promise<ResponseOf<A>> {
    return this.sendAt(decl, this.versionFor(decl), body, timeoutMs) as Promise<ResponseOf<A>>;
  }

  /**
   * Sends at min(maxVersion, the negotiated version): for a sender that builds one known layout (the
   * ZooKeeper-mode controller sends LeaderAndIsr v5, UpdateMetadata v7, StopReplica v3).
   */
  sendAtMost<A extends ApiDeclaration>(
    decl: A,
    maxVersion: number,
    body: RequestInput<A>,
    timeoutMs?: number,
  ): Promise<ResponseOf<A>> {
    return this.sendAt(decl, Math.min(maxVersion, this.versionFor(decl)), body, timeoutMs) as Promise<ResponseOf<A>>;
  }

  /** Sends a request that gets no response (Produce with acks=0). */
  sendOneWay<A extends ApiDeclaration>(decl: A, body: RequestInput<A>): void {
    const correlationId = ++this.correlation;
    const frame = encodeRequest(decl, this.versionFor(decl), { correlationId, clientId: this.settings.clientId }, body);
    this.socket.write(frame);
  }

  private sendAt(
    decl: ApiDeclaration,
    version: number,
    body: unknown,
    timeoutMs = this.settings.requestTimeoutMs,
  ): Promise<unknown> {
    if (this.closedReason !== null || this.socket.destroyed) {
      return Promise.reject(new CliError(this.closedReason ?? `connection to ${this.address} closed`));
    }
    const correlationId = ++this.correlation;
    const frame = encodeRequest(decl, version, { correlationId, clientId: this.settings.clientId }, body);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new CliError(`${decl.name} to ${this.address} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, { decl, version, resolve, reject, timer });
      this.socket.write(frame);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) break;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const p = this.pending.get(correlationId);
    if (p === undefined) return;
    this.pending.delete(correlationId);
    clearTimeout(p.timer);
    try {
      // An ApiVersions error answer is a v0 body whatever version was asked (KIP-511).
      const errorFirst = p.decl.apiKey === ApiVersions.apiKey && frame.length >= 6 && frame.readInt16BE(4) !== 0;
      p.resolve(decodeResponse(p.decl, errorFirst ? 0 : p.version, frame).body);
    } catch (err) {
      p.reject(
        new CliError(`cannot decode ${p.decl.name} v${p.version} from ${this.address}: ${(err as Error).message}`),
      );
    }
  }

  private failAll(reason: string): void {
    this.closedReason ??= reason;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new CliError(reason));
    }
    this.pending.clear();
  }

  get closed(): boolean {
    return this.closedReason !== null || this.socket.destroyed;
  }

  close(): void {
    this.closedReason ??= `connection to ${this.address} closed`;
    this.socket.destroy();
  }
}

/**
 * Connects, retrying refused and reset connections until the timeout as Kafka's clients do, then fails
 * naming the address and the last reason: "cannot connect to localhost:9092 (connection refused)".
 */
async function connectWithin(host: string, port: number, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  let reason = `timed out after ${timeoutMs} ms`;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new CliError(`cannot connect to ${host}:${port} (${reason})`);
    try {
      return await connectOnce(host, port, left);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      reason = describeConnectError(e, timeoutMs);
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
        throw new CliError(`cannot connect to ${host}:${port} (${reason})`);
    }
    await new Promise((r) => setTimeout(r, Math.min(RETRY_CONNECT_MS, Math.max(deadline - Date.now(), 0))));
  }
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
  });
}

function describeConnectError(e: NodeJS.ErrnoException, timeoutMs: number): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
      return `timed out after ${timeoutMs} ms`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return e.message;
  }
}
