/**
 * The server-side assignors of KIP-848 consumer groups (Kafka's `uniform` and `range`), computing a
 * group's target assignment from its members' subscriptions and the topics' partition counts.
 *
 * Both are deterministic: members are taken in member-id order. Every partition of a topic with at
 * least one subscriber is assigned to exactly one subscriber; no partition goes to a member that does
 * not subscribe to its topic.
 *
 * - `uniform`: balances the total number of partitions per member (within one, when the members'
 *   subscriptions allow it) and keeps each member's current target partitions where balance permits
 *   (sticky), as Kafka's UniformAssignor does. Kafka's rack awareness is not implemented.
 * - `range`: per topic, the subscribers in member-id order get contiguous ranges, the first
 *   `partitions % members` one partition more, so members with the same subscription get the same
 *   partition numbers of co-partitioned topics (Kafka's server RangeAssignor; it is not sticky here).
 */
import type { Assignment } from './assignment.js';

export interface AssignorMember {
  readonly memberId: string;
  /** Topic ids the member subscribes to that exist. */
  readonly subscribedTopicIds: ReadonlySet<string>;
  /** The member's current target assignment (for stickiness). */
  readonly currentTarget: Assignment;
}

export interface AssignmentSpec {
  readonly members: readonly AssignorMember[];
  /** Topic id → partition count, for every subscribed topic that exists. */
  readonly partitionCounts: ReadonlyMap<string, number>;
}

export type AssignorResult = Map<string, Map<string, Set<number>>>;

export interface PartitionAssignor {
  readonly name: string;
  assign(spec: AssignmentSpec): AssignorResult;
}

function emptyResult(spec: AssignmentSpec): AssignorResult {
  return new Map(spec.members.map((m) => [m.memberId, new Map<string, Set<number>>()]));
}

function add(result: AssignorResult, memberId: string, topicId: string, p: number): void {
  const m = result.get(memberId)!;
  let set = m.get(topicId);
  if (set === undefined) m.set(topicId, (set = new Set()));
  set.add(p);
}

function sortedMembers(spec: AssignmentSpec): AssignorMember[] {
  return [...spec.members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

export const rangeAssignor: PartitionAssignor = {
  name: 'range',
  assign(spec) {
    const result = emptyResult(spec);
    const members = sortedMembers(spec);
    for (const [topicId, count] of [...spec.partitionCounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const subscribers = members.filter((m) => m.subscribedTopicIds.has(topicId));
      if (subscribers.length === 0) continue;
      const base = Math.floor(count / subscribers.length);
      const extra = count % subscribers.length;
      let next = 0;
      subscribers.forEach((m, i) => {
        const n = base + (i < extra ? 1 : 0);
        for (let k = 0; k < n; k++) add(result, m.memberId, topicId, next++);
      });
    }
    return result;
  },
};

export const uniformAssignor: PartitionAssignor = {
  name: 'uniform',
  assign(spec) {
    const result = emptyResult(spec);
    const members = sortedMembers(spec);
    const counts = new Map(members.map((m) => [m.memberId, 0]));
    const owner = new Map<string, string>(); // "topicId:p" → member id
    const key = (t: string, p: number) => `${t}:${p}`;
    // Every partition to place, and who may take it.
    const eligible = new Map<string, AssignorMember[]>();
    for (const [topicId] of spec.partitionCounts)
      eligible.set(
        topicId,
        members.filter((m) => m.subscribedTopicIds.has(topicId)),
      );
    let total = 0;
    for (const [topicId, n] of spec.partitionCounts) if (eligible.get(topicId)!.length > 0) total += n;
    // A member keeps current target partitions up to the balanced quota (ceil of the even share).
    const quota = members.length === 0 ? 0 : Math.ceil(total / members.length);
    for (const m of members) {
      for (const [topicId, ps] of m.currentTarget) {
        const n = spec.partitionCounts.get(topicId);
        if (n === undefined || !m.subscribedTopicIds.has(topicId)) continue;
        for (const p of [...ps].sort((a, b) => a - b)) {
          if (p >= n || owner.has(key(topicId, p)) || counts.get(m.memberId)! >= quota) continue;
          owner.set(key(topicId, p), m.memberId);
          counts.set(m.memberId, counts.get(m.memberId)! + 1);
        }
      }
    }
    // The rest go, most constrained first, to the eligible member with the fewest partitions.
    const unassigned: [string, number][] = [];
    for (const [topicId, n] of spec.partitionCounts)
      for (let p = 0; p < n; p++) if (!owner.has(key(topicId, p))) unassigned.push([topicId, p]);
    unassigned.sort(
      (a, b) =>
        eligible.get(a[0])!.length - eligible.get(b[0])!.length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]),
    );
    for (const [topicId, p] of unassigned) {
      const candidates = eligible.get(topicId)!;
      if (candidates.length === 0) continue;
      let best = candidates[0]!;
      for (const c of candidates) if (counts.get(c.memberId)! < counts.get(best.memberId)!) best = c;
      owner.set(key(topicId, p), best.memberId);
      counts.set(best.memberId, counts.get(best.memberId)! + 1);
    }
    // Balance: move a partition from a member to an eligible one with at least two fewer, until none can move.
    for (let moved = true; moved;) {
      moved = false;
      for (const [k, from] of owner) {
        const topicId = k.slice(0, k.lastIndexOf(':'));
        for (const c of eligible.get(topicId)!) {
          if (counts.get(c.memberId)! + 1 < counts.get(from)!) {
            owner.set(k, c.memberId);
            counts.set(from, counts.get(from)! - 1);
            counts.set(c.memberId, counts.get(c.memberId)! + 1);
            moved = true;
            break;
          }
        }
      }
    }
    for (const [k, memberId] of owner) {
      const i = k.lastIndexOf(':');
      add(result, memberId, k.slice(0, i), Number(k.slice(i + 1)));
    }
    return result;
  },
};

export const ASSIGNORS: ReadonlyMap<string, PartitionAssignor> = new Map([
  ['uniform', uniformAssignor],
  ['range', rangeAssignor],
]);
