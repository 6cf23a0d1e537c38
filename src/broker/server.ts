import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Connection, type ConnectionLimits } from './connection.js';
import { loadSendFile, sendFileUnavailableReason } from './fetch/sendfile.js';
import type { Logger } from './logger.js';
import type { Router } from './router.js';

/** One listener as Kafka configures it: `PLAINTEXT://host:port`. An empty host means every interface. */
export interface ListenerSpec {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface SocketServerOptions {
  readonly listeners: readonly ListenerSpec[];
  readonly limits: ConnectionLimits;
  /** max.connections: beyond it new connections are closed at once. */
  readonly maxConnections: number;
  /** max.connections.per.ip */
  readonly maxConnectionsPerIp: number;
}

/**
 * Accepts client connections on every listener and owns the set of live connections. Connection
 * limits are enforced at accept time: an over-limit connection is closed before any byte is read.
 * `stop` stops accepting, lets every connection answer what it has in flight, then closes them.
 */
export class SocketServer {
  private readonly servers: NetServer[] = [];
  private readonly connections = new Set<Connection>();
  private readonly perIp = new Map<string, number>();

  constructor(
    private readonly router: Router,
    private readonly options: SocketServerOptions,
    private readonly log: Logger,
  ) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Binds every listener; resolves with the bound ports (a configured port 0 picks a free one). */
  async start(): Promise<number[]> {
    if (this.options.limits.zeroCopy === 'sendfile' && loadSendFile() === null) {
      this.log.warn(`samsa.fetch.zero.copy=sendfile, but ${sendFileUnavailableReason()}: fetches are read and written`);
    }
    const ports: number[] = [];
    for (const listener of this.options.listeners) {
      const server = createServer({ noDelay: true }, (socket) => this.accept(socket, listener));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: listener.port, host: listener.host === '' ? undefined : listener.host }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      ports.push(typeof address === 'object' && address !== null ? address.port : listener.port);
      this.servers.push(server);
    }
    return ports;
  }

  private accept(socket: Socket, listener: ListenerSpec): void {
    const ip = socket.remoteAddress ?? 'unknown';
    const fromIp = this.perIp.get(ip) ?? 0;
    if (this.connections.size >= this.options.maxConnections) {
      this.log.warn(`Rejecting connection from ${ip}: max.connections (${this.options.maxConnections}) reached`);
      socket.destroy();
      return;
    }
    if (fromIp >= this.options.maxConnectionsPerIp) {
      this.log.warn(
        `Rejecting connection from ${ip}: max.connections.per.ip (${this.options.maxConnectionsPerIp}) reached`,
      );
      socket.destroy();
      return;
    }
    this.perIp.set(ip, fromIp + 1);
    const info = { clientHost: `/${ip}`, listenerName: listener.name };
    const connection = new Connection(socket, this.router, this.options.limits, this.log, info, (c) => {
      this.connections.delete(c);
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, n);
    });
    this.connections.add(connection);
  }

  async stop(): Promise<void> {
    // close() stops accepting now and calls back only once every connection has gone.
    const closed = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    await Promise.all([...this.connections].map((c) => c.drain()));
    for (const c of this.connections) c.close('broker shutting down', 'DEBUG');
    await Promise.all(closed);
  }
}
