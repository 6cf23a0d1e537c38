/**
 * The main thread's handle on the cleaner's worker thread (node:worker_threads): one task at a time,
 * each answered by a CleanerReply. The worker is started on first use, unref'd (it never keeps the
 * process alive) and restarted after it dies.
 *
 * The worker module is resolved next to this one with this module's own extension: `.js` when running
 * from dist/ (compiled), `.ts` when running from src/ under tsx or vitest. For `.ts` the worker is
 * bootstrapped by a one-line ESM snippet that registers tsx's loader in the worker and then imports
 * the module (tsx is a devDependency, so only source runs need it).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CleanResult, CleanTask } from './clean-task.js';

export interface CleanerReply {
  readonly id: number;
  readonly result: CleanResult | null;
  readonly error: string | null;
}

/** Where the worker module is, and whether it needs the TypeScript loader. */
export function workerEntry(moduleUrl: string): { readonly url: URL; readonly typescript: boolean } {
  const typescript = /\.[cm]?ts$/.test(new URL(moduleUrl).pathname);
  return { url: new URL(`./cleaner-worker.${typescript ? 'ts' : 'js'}`, moduleUrl), typescript };
}

/** The file URL of tsx's ESM API (`tsx/esm/api`, import condition), found from `moduleUrl`. */
function tsxEsmApi(moduleUrl: string): string {
  const pkgPath = createRequire(moduleUrl).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = pkg.exports?.['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (file === undefined) throw new Error(`${pkgPath} has no ESM export ./esm/api`);
  return pathToFileURL(path.join(path.dirname(pkgPath), file)).href;
}

function startWorker(moduleUrl: string): Worker {
  const entry = workerEntry(moduleUrl);
  if (!entry.typescript) return new Worker(entry.url);
  const tsxApi = tsxEsmApi(moduleUrl);
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then(async (api) => {` +
    ` api.register(); await import(${JSON.stringify(entry.url.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}

export class CleanerThread {
  private worker: Worker | null = null;
  private pending: { id: number; resolve: (r: CleanResult) => void; reject: (e: Error) => void } | null = null;
  private nextId = 1;

  constructor(private readonly moduleUrl: string = import.meta.url) {}

  /** Runs `task` (its id is assigned here) in the worker. One at a time. */
  run(task: Omit<CleanTask, 'id'>): Promise<CleanResult> {
    if (this.pending !== null) return Promise.reject(new Error('cleaner thread is busy'));
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<CleanResult>((resolve, reject) => {
      this.pending = { id, resolve, reject };
      worker.ref();
      worker.postMessage({ ...task, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startWorker(this.moduleUrl);
    worker.unref();
    worker.on('message', (reply: CleanerReply) => {
      const p = this.pending;
      if (p === null || p.id !== reply.id) return;
      this.pending = null;
      worker.unref();
      if (reply.result !== null) p.resolve(reply.result);
      else p.reject(new Error(reply.error ?? 'cleaner worker failed'));
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = null;
      const p = this.pending;
      this.pending = null;
      p?.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`cleaner worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Stops the worker (a task in flight fails). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }
}
