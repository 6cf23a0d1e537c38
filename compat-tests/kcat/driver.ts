// Drives Debian's kcat (librdkafka 2.0.2) as a user would, one process per command, and implements the
// file-driver commands of compat-tests/harness/file-driver.ts with it. kcat has no admin commands: topics
// are created and records deleted through kafkajs's admin client (compat-tests/kafkajs/driver.ts).
//
// Producing is line-oriented: "key<TAB>value<LF>" per record with -Z (an empty key or value is sent as
// NULL), so the dataset uses the 'text' profile. kcat cannot set per-record headers or timestamps: each
// producer process adds the same headers (-H) to all its records, and librdkafka stamps CreateTime.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import type { Combo } from '../harness/matrix.js';
import { comboName } from '../harness/matrix.js';
import type { ConsumedRecord } from '../harness/records.js';

export const KCAT = process.env['KCAT'] ?? '/usr/bin/kcat';

export interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KcatRun {
  /** Writes to kcat's stdin. */
  write(chunk: string | Buffer): Promise<void>;
  /** Closes stdin and waits for kcat to exit. */
  done(): Promise<KcatResult>;
}

/** Starts kcat; stdout goes to `stdoutFile` when given (large consumes), else is collected. */
export function kcat(args: string[], stdoutFile?: string, timeoutMs = 300_000): KcatRun {
  const child = spawn(KCAT, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // The file is complete only when its stream has finished, which can be after kcat has exited.
  const written = stdoutFile
    ? new Promise<void>((res, rej) =>
        child.stdout.pipe(createWriteStream(stdoutFile)).once('finish', res).once('error', rej),
      )
    : Promise.resolve();
  if (!stdoutFile) child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // A guard against a hung process, not a timing assertion.
  const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<KcatResult>((res, rej) => {
    child.once('error', rej);
    child.once('close', (code) => {
      clearTimeout(guard);
      written.then(() => res({ code, stdout, stderr }), rej);
    });
  });
  return {
    write: (chunk) =>
      new Promise((res, rej) => {
        child.stdin.write(chunk, (err) => (err ? rej(err) : res()));
      }),
    done: () => {
      child.stdin.end();
      return exited;
    },
  };
}

export function producerArgs(bootstrap: string, topic: string, partition: number, extra: string[] = []): string[] {
  return ['-P', '-b', bootstrap, '-t', topic, '-p', String(partition), '-K', '\\t', '-Z', ...extra];
}

export function comboArgs(c: Combo): string[] {
  const args = ['-X', `acks=${c.acks === -1 ? 'all' : c.acks}`, '-H', `combo=${comboName(c)}`, '-H', 'client=kcat'];
  if (c.codec !== 'none') args.push('-X', `compression.codec=${c.codec}`);
  return args;
}

/** One input line: kcat's -K delimiter is a tab, -Z turns an empty key or value into NULL. */
export function line(key: Buffer | null, value: Buffer | null): string {
  return `${key?.toString('latin1') ?? ''}\t${value?.toString('latin1') ?? ''}\n`;
}

// Fields are separated by tabs and records by newlines (the text profile has neither); %K and %S give
// -1 for NULL, which tells NULL from empty.
export const CONSUME_FORMAT = '%p\\t%o\\t%T\\t%K\\t%S\\t%k\\t%s\\t%h\\n';

export function parseConsumed(file: string): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  for (const l of readFileSync(file, 'latin1').split('\n')) {
    if (l === '') continue;
    const [p, o, ts, kl, vl, k, v, h] = l.split('\t');
    out.push({
      partition: Number(p),
      offset: Number(o),
      timestamp: Number(ts),
      key: kl === '-1' ? null : Buffer.from(k ?? '', 'latin1'),
      value: vl === '-1' ? null : Buffer.from(v ?? '', 'latin1'),
      headers: (h ?? '')
        .split(',')
        .filter((x) => x !== '')
        .map((kv): [string, Buffer] => {
          const i = kv.indexOf('=');
          return [kv.slice(0, i), Buffer.from(kv.slice(i + 1), 'latin1')];
        }),
    });
  }
  return out;
}

/** Parses `kcat -Q` output lines: "<topic> [<partition>] offset <n>". */
export function parseQuery(stdout: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of stdout.matchAll(/\[(\d+)\]\s+offset\s+(-?\d+)/g)) out.set(Number(m[1]), Number(m[2]));
  return out;
}
