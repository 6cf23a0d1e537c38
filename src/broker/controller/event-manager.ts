/**
 * Kafka's ControllerEventManager: one queue, one consumer. Every controller event (a watch firing, a
 * ControlledShutdown request, the election itself) is processed to its end before the next starts,
 * so the controller's state has a single writer even though events await ZooKeeper and sockets.
 * A failing event is logged and does not stop the queue; `put` returns the event's own outcome.
 * A posted event (a watch firing) that fails is queued again after POST_RETRY_MS, up to
 * POST_RETRIES times: such events re-read ZooKeeper, so a run lost to a connection loss (during a
 * ZooKeeper restart, say) would otherwise leave its change unseen and its watch unset.
 */
const POST_RETRY_MS = 1000;
const POST_RETRIES = 60;

import type { Logger } from '../logger.js';

export class ControllerEventManager {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private pending = 0;

  constructor(private readonly log: Logger) {}

  /** Queues `process`; resolves or rejects with its result once it has run. */
  put<T>(name: string, process: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`controller event queue closed (event ${name})`));
    this.pending++;
    const run = this.tail.then(async () => {
      try {
        return await process();
      } finally {
        this.pending--;
      }
    });
    this.tail = run.catch((err: unknown) =>
      this.log.error(`Error processing controller event ${name}: ${String(err)}`),
    );
    return run;
  }

  /** Queues an event whose outcome nobody waits for (a watch); retried while it fails. */
  post(name: string, process: () => Promise<void>, retriesLeft = POST_RETRIES): void {
    this.put(name, process).catch(() => {
      if (this.closed || retriesLeft <= 0) return;
      setTimeout(() => {
        if (!this.closed) this.post(name, process, retriesLeft - 1);
      }, POST_RETRY_MS).unref();
    });
  }

  get queueSize(): number {
    return this.pending;
  }

  /** Stops taking events and waits for the one running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail.catch(() => {});
  }
}
