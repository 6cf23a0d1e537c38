// Starts the broker that a compat test talks to, the way a user starts it, on free loopback ports.
//
//   SAMSA_COMPAT_TARGET=samsa (default)  node bin/samsa.js server-start <dir>/server.properties --override k=v ...
//   SAMSA_COMPAT_TARGET=kafka            Apache Kafka 3.9.2 in KRaft mode from Maven's jars (scripts/kafka-kraft.sh)
//
// Running the same tests against Kafka is what proves the tests; running them against Samsa is the
// compatibility claim. Each broker gets a fresh temp dir (config, data, logs) that stop() removes unless
// SAMSA_COMPAT_KEEP=1. restart() keeps the data and the port, as an operator's restart does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, openSync, closeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const KAFKA_VERSION = '3.9.2';

export type Target = 'kafka' | 'samsa';

export function compatTarget(): Target {
  const t = process.env['SAMSA_COMPAT_TARGET'] ?? 'samsa';
  if (t !== 'kafka' && t !== 'samsa') throw new Error(`SAMSA_COMPAT_TARGET must be kafka or samsa, not ${t}`);
  return t;
}

export interface BrokerOptions {
  /** Broker config (Kafka's key names), on top of the defaults below. */
  overrides?: Record<string, string | number | boolean>;
  /**
   * The Apache Kafka version run when SAMSA_COMPAT_TARGET=kafka (default KAFKA_VERSION): tests of
   * features Kafka 3.9 lacks or keeps off by default (KIP-848's consumer protocol) prove themselves
   * against 4.1.2. Ignored for Samsa.
   */
  kafkaVersion?: string;
}

export interface Broker {
  readonly target: Target;
  /** host:port of the PLAINTEXT listener, always on 127.0.0.1. */
  readonly bootstrap: string;
  readonly port: number;
  /** The broker's node id (for broker config resources): 1 on both targets. */
  readonly brokerId: number;
  /** Temp dir holding server.properties, data/ and the broker's own output. */
  readonly logDir: string;
  /** Stops the broker (controlled shutdown) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the broker and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** The last lines of the broker's output, for failure messages. */
  tail(lines?: number): string;
}

/**
 * Config every compat broker gets. Each key is a Kafka broker config that Samsa must accept.
 * group.initial.rebalance.delay.ms=0 spares group-consumer tests Kafka's 3 s join delay.
 */
const DEFAULTS: Record<string, string> = {
  'num.partitions': '1',
  'group.initial.rebalance.delay.ms': '0',
};

/** scripts/kafka-kraft.sh runs Kafka as node.id=1; Samsa is given broker.id=1 to match. */
const BROKER_ID = 1;

export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const overrides: Record<string, string> = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options.overrides ?? {})) overrides[k] = String(v);
  const target = compatTarget();
  const dir = mkdtempSync(join(tmpdir(), `samsa-compat-${target}-`));
  const port = await freePort();
  const impl =
    target === 'kafka'
      ? new KafkaProcess(dir, port, overrides, options.kafkaVersion ?? KAFKA_VERSION)
      : new SamsaProcess(dir, port, overrides);
  live.add(impl);
  try {
    await impl.start();
  } catch (e) {
    live.delete(impl);
    await impl.stop().catch(() => undefined);
    if (process.env['SAMSA_COMPAT_KEEP'] !== '1') rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    target,
    bootstrap: `127.0.0.1:${port}`,
    port,
    brokerId: BROKER_ID,
    logDir: dir,
    restart: async () => {
      await impl.stop();
      await impl.start();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await impl.stop();
      } finally {
        live.delete(impl);
        if (process.env['SAMSA_COMPAT_KEEP'] !== '1') rmSync(dir, { recursive: true, force: true });
      }
    },
    tail: (lines = 40) => impl.tail(lines),
  };
}

interface BrokerProcess {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Synchronous last-resort kill, for process exit. */
  killNow(): void;
  tail(lines: number): string;
}

