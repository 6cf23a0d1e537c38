/**
 * The coordinator's clock and timers. All group timers (delayed joins, heartbeat and pending-sync
 * expirations, offset expiration) go through one Scheduler so tests can drive them with a manual
 * clock instead of sleeping.
 *
 * Invariants: a task runs at most once, never before its deadline, and never after `cancel()`; tasks
 * with equal deadlines run in the order they were scheduled.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  schedule(delayMs: number, task: () => void): TimerHandle;
}

/** Real time: setTimeout, unref'd so a pending group timer never keeps the process alive. */
export class SystemScheduler implements Scheduler {
  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, task: () => void): TimerHandle {
    // setTimeout's limit is 2^31-1 ms; longer delays (offsets.retention.minutes) are clamped.
    const timer = setTimeout(task, Math.min(Math.max(0, delayMs), 0x7fffffff));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}

interface ManualTask {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** A fake clock for tests: time moves only by `advance`, which runs every task that falls due. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private tasks: ManualTask[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): TimerHandle {
    const t: ManualTask = { at: this.time + Math.max(0, delayMs), seq: this.seq++, run: task, cancelled: false };
    this.tasks.push(t);
    return {
      cancel: () => {
        t.cancelled = true;
      },
    };
  }

  /** Moves the clock forward by `ms`, running due tasks in deadline order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      this.tasks = this.tasks.filter((t) => !t.cancelled);
      let next: ManualTask | undefined;
      for (const t of this.tasks) {
        if (t.at <= target && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq)))
          next = t;
      }
      if (next === undefined) break;
      this.time = Math.max(this.time, next.at);
      next.cancelled = true;
      next.run();
    }
    this.time = target;
  }

  /** Tasks still waiting. */
  get pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }
}
