import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A broker as a real child process, started the way a user starts one (`samsa server-start
 * <properties>`), for tests and benchmarks that need its own pid: memory, startup time, crashes.
 * `entry: 'source'` runs the TypeScript through tsx (no build needed; what `npm test` can use);
 * `'dist'` runs bin/samsa.js over the built dist/ (what users run; `npm run build` first).
 */
export class BrokerProcess {
  private stderr = '';
  private exited: Promise<number>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly dir: string,
    /** Milliseconds from spawn until the port accepted a TCP connection. */
    readonly startMs: number,
    private readonly entry: 'source' | 'dist',
  ) {
    child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? (signal ? 128 : 1))));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.stderr;
  }

  static async start(options: { properties?: string; entry?: 'source' | 'dist' } = {}): Promise<BrokerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-proc-'));
    const port = await freePort();
    writeFileSync(
      join(dir, 'server.properties'),
      `broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:${port}\nlog.dirs=${join(dir, 'data')}\n${options.properties ?? ''}\n`,
    );
    return BrokerProcess.spawnIn(dir, port, options.entry ?? 'source');
  }

  /** Starts the broker again on its port and data dir after it exited (a crash, then a restart). */
  async restart(): Promise<BrokerProcess> {
    if (this.alive) throw new Error(`broker pid ${this.pid} is still running`);
    return BrokerProcess.spawnIn(this.dir, this.port, this.entry);
  }

  /** SIGKILL; resolves once the process is gone. The data dir stays for restart(). */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  private static async spawnIn(dir: string, port: number, entry: 'source' | 'dist'): Promise<BrokerProcess> {
    const props = join(dir, 'server.properties');
    const args =
      entry === 'dist'
        ? [join(ROOT, 'bin/samsa.js'), 'server-start', props]
        : ['--import', 'tsx', join(ROOT, 'src/cli/dev-entry.ts'), 'server-start', props];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let early = '';
    child.stderr.on('data', (c: Buffer) => (early += c.toString()));
    let exitedEarly = false;
    child.once('exit', () => (exitedEarly = true));
    while (!(await canConnect(port))) {
      if (exitedEarly) throw new Error(`broker exited during startup:\n${early}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const bp = new BrokerProcess(child, port, dir, performance.now() - t0, entry);
    bp.stderr = early;
    return bp;
  }

  /** Resident set size of the broker process (VmRSS in /proc/<pid>/status), in bytes. */
  rssBytes(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (!m) throw new Error(`no VmRSS for pid ${this.pid}`);
    return Number(m[1]) * 1024;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (a clean shutdown); resolves with the exit code, then removes the data dir. */
  async stop(): Promise<number> {
    if (this.alive) this.child.kill('SIGTERM');
    const code = await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((r) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      r(true);
    });
    sock.once('error', () => r(false));
  });
}