// Brokers still running when the test process exits (a crashed or interrupted run) are killed here.
const live = new Set<BrokerProcess>();
process.once('exit', () => {
  for (const b of live) b.killNow();
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const b of live) b.killNow();
    process.exit(130);
  });
}

class KafkaProcess implements BrokerProcess {
  private readonly script = join(repoRoot, 'scripts/kafka-kraft.sh');
  private controllerPort = 0;

  constructor(
    private readonly dir: string,
    private readonly port: number,
    private readonly overrides: Record<string, string>,
    private readonly version: string,
  ) {}

  async start(): Promise<void> {
    if (this.controllerPort === 0) this.controllerPort = await freePort([this.port]);
    const kv = Object.entries(this.overrides).map(([k, v]) => `${k}=${v}`);
    await run('bash', [this.script, 'start', this.version, this.dir, ...kv], {
      KAFKA_BROKER_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      KAFKA_HEAP_OPTS: process.env['KAFKA_HEAP_OPTS'] ?? '-Xmx768m -Xms256m',
    });
  }

  async stop(): Promise<void> {
    await run('bash', [this.script, 'stop', this.dir], {});
  }

  killNow(): void {
    const pidFile = join(this.dir, 'kafka.pid');
    if (!existsSync(pidFile)) return;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // already gone
    }
  }

  tail(lines: number): string {
    return tailFile(join(this.dir, 'kafka.log'), lines);
  }
}

class SamsaProcess implements BrokerProcess {
  private child: ChildProcess | undefined;
  private readonly props: string;
  private readonly log: string;

  constructor(
    private readonly dir: string,
    private readonly port: number,
    private readonly overrides: Record<string, string>,
  ) {
    this.props = join(dir, 'server.properties');
    this.log = join(dir, 'samsa.log');
    // The file a user would edit; the test's own settings go on the command line as --override.
    writeFileSync(
      this.props,
      [
        `broker.id=${BROKER_ID}`,
        `listeners=PLAINTEXT://127.0.0.1:${port}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        `log.dirs=${join(dir, 'data')}`,
        '',
      ].join('\n'),
    );
  }

  async start(): Promise<void> {
    const args = [join(repoRoot, 'bin/samsa.js'), 'server-start', this.props];
    for (const [k, v] of Object.entries(this.overrides)) args.push('--override', `${k}=${v}`);
    const out = openSync(this.log, 'a');
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    const exited = new Promise<string>((res) =>
      child.once('exit', (code, sig) => res(`samsa exited (code ${code}, signal ${sig})`)),
    );
    const up = waitForPort(this.port, () => child.exitCode === null && child.signalCode === null);
    const outcome = await Promise.race([up.then(() => 'up'), exited]);
    if (outcome !== 'up') {
      throw new Error(`${outcome} before listening on 127.0.0.1:${this.port}; last output:\n${this.tail(40)}`);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill('SIGTERM');
    // A controlled shutdown; SIGKILL only if the broker is still there after a bounded wait.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  }

  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  tail(lines: number): string {
    return tailFile(this.log, lines);
  }
}

/** A port the kernel just handed out on 127.0.0.1 (and released), not one of `avoid`. */
export async function freePort(avoid: number[] = []): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((res, rej) => {
      const srv = createServer();
      srv.once('error', rej);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => res(p));
      });
    });
    if (!avoid.includes(port)) return port;
  }
}

/** Resolves once 127.0.0.1:port accepts a connection; rejects when alive() turns false. */
export async function waitForPort(port: number, alive: () => boolean): Promise<void> {
  for (;;) {
    if (!alive()) throw new Error(`process died before 127.0.0.1:${port} accepted connections`);
    const ok = await new Promise<boolean>((res) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', rej);
    child.once('exit', (code) =>
      code === 0 ? res() : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

function tailFile(path: string, lines: number): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
}
