// TCP proxies the network-partition test controls. Each broker is advertised at a proxy in front of its
// listener, and reaches ZooKeeper through a proxy of its own, so a test can
//
// - cut() a proxy: every connection through it is dropped and new ones are closed at once (the
//   broker behind it is unreachable; or, for a ZooKeeper proxy, its broker loses ZooKeeper);
// - isolate(pid): drop the connections that a given process (the partitioned broker) opened through
//   this proxy, now and later, while others pass, so the partitioned broker cannot reach its peers
//   either. The source process of a connection is found as Linux knows it: the client port of the
//   accepted socket, its inode in /proc/net/tcp, and that inode among /proc/<pid>/fd.
//
// heal() lifts both. Everything is on 127.0.0.1.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** The client's pid, once looked up (-1: not known). */
  pid: number;
}

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private cutAll = false;
  private readonly isolated = new Set<number>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly targetPort: number,
  ) {}

  static async start(targetPort: number, port = 0): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = (server.address() as { port: number }).port;
    const proxy = new TcpProxy(server, bound, targetPort);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.cutAll) {
      client.destroy();
      return;
    }
    const pid = this.isolated.size > 0 ? sourcePid(client.remotePort ?? 0, this.port, this.isolated) : -1;
    if (this.isolated.has(pid)) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    upstream.on('error', () => {});
    const pair: Pair = { client, upstream, pid };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Drop every connection and refuse new ones until heal(). */
  cut(): void {
    this.cutAll = true;
    for (const p of [...this.pairs]) this.drop(p);
  }

  /** Drop the connections `pid` opened through this proxy, and refuse its new ones, until heal(). */
  isolate(pid: number): void {
    this.isolated.add(pid);
    for (const p of [...this.pairs]) {
      if (p.pid < 0) p.pid = sourcePid(p.client.remotePort ?? 0, this.port, this.isolated);
      if (p.pid === pid) this.drop(p);
    }
  }

  heal(): void {
    this.cutAll = false;
    this.isolated.clear();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private drop(p: Pair): void {
    this.pairs.delete(p);
    p.client.destroy();
    p.upstream.destroy();
  }
}

/**
 * Which of `candidates` owns the client end of a loopback connection from `clientPort` to `serverPort`;
 * -1 if none does.
 */
export function sourcePid(clientPort: number, serverPort: number, candidates: ReadonlySet<number>): number {
  const inode = socketInode(clientPort, serverPort);
  if (inode === null) return -1;
  const link = `socket:[${inode}]`;
  for (const pid of candidates) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return -1;
}

/** The inode of the socket whose local port is `localPort` and remote port `remotePort`, from /proc/net/tcp{,6}. */
function socketInode(localPort: number, remotePort: number): string | null {
  const local = localPort.toString(16).toUpperCase().padStart(4, '0');
  const remote = remotePort.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (f[1]!.endsWith(`:${local}`) && f[2]!.endsWith(`:${remote}`)) return f[9]!;
    }
  }
  return null;
}
