// Compiles java/ChaosClient.java against Kafka 3.9.2's client jars (scripts/kafka-dist.sh, cached in
// .cache/kafka) into .cache/cluster-java, and runs it. Why Kafka's Java producer for the chaos test: it
// is the reference implementation of the idempotent producer, and the one most robust to broker churn
// (KIP-360 epoch bumps on UNKNOWN_PRODUCER_ID, sequence resets, retries across leader changes with
// max.in.flight 5 in order), where kafkajs needs max.in.flight 1 and gives up on several of those paths.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../harness/broker.js';
import { track } from './processes.js';
import { compileJava, javaBin, kafkaLibs, runCommand, type ToolResult } from '../../kafka-tools/tools.js';

export const CLIENT_VERSION = '3.9.2';

export function javaAvailable(): boolean {
  try {
    execFileSync(javaBin('javac'), ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let compiled: { classes: string; libs: string } | undefined;

function compile(): { classes: string; libs: string } {
  if (compiled) return compiled;
  const libs = kafkaLibs(CLIENT_VERSION);
  const classes = join(repoRoot, '.cache/cluster-java', CLIENT_VERSION);
  compileJava(join(repoRoot, 'compat-tests/cluster/java/ChaosClient.java'), libs, classes);
  compiled = { classes, libs };
  return compiled;
}

function javaArgs(args: string[]): string[] {
  const { classes, libs } = compile();
  const log4j = `-Dlog4j.configuration=file:${join(libs, '..', 'log4j.properties')}`;
  return ['-Xmx512m', '-XX:+UseSerialGC', log4j, '-cp', `${classes}:${libs}/*`, 'ChaosClient', ...args];
}

/** Runs ChaosClient to completion. */
export function chaosClient(args: string[], timeoutMs: number): Promise<ToolResult> {
  return runCommand(javaBin('java'), javaArgs(args), { timeoutMs });
}

export interface RunningProducers {
  /** Acks so far (lines starting "ack "). */
  acks(): number;
  /** Closes stdin: the producers stop sending, flush, close, and the process exits. */
  stop(timeoutMs?: number): Promise<ToolResult>;
}

/** `produce` until stop(): `producers` idempotent acks=all producers at `rate` records/s each. */
export function startProducers(bootstrap: string, topic: string, producers: number, rate: number): RunningProducers {
  const child = spawn(javaBin('java'), javaArgs(['produce', bootstrap, topic, String(producers), '-1', String(rate)]), {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  let stdout = '';
  let stderr = '';
  let acks = 0;
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    acks += (text.match(/^ack /gm) ?? []).length;
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return {
    acks: () => acks,
    async stop(timeoutMs = 180_000) {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const status = await closed;
      clearTimeout(timer);
      return { status, stdout, stderr };
    },
  };
}
