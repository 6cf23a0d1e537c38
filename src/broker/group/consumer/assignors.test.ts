import { describe, expect, it } from 'vitest';
import { assignmentOf, type Assignment } from './assignment.js';
import { rangeAssignor, uniformAssignor, type AssignmentSpec, type PartitionAssignor } from './assignors.js';

/** Members "id:topic,topic" with optional current targets; topics name → partitions. Topic id = name. */
function spec(
  members: Record<string, string[]>,
  topics: Record<string, number>,
  current: Record<string, Assignment> = {},
): AssignmentSpec {
  return {
    members: Object.entries(members).map(([memberId, subscribed]) => ({
      memberId,
      subscribedTopicIds: new Set(subscribed.filter((t) => t in topics)),
      currentTarget: current[memberId] ?? new Map(),
    })),
    partitionCounts: new Map(Object.entries(topics)),
  };
}

/** member → "t0,t1,u0" sorted, for readable expectations. */
function flat(a: PartitionAssignor, s: AssignmentSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [m, byTopic] of a.assign(s)) {
    const names: string[] = [];
    for (const [t, ps] of [...byTopic].sort(([x], [y]) => (x < y ? -1 : 1)))
      for (const p of [...ps].sort((x, y) => x - y)) names.push(`${t}${p}`);
    out[m] = names.join(',');
  }
  return out;
}

/** Every partition of a subscribed topic goes to exactly one subscriber. */
function checkValid(a: PartitionAssignor, s: AssignmentSpec): void {
  const owners = new Map<string, string>();
  for (const [m, byTopic] of a.assign(s)) {
    const member = s.members.find((x) => x.memberId === m)!;
    for (const [t, ps] of byTopic) {
      expect(member.subscribedTopicIds.has(t)).toBe(true);
      for (const p of ps) {
        expect(owners.has(`${t}${p}`)).toBe(false);
        owners.set(`${t}${p}`, m);
      }
    }
  }
  for (const [t, n] of s.partitionCounts)
    if (s.members.some((m) => m.subscribedTopicIds.has(t)))
      for (let p = 0; p < n; p++) expect(owners.has(`${t}${p}`), `${t}${p}`).toBe(true);
}

describe('range assignor', () => {
  it.each([
    ['one member takes all', { a: ['t'] }, { t: 3 }, { a: 't0,t1,t2' }],
    ['even split', { a: ['t'], b: ['t'] }, { t: 4 }, { a: 't0,t1', b: 't2,t3' }],
    [
      'first members get the extra',
      { a: ['t'], b: ['t'], c: ['t'] },
      { t: 7 },
      { a: 't0,t1,t2', b: 't3,t4', c: 't5,t6' },
    ],
    ['more members than partitions', { a: ['t'], b: ['t'], c: ['t'] }, { t: 2 }, { a: 't0', b: 't1', c: '' }],
    ['co-partitioned topics line up', { a: ['t', 'u'], b: ['t', 'u'] }, { t: 2, u: 2 }, { a: 't0,u0', b: 't1,u1' }],
    ['per-topic subscribers', { a: ['t'], b: ['t', 'u'] }, { t: 2, u: 2 }, { a: 't0', b: 't1,u0,u1' }],
    ['a topic that does not exist', { a: ['t', 'nope'] }, { t: 1 }, { a: 't0' }],
    ['no members', {}, { t: 3 }, {}],
  ] as const)('%s', (_name, members, topics, expected) => {
    const s = spec(members as unknown as Record<string, string[]>, topics);
    expect(flat(rangeAssignor, s)).toEqual(expected);
    checkValid(rangeAssignor, s);
  });
});

describe('uniform assignor', () => {
  it.each([
    ['one member takes all', { a: ['t'] }, { t: 3 }, { a: 't0,t1,t2' }],
    ['even split (round robin)', { a: ['t'], b: ['t'] }, { t: 4 }, { a: 't0,t2', b: 't1,t3' }],
    ['balanced across topics', { a: ['t', 'u'], b: ['t', 'u'] }, { t: 3, u: 1 }, { a: 't0,t2', b: 't1,u0' }],
    ['more members than partitions', { a: ['t'], b: ['t'], c: ['t'] }, { t: 2 }, { a: 't0', b: 't1', c: '' }],
    ['heterogeneous subscriptions', { a: ['t'], b: ['t', 'u'] }, { t: 2, u: 2 }, { a: 't0,t1', b: 'u0,u1' }],
  ] as const)('%s', (_name, members, topics, expected) => {
    const s = spec(members as unknown as Record<string, string[]>, topics);
    expect(flat(uniformAssignor, s)).toEqual(expected);
    checkValid(uniformAssignor, s);
  });

  it('is sticky: a third member takes partitions from the others, who keep the rest', () => {
    const current = {
      a: assignmentOf([['t', [0, 1, 2]]]),
      b: assignmentOf([['t', [3, 4, 5]]]),
    };
    const out = uniformAssignor.assign(spec({ a: ['t'], b: ['t'], c: ['t'] }, { t: 6 }, current));
    const a = [...(out.get('a')!.get('t') ?? [])];
    const b = [...(out.get('b')!.get('t') ?? [])];
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(a.every((p) => [0, 1, 2].includes(p))).toBe(true);
    expect(b.every((p) => [3, 4, 5].includes(p))).toBe(true);
    expect(out.get('c')!.get('t')!.size).toBe(2);
  });

  it('stays balanced within one for many members and topics', () => {
    const members: Record<string, string[]> = {};
    for (let i = 0; i < 7; i++) members[`m${i}`] = ['t', 'u', 'v'];
    const s = spec(members, { t: 10, u: 3, v: 8 });
    checkValid(uniformAssignor, s);
    const sizes = [...uniformAssignor.assign(s).values()].map((byTopic) =>
      [...byTopic.values()].reduce((n, ps) => n + ps.size, 0),
    );
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});
