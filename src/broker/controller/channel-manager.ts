/**
 * Kafka's ControllerChannelManager: one connection and one queue per live broker, the controller
 * included (it talks to itself over the network, as Kafka's does). Requests to one broker go one at a
 * time, in order; a failed send (connection refused, closed, timed out) reconnects and sends the same
 * request again after a short backoff, for as long as the broker stays live (removeBroker stops it).
 * A broker that does not speak the API at all gets the request dropped with an error logged.
 */
import { BrokerConnection } from '../../client/connection.js';
import type { ApiDeclaration, RequestInput, ResponseOf } from '../../protocol/schema/api.js';
import type { Logger } from '../logger.js';
import type { BrokerEndpoint } from '../metadata/types.js';

const RETRY_BACKOFF_MS = 100;
/** A refused connection is retried up to this long per attempt (the channel then retries itself). */
const CONNECT_TIMEOUT_MS = 3000;

export interface ChannelSettings {
  readonly clientId: string;
  /** controller.socket.timeout.ms */
  readonly requestTimeoutMs: number;
}

interface QueuedRequest {
  readonly name: string;
  send(conn: BrokerConnection): Promise<void>;
}

class BrokerChannel {
  private readonly queue: QueuedRequest[] = [];
  private conn: BrokerConnection | null = null;
  private draining = false;
  private closed = false;

  constructor(
    readonly brokerId: number,
    private readonly endpoint: BrokerEndpoint,
    private readonly settings: ChannelSettings,
    private readonly log: Logger,
  ) {}

  enqueue(request: QueuedRequest): void {
    if (this.closed) return;
    this.queue.push(request);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (!this.closed && this.queue.length > 0) {
      const next = this.queue[0]!;
      try {
        this.conn ??= await BrokerConnection.open(this.endpoint.host, this.endpoint.port, {
          clientId: this.settings.clientId,
          connectTimeoutMs: Math.min(this.settings.requestTimeoutMs, CONNECT_TIMEOUT_MS),
          requestTimeoutMs: this.settings.requestTimeoutMs,
        });
        if (this.closed) {
          // closed while connecting: this connection must not outlive the channel
          this.conn.close();
          this.conn = null;
          break;
        }
        await next.send(this.conn);
        this.queue.shift();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/does not support|supports .* this tool/.test(message)) {
          this.log.error(`Dropping ${next.name} to broker ${this.brokerId}: ${message}`);
          this.queue.shift();
          continue;
        }
        this.log.warn(`${next.name} to broker ${this.brokerId} failed (${message}); retrying`);
        this.conn?.close();
        this.conn = null;
        await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS));
      }
    }
    this.draining = false;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.conn?.close();
    this.conn = null;
  }
}

export class ControllerChannelManager {
  private readonly channels = new Map<number, BrokerChannel>();

  constructor(
    private readonly settings: ChannelSettings,
    private readonly log: Logger,
  ) {}

  /** Opens a channel to a broker (the endpoint of the inter-broker listener); a known broker is kept. */
  addBroker(brokerId: number, endpoint: BrokerEndpoint): void {
    if (this.channels.has(brokerId)) return;
    this.channels.set(brokerId, new BrokerChannel(brokerId, endpoint, this.settings, this.log));
  }

  removeBroker(brokerId: number): void {
    this.channels.get(brokerId)?.close();
    this.channels.delete(brokerId);
  }

  /** Queues a request at (at most) `version`; `onResponse` sees its answer. Unknown brokers are skipped. */
  send<A extends ApiDeclaration>(
    brokerId: number,
    decl: A,
    version: number,
    body: RequestInput<A>,
    onResponse?: (response: ResponseOf<A>) => void,
  ): void {
    const channel = this.channels.get(brokerId);
    if (channel === undefined) return;
    channel.enqueue({
      name: decl.name,
      send: async (conn) => {
        const response = await conn.sendAtMost(decl, version, body);
        onResponse?.(response);
      },
    });
  }

  close(): void {
    for (const c of this.channels.values()) c.close();
    this.channels.clear();
  }
}
