/**
 * Delayed operations (Kafka's DelayedOperationPurgatory): requests that wait for something to happen
 * on some partitions (data for a long-polling fetch, replication for an acks=all produce) or for their
 * timeout, whichever comes first.
 *
 * Invariants: an operation completes exactly once, either from `checkAndComplete` of a key it watches
 * or from its timer, and is then forgotten by every key; `tryComplete` runs synchronously on the
 * event loop, so the partition state it reads cannot change under it.
 */
export interface DelayedOperation {
  /** Completes the operation if its condition holds now; returns whether it did. */
  tryComplete(): boolean;
  /** Completes the operation because its time ran out. */
  onExpiration(): void;
}

interface Entry {
  readonly op: DelayedOperation;
  readonly keys: readonly string[];
  timer: NodeJS.Timeout | null;
  done: boolean;
}

export class Purgatory {
  private readonly watchers = new Map<string, Set<Entry>>();
  private readonly pending = new Set<Entry>();

  get size(): number {
    return this.pending.size;
  }

  /**
   * Completes `op` now if it can; otherwise parks it on `keys` until one of them is checked and it
   * completes, or `timeoutMs` passes.
   */
  tryCompleteElseWatch(op: DelayedOperation, keys: readonly string[], timeoutMs: number): void {
    if (op.tryComplete()) return;
    const entry: Entry = { op, keys, timer: null, done: false };
    entry.timer = setTimeout(() => {
      if (this.finish(entry)) op.onExpiration();
    }, timeoutMs);
    this.pending.add(entry);
    for (const key of keys) {
      let set = this.watchers.get(key);
      if (!set) this.watchers.set(key, (set = new Set()));
      set.add(entry);
    }
  }

  /** Tries every operation watching `key`; returns how many completed. */
  checkAndComplete(key: string): number {
    const set = this.watchers.get(key);
    if (!set) return 0;
    let completed = 0;
    for (const entry of [...set]) {
      if (entry.done) continue;
      if (entry.op.tryComplete()) {
        this.finish(entry);
        completed++;
      }
    }
    return completed;
  }

  /** Expires every pending operation now (shutdown): each answers with what it has. */
  expireAll(): void {
    for (const entry of [...this.pending]) {
      if (this.finish(entry)) entry.op.onExpiration();
    }
  }

  private finish(entry: Entry): boolean {
    if (entry.done) return false;
    entry.done = true;
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(entry);
    for (const key of entry.keys) {
      const set = this.watchers.get(key);
      set?.delete(entry);
      if (set?.size === 0) this.watchers.delete(key);
    }
    return true;
  }
}
