// Samsa brokers as real processes against one real ZooKeeper, started the way a user starts them:
// `scripts/samsa-server-start.sh <server.properties> --override k=v ...` (which execs `node bin/samsa.js
// server-start`, so the child's pid is the broker's; `kill -9` and SIGTERM reach the broker itself).
// Each broker keeps its log dir in the cluster's temp dir across restarts.
//
//   SAMSA_CLUSTER_ENTRY=dist (default)  the scripts over the built dist/ (what CI runs after `npm run build`)
//   SAMSA_CLUSTER_ENTRY=source          `node --import tsx src/cli/dev-entry.ts` (no build; for development)
//
// The samsa tools (topics, console-producer, console-consumer) run the same way: scripts/samsa-<tool>.sh.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, type MetadataResponse } from '../../../src/client/cluster.js';
import { DEFAULT_SETTINGS } from '../../../src/client/connection.js';
import { freePort, repoRoot, waitForPort } from '../../harness/broker.js';
import { track, untrack } from './processes.js';
import { ZooKeeper } from './zookeeper.js';

const SOURCE = process.env['SAMSA_CLUSTER_ENTRY'] === 'source';

/** The command line running `samsa <tool> args...` (the script of that tool, or the sources). */
export function samsaCommand(tool: string, args: readonly string[]): [string, string[]] {
  if (SOURCE) return [process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/dev-entry.ts'), tool, ...args]];
  return ['bash', [join(repoRoot, `scripts/samsa-${tool}.sh`), ...args]];
}

export interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a samsa tool to completion (SIGKILL after timeoutMs), stdin from `input`. */
export function samsa(tool: string, args: readonly string[], input = '', timeoutMs = 60_000): Promise<ToolResult> {
  const [cmd, argv] = samsaCommand(tool, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    track(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

export interface BrokerSpec {
  readonly id: number;
  /** A properties file to start from (config/server-1.properties); else one is written with `listeners`. */
  readonly propertiesFile?: string;
  /** The port clients use (the listener's, or a proxy's in front of it). */
  readonly port: number;
  /** Broker config on top of the file, as --override (log.dir and zookeeper.connect are added). */
  readonly overrides?: Record<string, string | number | boolean>;
}

export class ClusterBroker {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly id: number,
    /** Where the broker listens (a proxy may sit in front: see `advertisedPort`). */
    readonly port: number,
    readonly advertisedPort: number,
    private readonly properties: string,
    private readonly overrides: Record<string, string>,
    readonly dir: string,
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until its listener accepts connections. */
  async start(): Promise<void> {
    if (this.alive) throw new Error(`broker ${this.id} is already running`);
    const args = [this.properties];
    for (const [k, v] of Object.entries(this.overrides)) args.push('--override', `${k}=${v}`);
    const [cmd, argv] = samsaCommand('server-start', args);
    const logFile = join(this.dir, 'samsa.out');
    const out = openSync(logFile, 'a');
    writeFileSync(out, `\n==== start ${new Date().toISOString()}: ${argv.join(' ')}\n`);
    const logStart = statSync(logFile).size;
    const child = spawn(cmd, argv, { cwd: repoRoot, stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    track(child);
    this.exited = new Promise((r) => child.once('exit', () => r()));
    await waitForPort(this.port, () => this.alive).catch((err: unknown) => {
      throw new Error(`broker ${this.id}: ${(err as Error).message}\n${this.tail(40)}`);
    });
    // The listener opens before the broker registers in ZooKeeper, which can still fail (a previous
    // session's /brokers/ids/<id>, ZooKeeper down): started means the broker's own "started in" line.
    for (;;) {
      const text = readFileSync(logFile, 'utf8').slice(logStart);
      if (/\] started in \d+ ms/.test(text)) return;
      if (text.includes('Fatal error during startup')) {
        await this.kill();
        throw new Error(`broker ${this.id} exited during startup:\n${this.tail(40)}`);
      }
      if (!this.alive) throw new Error(`broker ${this.id} exited during startup:\n${this.tail(40)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * start(), again while the broker exits at startup, for at most `timeoutMs`: after a kill -9 and a
   * quick restart its previous session's /brokers/ids/<id> has not expired yet (Kafka too refuses to
   * start then), or ZooKeeper is down. An operator's supervisor restarts it; so does this.
   */
  async startRetrying(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.start();
        return attempt;
      } catch (err) {
        if (Date.now() > deadline || !/exited during startup/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** `kill -9`: no controlled shutdown, no flush. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child!.kill('SIGKILL');
    await this.exited;
    untrack(this.child!);
  }

  /** SIGTERM (a controlled shutdown); the exit code and how long the broker took to exit. */
  async terminate(timeoutMs = 60_000): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (child === undefined || !this.alive) return { code: child?.exitCode ?? null, ms: 0 };
    const t0 = Date.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    return { code: child.exitCode, ms: Date.now() - t0 };
  }

  tail(lines = 40): string {
    const file = join(this.dir, 'samsa.out');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
  }
}

export interface ClusterOptions {
  /** Broker ids (generated properties on free ports) or specs. */
  readonly brokers: readonly (number | BrokerSpec)[];
  /** Overrides for every broker. */
  readonly overrides?: Record<string, string | number | boolean>;
  /** A port in front of each broker (advertised), and for each broker's ZooKeeper connection: see proxy.ts. */
  readonly advertise?: (id: number, listenerPort: number) => Promise<{ port: number; zkConnect: string }>;
  readonly zookeeper?: ZooKeeper;
}

export class TestCluster {
  private constructor(
    readonly zk: ZooKeeper,
    readonly brokers: ClusterBroker[],
    readonly dir: string,
  ) {}

  static async start(options: ClusterOptions): Promise<TestCluster> {
    const zk = options.zookeeper ?? (await ZooKeeper.start());
    const dir = mkdtempSync(join(tmpdir(), 'samsa-cluster-'));
    const brokers: ClusterBroker[] = [];
    for (const b of options.brokers) {
      const spec: BrokerSpec = typeof b === 'number' ? { id: b, port: await freePort() } : b;
      const bdir = join(dir, `broker-${spec.id}`);
      mkdirSync(bdir, { recursive: true });
      const adv = options.advertise ? await options.advertise(spec.id, spec.port) : undefined;
      let props = spec.propertiesFile;
      if (props === undefined) {
        props = join(bdir, 'server.properties');
        writeFileSync(
          props,
          [
            `broker.id=${spec.id}`,
            `listeners=PLAINTEXT://127.0.0.1:${spec.port}`,
            `advertised.listeners=PLAINTEXT://127.0.0.1:${adv?.port ?? spec.port}`,
            '',
          ].join('\n'),
        );
      }
      const overrides: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...options.overrides, ...spec.overrides })) overrides[k] = String(v);
      overrides['log.dir'] = join(bdir, 'data');
      overrides['zookeeper.connect'] = adv?.zkConnect ?? zk.connect();
      brokers.push(new ClusterBroker(spec.id, spec.port, adv?.port ?? spec.port, props, overrides, bdir));
    }
    const cluster = new TestCluster(zk, brokers, dir);
    try {
      for (const b of brokers) await b.start();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  broker(id: number): ClusterBroker {
    const b = this.brokers.find((x) => x.id === id);
    if (b === undefined) throw new Error(`no broker ${id}`);
    return b;
  }

  get live(): ClusterBroker[] {
    return this.brokers.filter((b) => b.alive);
  }

  /** host:port of every live broker, as a client's bootstrap list. */
  get bootstrap(): string {
    return this.live.map((b) => `127.0.0.1:${b.advertisedPort}`).join(',');
  }

  /** Metadata from a fresh connection to one live broker (the first that answers), or null. */
  async metadata(topics: readonly string[] | null, via?: ClusterBroker): Promise<MetadataResponse | null> {
    for (const b of via ? [via] : this.live) {
      let cluster: Cluster | undefined;
      try {
        cluster = await Cluster.connect(`127.0.0.1:${b.advertisedPort}`, {
          ...DEFAULT_SETTINGS,
          clientId: 'cluster-test',
          connectTimeoutMs: 2000,
          requestTimeoutMs: 5000,
        });
        return await cluster.metadata(topics);
      } catch {
        // try the next broker
      } finally {
        cluster?.close();
      }
    }
    return null;
  }

  /** Polls `check` until it returns a value (not null/undefined/false), or fails naming `what`. */
  async waitFor<T>(
    what: string,
    check: () => Promise<T | null | undefined | false>,
    timeoutMs = 60_000,
    /** What was last seen, for the failure message. */
    seen?: () => string,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await check();
        if (v !== null && v !== undefined && v !== false) return v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n` +
            (seen ? `last seen:\n${seen()}\n` : '') +
            this.brokers.map((b) => `--- broker ${b.id} (${b.alive ? 'up' : 'down'})\n${b.tail(15)}`).join('\n'),
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Until Metadata from every live broker lists `ids` as the brokers. */
  async waitForBrokers(ids: readonly number[], timeoutMs = 60_000): Promise<void> {
    const want = [...ids].sort((a, b) => a - b).join(',');
    await this.waitFor(
      `brokers ${want} registered`,
      async () => {
        for (const b of this.live) {
          const md = await this.metadata([], b);
          const got = (md?.brokers ?? [])
            .map((x) => x.nodeId)
            .sort((a, c) => a - c)
            .join(',');
          if (got !== want) return false;
        }
        return true;
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    for (const b of this.brokers) await b.kill();
    await this.zk.stop();
    if (process.env['SAMSA_COMPAT_KEEP'] !== '1') rmSync(this.dir, { recursive: true, force: true });
  }
}
