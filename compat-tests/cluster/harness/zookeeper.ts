// A real ZooKeeper 3.8 for the cluster tests, started the way a user starts one
// (`scripts/zookeeper-server-start.sh <zookeeper.properties>`, which execs java, so the child is the
// server), from a config in a temp dir: its own dataDir, a free client port, tickTime=500 so sessions
// as short as 1 s are allowed. kill() and stop() keep the data; start() again serves the same znodes on
// the same port (the chaos test restarts it once).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '../../harness/broker.js';
import { track, untrack } from './processes.js';

export function zookeeperAvailable(): boolean {
  return existsSync('/usr/share/java/zookeeper.jar');
}

export class ZooKeeper {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<ZooKeeper> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-cluster-zk-'));
    const zk = new ZooKeeper(dir, await freePort());
    writeFileSync(
      join(dir, 'zookeeper.properties'),
      [
        `dataDir=${join(dir, 'data')}`,
        `clientPort=${zk.port}`,
        'clientPortAddress=127.0.0.1',
        'maxClientCnxns=0',
        'admin.enableServer=false',
        'tickTime=500',
        'minSessionTimeout=1000',
        '',
      ].join('\n'),
    );
    await zk.startProcess();
    return zk;
  }

  /** `127.0.0.1:<port>` plus an optional chroot. */
  connect(chroot = ''): string {
    return `127.0.0.1:${this.port}${chroot}`;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async startProcess(): Promise<void> {
    const out = openSync(join(this.dir, 'zookeeper.out'), 'a');
    const child = spawn(
      'bash',
      [join(repoRoot, 'scripts/zookeeper-server-start.sh'), join(this.dir, 'zookeeper.properties')],
      { cwd: repoRoot, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    this.child = child;
    track(child);
    const deadline = Date.now() + 30_000;
    while (!(await serving(this.port))) {
      if (!this.alive) throw new Error(`ZooKeeper exited during startup:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`ZooKeeper did not serve on ${this.port}:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL, keeping the data. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.alive) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    untrack(child);
  }

  async restart(downMs = 0): Promise<void> {
    await this.kill();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.startProcess();
  }

  async stop(): Promise<void> {
    await this.kill();
    if (process.env['SAMSA_COMPAT_KEEP'] !== '1') rmSync(this.dir, { recursive: true, force: true });
  }

  tail(lines = 30): string {
    const file = join(this.dir, 'zookeeper.out');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
  }
}

/** ZooKeeper's `srvr` four-letter word names its mode once it serves. */
function serving(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    let text = '';
    socket.on('connect', () => socket.write('srvr'));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('close', () => resolve(text.includes('Mode:')));
    socket.on('error', () => resolve(false));
  });
}
