// Runs a Python client driver (compat-tests/<client>/driver.py) as a child process: one command per run,
// arguments as one JSON argv, one JSON object back on stdout. Record data goes through JSON-lines files.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './broker.js';

/** Debian's interpreter, which has python3-kafka (kafka-python 2.0.2). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** The venv of scripts/setup-compat.sh, with the newest kafka-python and confluent-kafka from PyPI. */
export const VENV_PYTHON = join(repoRoot, '.cache/venv/bin/python');

export function runDriver<T = Record<string, unknown>>(
  python: string,
  script: string,
  cmd: string,
  args: object,
  timeoutMs = 300_000,
): Promise<T> {
  if (!existsSync(python)) return Promise.reject(new Error(`${python} is missing: run scripts/setup-compat.sh`));
  return new Promise((res, rej) => {
    const child = spawn(python, [script, cmd, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', rej);
    // A guard against a hung client, not a timing assertion: the run fails with the driver's output.
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(guard);
      if (code !== 0) return rej(new Error(`${python} ${script} ${cmd} exited ${code}:\n${err.slice(-4000)}`));
      try {
        res(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch {
        rej(new Error(`${cmd}: no JSON result on stdout:\n${out.slice(-2000)}\n${err.slice(-2000)}`));
      }
    });
  });
}
