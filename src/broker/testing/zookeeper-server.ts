/**
 * A real ZooKeeper 3.8 (Debian's package, as scripts/zookeeper-server-start.sh runs it) on a free
 * port with its data in a temp dir, for cluster-mode tests. `available()` is false when the package
 * is not installed (scripts/setup-zookeeper.sh), so tests can skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JAR = '/usr/share/java/zookeeper.jar';

export class ZooKeeperServer {
  private constructor(
    private readonly proc: ChildProcess,
    readonly port: number,
    readonly dir: string,
  ) {}

  static available(): boolean {
    return existsSync(JAR);
  }

  /** `127.0.0.1:<port>` plus an optional chroot. */
  connect(chroot = ''): string {
    return `127.0.0.1:${this.port}${chroot}`;
  }

  static async start(): Promise<ZooKeeperServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'samsa-zk-'));
    const cfg = join(dir, 'zookeeper.properties');
    writeFileSync(
      cfg,
      `dataDir=${join(dir, 'data')}\nclientPort=${port}\nclientPortAddress=127.0.0.1\nmaxClientCnxns=0\n` +
        'admin.enableServer=false\ntickTime=500\nminSessionTimeout=1000\n',
    );
    const proc = spawn(
      'java',
      [
        '-Xmx256M',
        '-cp',
        '/usr/share/java/*:/etc/zookeeper/conf',
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        cfg,
      ],
      { stdio: 'ignore' },
    );
    const server = new ZooKeeperServer(proc, port, dir);
    const deadline = Date.now() + 20_000;
    while (!(await isUp(port))) {
      if (Date.now() > deadline || proc.exitCode !== null) {
        await server.stop();
        throw new Error(`ZooKeeper did not start on port ${port}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return server;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** ZooKeeper's `srvr` four-letter word answers once the server serves. */
function isUp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('connect', () => socket.write('srvr'));
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(text.includes('Mode:')));
    socket.on('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
