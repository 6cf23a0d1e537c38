import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '../../protocol/frame.js';
import type { ApiDeclaration } from '../../protocol/schema/api.js';

/**
 * A minimal Kafka client over one socket, for tests: sends frames (ours or raw bytes), collects
 * response frames in arrival order, and notices when the broker closes the connection.
 */
export class RawClient {
  private readonly frames: Buffer[] = [];
  private pending = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  private correlation = 0;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
        const size = this.pending.readInt32BE(0);
        this.frames.push(this.pending.subarray(4, 4 + size));
        this.pending = this.pending.subarray(4 + size);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private until(ready: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (ready() ? resolve() : this.waiters.push(check));
      check();
    });
  }

  /** Sends a request; returns its correlation id. */
  send(decl: ApiDeclaration, version: number, body: unknown, clientId = 'raw-client'): number {
    const correlationId = ++this.correlation;
    this.socket.write(encodeRequest(decl, version, { correlationId, clientId }, body));
    return correlationId;
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame (without its size prefix), or null once the connection has closed. */
  async nextFrame(): Promise<Buffer | null> {
    await this.until(() => this.frames.length > 0 || this.closed);
    return this.frames.shift() ?? null;
  }

  async request<T = Record<string, unknown>>(decl: ApiDeclaration, version: number, body: unknown): Promise<T> {
    const id = this.send(decl, version, body);
    const frame = await this.nextFrame();
    if (frame === null) throw new Error(`connection closed before the response to ${decl.name} v${version}`);
    const { header, body: response } = decodeResponse(decl, version, frame);
    if (header.correlationId !== id) throw new Error(`correlation id ${header.correlationId}, expected ${id}`);
    return response as T;
  }

  async waitClosed(): Promise<void> {
    await this.until(() => this.closed);
  }

  close(): void {
    this.socket.destroy();
  }
}
