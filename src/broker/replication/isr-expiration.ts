/**
 * The ISR shrink check (Kafka's isr-expiration task): every replica.lag.time.max.ms / 2, each partition
 * this broker leads removes from its ISR the followers that have not caught up within
 * replica.lag.time.max.ms (Partition.maybeShrinkIsr). So a follower is out of the ISR between lag and
 * 1.5 × lag after it stopped keeping up. The timer is unref'd so it never keeps the process alive.
 */

/** What the task needs of a partition. */
export interface IsrShrinkable {
  readonly isLeader: boolean;
  maybeShrinkIsr(nowMs: number): Promise<void> | void;
}

export function scheduleIsrExpiration(
  partitions: () => Iterable<IsrShrinkable>,
  replicaLagTimeMaxMs: number,
  now: () => number = Date.now,
): () => void {
  const timer = setInterval(
    () => {
      const t = now();
      for (const p of partitions()) if (p.isLeader) void p.maybeShrinkIsr(t);
    },
    Math.max(1, Math.floor(replicaLagTimeMaxMs / 2)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
