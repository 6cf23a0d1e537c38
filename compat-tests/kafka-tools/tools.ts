// Runs the wrappers in bin/ (the scripts of a Kafka download, for KAFKA_VERSION) and the Java client
// check in java/, collecting stdout, stderr and the exit status.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../harness/broker.js';

/** The Kafka releases whose tools and Java clients the suite runs. */
export const TOOL_VERSIONS = ['3.9.2', '4.1.2'] as const;
export type ToolVersion = (typeof TOOL_VERSIONS)[number];

export const binDir = join(repoRoot, 'compat-tests/kafka-tools/bin');

export interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the tool's stdin, which is then closed. */
  input?: string;
  /** Killed (SIGKILL) after this many ms; default 120 s. */
  timeoutMs?: number;
  /** Added to this process's environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  /** Working directory; default the repository root. */
  cwd?: string;
}

/** Runs `bin/<tool>.sh args...` with KAFKA_VERSION=version. */
export function runTool(version: string, tool: string, args: string[], opts: RunOptions = {}): Promise<ToolResult> {
  return runCommand(join(binDir, `${tool}.sh`), args, { ...opts, env: { KAFKA_VERSION: version, ...opts.env } });
}

export function runCommand(cmd: string, args: string[], opts: RunOptions = {}): Promise<ToolResult> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      res({ status, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Throws with the tool's own output unless it exited 0. */
export function ok(r: ToolResult, what: string): ToolResult {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

/** Lines of stderr that are not the JVM's or log4j's harmless chatter: warnings and errors a tool printed. */
export function problems(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /\b(ERROR|Exception)\b/.test(l));
}

/** The libs dir of Kafka `version` (scripts/kafka-dist.sh, cached under .cache/kafka). */
export function kafkaLibs(version: string): string {
  return execFileSync('bash', [join(repoRoot, 'scripts/kafka-dist.sh'), version], { encoding: 'utf8' }).trim();
}

export function javaHome(): string {
  const jdk17 = '/usr/lib/jvm/java-17-openjdk-amd64';
  return process.env['KAFKA_JAVA_HOME'] ?? (existsSync(jdk17) ? jdk17 : (process.env['JAVA_HOME'] ?? ''));
}

export const javaBin = (tool: string): string => (javaHome() ? join(javaHome(), 'bin', tool) : tool);

/**
 * Compiles `source` (one Java file, its public class named as the file) against the jars in `libs` into
 * `out`, unless the class file there is newer than the source (a build artefact, never committed).
 */
export function compileJava(source: string, libs: string, out: string): void {
  const cls = join(out, basename(source).replace(/\.java$/, '.class'));
  if (existsSync(cls) && statSync(cls).mtimeMs >= statSync(source).mtimeMs) return;
  mkdirSync(out, { recursive: true });
  execFileSync(javaBin('javac'), ['-nowarn', '-cp', `${libs}/*`, '-d', out, source], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * Compiles java/ClientsCheck.java against Kafka `version`'s jars into .cache/kafka-java/<version>
 * (a build artefact, never committed) and returns a runner for its scenarios.
 */
export function compileClientsCheck(version: string): (args: string[], timeoutMs?: number) => Promise<ToolResult> {
  const libs = kafkaLibs(version);
  const out = join(repoRoot, '.cache/kafka-java', version);
  mkdirSync(out, { recursive: true });
  const src = join(repoRoot, 'compat-tests/kafka-tools/java');
  const sources = readdirSync(src)
    .filter((n) => n.endsWith('.java'))
    .map((n) => join(src, n));
  execFileSync(javaBin('javac'), ['-nowarn', '-cp', `${libs}/*`, '-d', out, ...sources], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const major = Number(version.split('.')[0]);
  const dist = join(libs, '..');
  const log =
    major >= 4
      ? `-Dlog4j2.configurationFile=file:${join(dist, 'log4j2.yaml')}`
      : `-Dlog4j.configuration=file:${join(dist, 'log4j.properties')}`;
  return (args, timeoutMs) =>
    runCommand(
      javaBin('java'),
      ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', log, '-cp', `${out}:${libs}/*`, 'ClientsCheck', ...args],
      {
        timeoutMs,
      },
    );
}
