// The processes of the seed's QUICKIE: a broker started from one of config/*.properties as a user starts
// it, and Kafka tools that run until interrupted (the 0.8.2 console consumer prints records until Ctrl-C).
//
//   Samsa (default)              bin/samsa.js server-start config/<file> --override log.dir=... --override ...
//   SAMSA_COMPAT_TARGET=kafka    Kafka 0.8.2.2's own broker (kafka.Kafka, from the same Maven jars as the
//                                tools) with a copy of config/<file> where those three keys are replaced
//                                (0.8.2 has no --override): proves the test against the real thing.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compatTarget, freePort, repoRoot, waitForPort } from '../harness/broker.js';
import { binDir, type ToolResult } from '../kafka-tools/tools.js';

/** A broker process started from a config file of config/, with the test's log.dir, port and ZooKeeper. */
export class SamsaNode {
  private child: ChildProcess | undefined;
  private readonly out: string;

  private constructor(
    /** config/<file> the broker was started from. */
    readonly file: string,
    readonly port: number,
    readonly dir: string,
    private readonly overrides: Record<string, string>,
  ) {
    this.out = join(dir, 'samsa.log');
  }

  /**
   * Starts `bin/samsa.js server-start config/<file>` with log.dir in a fresh temp dir, the given
   * zookeeper.connect, and port on a free port (the files' 9092-9094 may be taken on a developer's machine).
   */
  static async start(file: string, zookeeperConnect: string): Promise<SamsaNode> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-quickie-'));
    const port = await freePort();
    const node = new SamsaNode(file, port, dir, {
      'log.dir': join(dir, 'data'),
      'zookeeper.connect': zookeeperConnect,
      port: String(port),
    });
    live.add(node);
    await node.spawn();
    return node;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    const c = this.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  private async spawn(): Promise<void> {
    const fd = openSync(this.out, 'a');
    let child: ChildProcess;
    if (compatTarget() === 'kafka') {
      // The same file with the test's values in place of its own (keys it lacks are appended).
      let text = readFileSync(join(repoRoot, 'config', this.file), 'utf8');
      for (const [k, v] of Object.entries(this.overrides)) {
        const line = new RegExp(`^#?${k.replace(/\./g, '\\.')}=.*$`, 'm');
        text = line.test(text) ? text.replace(line, `${k}=${v}`) : `${text}\n${k}=${v}\n`;
      }
      const props = join(this.dir, this.file);
      writeFileSync(props, text);
      // kafka-run-class.sh execs java, so the child is the broker's own pid (for kill -9).
      child = spawn(join(binDir, 'kafka-run-class.sh'), ['kafka.Kafka', props], {
        cwd: repoRoot,
        env: { ...process.env, KAFKA_VERSION: '0.8.2.2', KAFKA_HEAP_OPTS: '-Xmx512M' },
        stdio: ['ignore', fd, fd],
      });
    } else {
      const args = [join(repoRoot, 'bin/samsa.js'), 'server-start', join(repoRoot, 'config', this.file)];
      for (const [k, v] of Object.entries(this.overrides)) args.push('--override', `${k}=${v}`);
      child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', fd, fd] });
    }
    closeSync(fd);
    this.child = child;
    try {
      await waitForPort(this.port, () => child.exitCode === null && child.signalCode === null);
    } catch (e) {
      throw new Error(`${String(e)}\n--- ${this.file} output\n${this.tail()}`);
    }
  }

  /** `kill -9 <pid>`, as the QUICKIE's failover step. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || !this.alive) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM (controlled shutdown), SIGKILL after 30 s; then removes the temp dir. */
  async stop(): Promise<void> {
    const c = this.child;
    if (c && this.alive) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
      await gone;
      clearTimeout(timer);
    }
    live.delete(this);
    if (process.env['SAMSA_COMPAT_KEEP'] !== '1') rmSync(this.dir, { recursive: true, force: true });
  }

  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  tail(lines = 40): string {
    if (!existsSync(this.out)) return '';
    return `[${this.file}]\n${readFileSync(this.out, 'utf8').split('\n').slice(-lines).join('\n')}`;
  }
}

const live = new Set<SamsaNode>();
process.once('exit', () => {
  for (const n of live) n.killNow();
});

/**
 * Runs `bin/<tool>.sh` of Kafka `version` until its stdout satisfies `done` (or `timeoutMs` passes),
 * then interrupts it with SIGINT, as Ctrl-C does (the 0.8.2 consumer's shutdown hook then commits its
 * offsets and exits). Resolves with everything it printed; status is the exit code after the interrupt.
 */
export function runUntil(
  version: string,
  tool: string,
  args: string[],
  done: (stdout: string) => boolean,
  timeoutMs = 60_000,
): Promise<ToolResult & { timedOut: boolean }> {
  return new Promise((res, rej) => {
    const child = spawn(join(binDir, `${tool}.sh`), args, {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_VERSION: version },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let interrupted = false;
    const interrupt = (): void => {
      if (interrupted) return;
      interrupted = true;
      child.kill('SIGINT');
      hard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    };
    let hard: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      interrupt();
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (done(stdout)) interrupt();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', rej);
    child.once('close', (status) => {
      clearTimeout(timer);
      if (hard) clearTimeout(hard);
      res({ status, stdout, stderr, timedOut });
    });
  });
}
