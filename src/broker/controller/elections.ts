/**
 * The controller's leader elections and ISR changes, as pure functions (Kafka's
 * PartitionLeaderElectionAlgorithms and the ISR arithmetic of its Partition/ReplicaStateMachine).
 *
 * Inputs: a partition's assignment (replica order = preference order; the first is the preferred
 * leader), its current leader/epoch/ISR, and `live`, the brokers that may hold a replica: registered
 * and not shutting down. An election returns the new state with the leader epoch bumped by one, or null
 * when no leader can be elected (the caller leaves the partition as it is: Kafka's failed election).
 */

/** A partition's leadership as written in its state znode; leader -1 means none. */
export interface LeaderAndIsr {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
}

export const NO_LEADER = -1;

/** NewPartition → OnlinePartition: the first live replica leads, the live replicas are the ISR, epoch 0. */
export function initialLeaderAndIsr(assignment: readonly number[], live: ReadonlySet<number>): LeaderAndIsr | null {
  const isr = assignment.filter((id) => live.has(id));
  const leader = isr[0];
  return leader === undefined ? null : { leader, leaderEpoch: 0, isr };
}

/**
 * OfflinePartition → OnlinePartition: the first replica (assignment order) that is live and in the ISR;
 * none and `uncleanAllowed`: the first live replica, alone in the ISR (may lose data). The ISR keeps its
 * live members when the leader came from it.
 */
export function offlinePartitionElection(
  assignment: readonly number[],
  current: LeaderAndIsr,
  live: ReadonlySet<number>,
  uncleanAllowed: boolean,
): LeaderAndIsr | null {
  const clean = assignment.find((id) => live.has(id) && current.isr.includes(id));
  if (clean !== undefined)
    return { leader: clean, leaderEpoch: current.leaderEpoch + 1, isr: current.isr.filter((id) => live.has(id)) };
  if (!uncleanAllowed) return null;
  const unclean = assignment.find((id) => live.has(id));
  return unclean === undefined ? null : { leader: unclean, leaderEpoch: current.leaderEpoch + 1, isr: [unclean] };
}

/**
 * Controlled shutdown: the first replica that is live, in the ISR and not shutting down leads; the
 * shutting-down brokers leave the ISR. (`live` already excludes them; `shuttingDown` is named apart
 * because it is also removed from the ISR.)
 */
export function controlledShutdownElection(
  assignment: readonly number[],
  current: LeaderAndIsr,
  live: ReadonlySet<number>,
  shuttingDown: ReadonlySet<number>,
): LeaderAndIsr | null {
  const leader = assignment.find((id) => live.has(id) && !shuttingDown.has(id) && current.isr.includes(id));
  if (leader === undefined) return null;
  return { leader, leaderEpoch: current.leaderEpoch + 1, isr: current.isr.filter((id) => !shuttingDown.has(id)) };
}

/** Preferred replica election: the first assigned replica, if it is live and in the ISR; the ISR stays. */
export function preferredReplicaElection(
  assignment: readonly number[],
  current: LeaderAndIsr,
  live: ReadonlySet<number>,
): LeaderAndIsr | null {
  const preferred = assignment[0];
  if (preferred === undefined || !live.has(preferred) || !current.isr.includes(preferred)) return null;
  return { leader: preferred, leaderEpoch: current.leaderEpoch + 1, isr: current.isr };
}

/**
 * Kafka's ReplicaStateMachine removeReplicasFromIsr (OfflineReplica), one replica after another: a
 * removed leader leaves no leader (-1); the last ISR member is never removed, so a partition whose
 * ISR is all gone keeps `leader -1, isr [last]` (that replica is the only one known to have every
 * committed record). null when none of `replicas` is in the ISR; otherwise the epoch is bumped once.
 */
export function removeReplicasFromIsr(current: LeaderAndIsr, replicas: Iterable<number>): LeaderAndIsr | null {
  let { leader, isr } = current;
  let changed = false;
  for (const id of replicas) {
    if (!isr.includes(id)) continue;
    changed = true;
    if (leader === id) leader = NO_LEADER;
    if (isr.length > 1) isr = isr.filter((r) => r !== id);
  }
  return changed ? { leader, leaderEpoch: current.leaderEpoch + 1, isr } : null;
}

/**
 * leader.imbalance.per.broker.percentage: per preferred leader broker, the share (percent) of the
 * partitions it should lead that another broker leads. Kafka's checkAndTriggerAutoLeaderRebalance.
 */
export function leaderImbalance(
  partitions: Iterable<{ readonly assignment: readonly number[]; readonly leader: number }>,
): Map<number, number> {
  const total = new Map<number, number>();
  const notLed = new Map<number, number>();
  for (const p of partitions) {
    const preferred = p.assignment[0];
    if (preferred === undefined) continue;
    total.set(preferred, (total.get(preferred) ?? 0) + 1);
    if (p.leader !== preferred) notLed.set(preferred, (notLed.get(preferred) ?? 0) + 1);
  }
  const ratio = new Map<number, number>();
  for (const [broker, n] of total) ratio.set(broker, ((notLed.get(broker) ?? 0) * 100) / n);
  return ratio;
}
