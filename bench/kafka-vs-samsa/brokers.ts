import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * The two brokers of the side-by-side benchmark as child processes with known pids, so their memory
 * and CPU can be read from /proc, and with the spawn time recorded, for start-to-first-produce.
 *
 * Apache Kafka: KRaft combined mode (broker + controller, one node) from the Maven jars of
 * scripts/kafka-dist.sh, with the settings of its stock config/kraft/server.properties and only the
 * ports and dirs changed, and the JVM options of its own bin/ scripts (kafka-server-start.sh's heap,
 * kafka-run-class.sh's GC flags). The storage format runs before the timed start, as an operator does
 * it once.
 *
 * Samsa: `node bin/samsa.js server-start` (dist/bundle when built, else dist/cli) with the equivalent
 * settings Samsa has: one partition per new topic, 1 GiB segments, 7 days retention, 100 MiB requests.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KAFKA_VERSION = '3.9.2';
const run = promisify(execFile);

/** The JVM options Kafka's scripts give the broker: KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS. */
const KAFKA_JVM_OPTS = [
  '-Xmx1G',
  '-Xms1G',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

/** config/kraft/server.properties of Kafka 3.9, comments dropped; ports and dirs are filled in. */
function kafkaStockConfig(port: number, controllerPort: number, logDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'inter.broker.listener.name=PLAINTEXT',
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    'num.network.threads=3',
    'num.io.threads=8',
    'socket.send.buffer.bytes=102400',
    'socket.receive.buffer.bytes=102400',
    'socket.request.max.bytes=104857600',
    `log.dirs=${logDir}`,
    'num.partitions=1',
    'num.recovery.threads.per.data.dir=1',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'log.retention.hours=168',
    'log.segment.bytes=1073741824',
    'log.retention.check.interval.ms=300000',
    '',
  ].join('\n');
}

/** The Samsa equivalents of the stock Kafka settings above (Samsa's names are Kafka's). */
function samsaConfig(port: number, logDir: string): string {
  return [
    'broker.id=1',
    `listeners=PLAINTEXT://127.0.0.1:${port}`,
    `log.dirs=${logDir}`,
    'socket.request.max.bytes=104857600',
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'log.retention.hours=168',
    'log.segment.bytes=1073741824',
    'log.retention.check.interval.ms=300000',
    '',
  ].join('\n');
}

export type BrokerKind = 'kafka' | 'samsa';

export interface BrokerOptions {
  /** Extra node flags for Samsa (e.g. --cpu-prof); ignored for Kafka. */
  readonly nodeArgs?: readonly string[];
  /**
   * Samsa only: run the tsc output (dist/cli/) rather than bin/samsa.js (which prefers dist/bundle/),
   * so that a CPU profile names source files.
   */
  readonly compiled?: boolean;
  /** Samsa only: run the TypeScript sources through tsx (src/cli/dev-entry.ts), no build needed. */
  readonly source?: boolean;
  /** Samsa only: more `key=value` lines for its server.properties (e.g. samsa.fetch.zero.copy=read). */
  readonly extraConfig?: readonly string[];
}

export class BrokerUnderTest {
  private exited: Promise<void>;

  private constructor(
    readonly kind: BrokerKind,
    readonly child: ChildProcess,
    readonly port: number,
    readonly dir: string,
    /** performance.now() at spawn. */
    readonly spawnedAt: number,
  ) {
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(kind: BrokerKind, options: BrokerOptions = {}): Promise<BrokerUnderTest> {
    const dir = mkdtempSync(join(tmpdir(), `compare-${kind}-`));
    const port = await freePort();
    const data = join(dir, 'data');
    const props = join(dir, 'server.properties');
    let command: string;
    let args: string[];
    if (kind === 'kafka') {
      const controllerPort = await freePort();
      const libs = kafkaLibs();
      writeFileSync(props, kafkaStockConfig(port, controllerPort, data));
      writeFileSync(join(dir, 'log4j.properties'), LOG4J);
      const jvm = [
        ...KAFKA_JVM_OPTS,
        `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
        '-cp',
        `${libs}/*`,
      ];
      await run('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', 'c2Ftc2EtYmVuY2gtY21wYQ', '-c', props]);
      command = 'java';
      args = [...jvm, `-Dkafka.logs.dir=${join(dir, 'logs')}`, 'kafka.Kafka', props];
    } else {
      mkdirSync(data);
      writeFileSync(props, samsaConfig(port, data) + (options.extraConfig ?? []).map((l) => `${l}\n`).join(''));
      command = process.execPath;
      let entry = join(ROOT, 'bin/samsa.js');
      if (options.source === true) entry = join(ROOT, 'src/cli/dev-entry.ts');
      else if (options.compiled === true) {
        entry = join(dir, 'samsa-compiled.mjs');
        const main = pathToFileURL(join(ROOT, 'dist/cli/main.js')).href;
        writeFileSync(
          entry,
          `const { main } = await import('${main}');\nprocess.exitCode = await main(process.argv.slice(2));\n`,
        );
      }
      // The broker runs in its temp dir, so tsx is named by path, not resolved from there.
      const tsx =
        options.source === true ? ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href] : [];
      args = [...tsx, ...(options.nodeArgs ?? []), entry, 'server-start', props];
    }
    const spawnedAt = performance.now();
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
    const broker = new BrokerUnderTest(kind, child, port, dir, spawnedAt);
    for (let i = 0; !(await canConnect(port)); i++) {
      if (child.exitCode !== null || i > 30_000) throw new Error(`${kind} did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return broker;
  }

  /** VmRSS of the broker process, bytes. */
  rssBytes(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  }

  /** User + system CPU seconds of the broker process (all its threads) so far. */
  cpuSeconds(): number {
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /**
   * Seconds the broker's threads spent runnable but waiting for a CPU (field 2 of each
   * /proc/<pid>/task/<tid>/schedstat, summed; threads that exited meanwhile are not counted).
   */
  runQueueWaitSeconds(): number {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${this.pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${this.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
      } catch {
        // the thread exited
      }
    }
    return ns / 1e9;
  }

  /** SIGTERM (both shut down cleanly on it), wait, remove the dir. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    await this.exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const LOG4J = [
  'log4j.rootLogger=WARN, stderr',
  'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stderr.Target=System.err',
  'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
  '',
].join('\n');

let libsDir: string | null = null;

/** The jars of Kafka KAFKA_VERSION (resolved once by scripts/kafka-dist.sh, cached under .cache/). */
export function kafkaLibs(): string {
  libsDir ??= execFileSync(join(ROOT, 'scripts/kafka-dist.sh'), [KAFKA_VERSION], { encoding: 'utf8' }).trim();
  return libsDir;
}

export function freePort(): Promise<number> {
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
