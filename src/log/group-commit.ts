/**
 * Group commit for one log's flushes: at most one flush in flight and one queued behind it. Every
 * request made while a flush runs shares the queued one, which starts when the running one settles
 * (fulfilled or rejected) and so covers everything appended before it started.
 *
 * `begin` starts a flush and returns its promise, or null when there is nothing to flush (the request
 * then resolves at once). The owner (PartitionLog) keeps the state a flush changes; this class only
 * orders the flushes.
 */
export class GroupCommit {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly begin: () => Promise<void> | null) {}

  /** A flush covering everything appended so far: the queued one, a new queued one, or a new one. */
  request(): Promise<void> {
    if (this.queued !== null) return this.queued;
    if (this.running !== null) {
      const queued = this.running.then(
        () => this.start(),
        () => this.start(),
      );
      this.queued = queued;
      return queued;
    }
    return this.start();
  }

  private start(): Promise<void> {
    this.queued = null;
    const flush = this.begin();
    if (flush === null) return Promise.resolve();
    const run = flush.finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}
