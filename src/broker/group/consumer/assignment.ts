/**
 * Partition sets of KIP-848 consumer groups: topic id → partition indexes. An Assignment never holds
 * an empty set for a topic (helpers drop them), so two equal assignments have the same keys.
 */
import type { TopicPartitionsRecord } from './records.js';

export type Assignment = ReadonlyMap<string, ReadonlySet<number>>;

export const EMPTY_ASSIGNMENT: Assignment = new Map();

export function assignmentOf(entries: Iterable<readonly [string, Iterable<number>]>): Assignment {
  const out = new Map<string, Set<number>>();
  for (const [topicId, partitions] of entries) {
    const set = new Set(partitions);
    if (set.size > 0) out.set(topicId, set);
  }
  return out;
}

export function fromRecord(r: readonly TopicPartitionsRecord[] | null | undefined): Assignment {
  return assignmentOf((r ?? []).map((t) => [t.topicId, t.partitions] as const));
}

export function toRecord(a: Assignment): TopicPartitionsRecord[] {
  return [...a].map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((x, y) => x - y) }));
}

export function assignmentEquals(a: Assignment, b: Assignment): boolean {
  if (a.size !== b.size) return false;
  for (const [t, ps] of a) {
    const other = b.get(t);
    if (other === undefined || other.size !== ps.size) return false;
    for (const p of ps) if (!other.has(p)) return false;
  }
  return true;
}

/** Partitions in `a` and in `b`. */
export function intersect(a: Assignment, b: Assignment): Assignment {
  return assignmentOf([...a].map(([t, ps]) => [t, [...ps].filter((p) => b.get(t)?.has(p) === true)] as const));
}

/** Partitions in `a` and not in `b`. */
export function subtract(a: Assignment, b: Assignment): Assignment {
  return assignmentOf([...a].map(([t, ps]) => [t, [...ps].filter((p) => b.get(t)?.has(p) !== true)] as const));
}

export function union(a: Assignment, b: Assignment): Assignment {
  const out = new Map<string, Set<number>>();
  for (const x of [a, b])
    for (const [t, ps] of x) for (const p of ps) (out.get(t) ?? out.set(t, new Set()).get(t)!).add(p);
  return out;
}

export function isEmpty(a: Assignment): boolean {
  return a.size === 0;
}

export function partitionCount(a: Assignment): number {
  let n = 0;
  for (const ps of a.values()) n += ps.size;
  return n;
}
