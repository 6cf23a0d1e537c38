import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { flush, harness, join, sync, subscription, type Harness } from './testing.js';

// The classic group state machine on a manual clock: no sleeps, every timer driven by advance().

const G = 'group';

/** Joins with an empty id (getting MEMBER_ID_REQUIRED) and returns the assigned member id. */
async function memberId(h: Harness, clientId = 'client'): Promise<string> {
  const first = join(h, G, '', { clientId });
  await flush();
  expect(first.get().errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return first.get().memberId;
}

/**
 * Members that joined together extend the initial delay once (Kafka's InitialDelayedJoin): the first
 * rebalance completes after two delays.
 */
function settleInitialDelay(h: Harness): void {
  h.scheduler.advance(2 * h.manager.config.groupInitialRebalanceDelayMs);
}

/** n dynamic members, rebalanced and synced: a Stable group at generation 1. */
async function stableGroup(h: Harness, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await memberId(h, `c${i}`));
  const joins = ids.map((id) => join(h, G, id));
  settleInitialDelay(h);
  await flush();
  for (const j of joins) expect(j.get().errorCode).toBe(ErrorCode.NONE);
  const leader = joins[0]!.get().leaderId;
  const assignments = new Map(ids.map((id) => [id, Buffer.from(`a-${id}`)]));
  const syncs = ids.map((id) => sync(h, G, id, 1, id === leader ? assignments : new Map()));
  await flush();
  for (const s of syncs) expect(s.get().errorCode).toBe(ErrorCode.NONE);
  expect(h.manager.getGroup(G)!.state).toBe('Stable');
  return ids;
}

describe('JoinGroup and SyncGroup', () => {
  it('hands out a member id first (KIP-394), then completes the first rebalance after the initial delay', async () => {
    const h = harness();
    const id = await memberId(h);
    expect(id).toMatch(/^client-[0-9a-f-]{36}$/);
    expect(h.manager.getGroup(G)!.pendingMembers.has(id)).toBe(true);
    const j = join(h, G, id);
    await flush();
    expect(j.done).toBe(false);
    expect(h.manager.getGroup(G)!.state).toBe('PreparingRebalance');
    h.scheduler.advance(2_999);
    await flush();
    expect(j.done).toBe(false);
    h.scheduler.advance(1);
    await flush();
    expect(j.get()).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      memberId: id,
      leaderId: id,
      protocolType: 'consumer',
      protocolName: 'range',
    });
    expect(j.get().members.map((m) => m.memberId)).toEqual([id]);
    expect(h.manager.getGroup(G)!.state).toBe('CompletingRebalance');
    const s = sync(h, G, id, 1, new Map([[id, Buffer.from('mine')]]));
    await flush();
    expect(s.get()).toMatchObject({ errorCode: ErrorCode.NONE, protocolName: 'range' });
    expect(s.get().assignment.toString()).toBe('mine');
    expect(h.manager.getGroup(G)!.state).toBe('Stable');
  });

  it('joins without a member id directly below v4', async () => {
    const h = harness();
    const j = join(h, G, '', { requireKnownMemberId: false });
    h.scheduler.advance(3_000);
    await flush();
    expect(j.get().errorCode).toBe(ErrorCode.NONE);
    expect(j.get().memberId).not.toBe('');
  });

  it('keeps extending the initial delay while members arrive, up to the rebalance timeout', async () => {
    const h = harness({ groupInitialRebalanceDelayMs: 1_000 });
    const a = await memberId(h);
    const ja = join(h, G, a, { rebalanceTimeoutMs: 2_500 });
    h.scheduler.advance(900);
    const b = await memberId(h);
    const jb = join(h, G, b, { rebalanceTimeoutMs: 2_500 });
    h.scheduler.advance(100); // first delay ends; a member arrived, so wait again
    await flush();
    expect(ja.done).toBe(false);
    h.scheduler.advance(1_000);
    await flush();
    expect(ja.get().generationId).toBe(1);
    expect(jb.get().generationId).toBe(1);
    expect(ja.get().members.length + jb.get().members.length).toBe(2);
  });

  it('fills missing assignments with empty ones and answers followers waiting in SyncGroup', async () => {
    const h = harness();
    const [a, b] = [await memberId(h), await memberId(h)];
    const joins = [join(h, G, a), join(h, G, b)];
    settleInitialDelay(h);
    await flush();
    const leader = joins[0]!.get().leaderId;
    const follower = leader === a ? b : a;
    const fs = sync(h, G, follower, 1);
    await flush();
    expect(fs.done).toBe(false);
    const ls = sync(h, G, leader, 1, new Map([[leader, Buffer.from('x')]]));
    await flush();
    expect(ls.get().assignment.toString()).toBe('x');
    expect(fs.get()).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(fs.get().assignment.length).toBe(0);
  });

  it('rebalances when a member joins a Stable group, and completes as soon as everyone rejoined', async () => {
    const h = harness();
    const [a, b] = await stableGroup(h, 2);
    const c = await memberId(h);
    const jc = join(h, G, c);
    await flush();
    expect(h.manager.getGroup(G)!.state).toBe('PreparingRebalance');
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const ja = join(h, G, a!);
    const jb = join(h, G, b!);
    await flush();
    // No timer needed: every member rejoined.
    for (const j of [ja, jb, jc]) expect(j.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(ja.get().leaderId).toBe(a);
    expect(ja.get().members).toHaveLength(3);
    expect(jb.get().members).toHaveLength(0);
  });

  it('removes members that do not rejoin within the rebalance timeout', async () => {
    const h = harness();
    const [a, b] = await stableGroup(h, 2);
    const ja = join(h, G, a!, { rebalanceTimeoutMs: 60_000 });
    await flush();
    // b keeps heartbeating but never rejoins.
    for (let t = 0; t < 60_000; t += 5_000) {
      h.scheduler.advance(5_000);
      h.coordinator.heartbeat(G, b!, null, 1);
    }
    await flush();
    expect(ja.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect([...h.manager.getGroup(G)!.members.keys()]).toEqual([a]);
  });

  it('expires a member that stops heartbeating and rebalances the rest', async () => {
    const h = harness();
    const [a, b] = await stableGroup(h, 2);
    for (let t = 0; t < 9_000; t += 3_000) {
      h.scheduler.advance(3_000);
      expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.NONE);
    }
    h.scheduler.advance(1_001); // b's session (10 s) has run out
    expect(h.manager.getGroup(G)!.has(b!)).toBe(false);
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(h.coordinator.heartbeat(G, b!, null, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const ja = join(h, G, a!);
    await flush();
    expect(ja.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: a });
  });

  it('starts a new round when the leader dies in CompletingRebalance', async () => {
    const h = harness();
    const [a, b] = [await memberId(h), await memberId(h)];
    const joins = [join(h, G, a), join(h, G, b)];
    settleInitialDelay(h);
    await flush();
    const leader = joins[0]!.get().leaderId;
    const follower = leader === a ? b : a;
    const fs = sync(h, G, follower, 1);
    h.scheduler.advance(10_000); // the leader never syncs nor heartbeats
    await flush();
    expect(fs.get().errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(h.manager.getGroup(G)!.has(leader)).toBe(false);
    const jf = join(h, G, follower);
    await flush();
    expect(jf.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: follower });
  });

  it('removes members that never send SyncGroup once the rebalance timeout passes', async () => {
    const h = harness();
    const [a, b] = [await memberId(h), await memberId(h)];
    const joins = [join(h, G, a, { rebalanceTimeoutMs: 20_000 }), join(h, G, b, { rebalanceTimeoutMs: 20_000 })];
    settleInitialDelay(h);
    await flush();
    const leader = joins[0]!.get().leaderId;
    const follower = leader === a ? b : a;
    sync(h, G, leader, 1);
    for (let t = 0; t < 20_000; t += 5_000) {
      h.scheduler.advance(5_000);
      h.coordinator.heartbeat(G, leader, null, 1);
      h.coordinator.heartbeat(G, follower, null, 1);
    }
    expect(h.manager.getGroup(G)!.has(follower)).toBe(false);
    expect(h.manager.getGroup(G)!.state).toBe('PreparingRebalance');
  });

  it('handles the repeated joins of a cooperative rebalance without stalling', async () => {
    const h = harness();
    const [a, b] = await stableGroup(h, 2);
    // Round 1: b's metadata changes (it revoked partitions); a learns from its heartbeat.
    const coop = (...owned: string[]) => ({ protocols: [{ name: 'range', metadata: subscription('t', ...owned) }] });
    const jb = join(h, G, b!, coop('owned-1'));
    await flush();
    expect(jb.done).toBe(false);
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const ja = join(h, G, a!, coop());
    await flush();
    expect(ja.get().generationId).toBe(2);
    expect(jb.get().generationId).toBe(2);
    sync(h, G, a!, 2, new Map());
    sync(h, G, b!, 2);
    await flush();
    // Round 2: right after, both rejoin again (the follow-up rebalance): completes at once.
    const ja2 = join(h, G, a!, coop('x'));
    const jb2 = join(h, G, b!, coop('y'));
    await flush();
    expect(ja2.get().generationId).toBe(3);
    expect(jb2.get().generationId).toBe(3);
    expect(h.scheduler.now() - 1_700_000_000_000).toBe(6_000); // only the initial delay ever elapsed
  });

  it('answers a member missing its JoinGroup answer again in CompletingRebalance', async () => {
    const h = harness();
    const a = await memberId(h);
    join(h, G, a);
    h.scheduler.advance(3_000);
    await flush();
    const again = join(h, G, a);
    await flush();
    expect(again.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leaderId: a });
    expect(again.get().members).toHaveLength(1);
  });

  it('answers a held JoinGroup replaced by a second one with REBALANCE_IN_PROGRESS', async () => {
    const h = harness();
    const [a, b] = await stableGroup(h, 2);
    const first = join(h, G, a!);
    const second = join(h, G, a!);
    await flush();
    expect(first.get().errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(second.done).toBe(false);
    join(h, G, b!);
    await flush();
    expect(second.get().errorCode).toBe(ErrorCode.NONE);
  });

  it('selects the protocol most members prefer among those all support', async () => {
    const h = harness();
    const p = (name: string) => ({ name, metadata: Buffer.from(name) });
    const ids = [await memberId(h), await memberId(h), await memberId(h)];
    const joins = [
      join(h, G, ids[0]!, { protocols: [p('range'), p('roundrobin'), p('sticky')] }),
      join(h, G, ids[1]!, { protocols: [p('roundrobin'), p('range')] }),
      join(h, G, ids[2]!, { protocols: [p('sticky'), p('roundrobin')] }),
    ];
    settleInitialDelay(h);
    await flush();
    expect(joins[0]!.get().protocolName).toBe('roundrobin');
    expect(joins[0]!.get().members.map((m) => m.metadata.toString())).toEqual([
      'roundrobin',
      'roundrobin',
      'roundrobin',
    ]);
    const other = join(h, G, '', { protocols: [p('sticky')] });
    const wrongType = join(h, G, '', { protocolType: 'connect' });
    await flush();
    expect(other.get().errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(wrongType.get().errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('refuses bad joins with Kafka error codes and leaves the group healthy', async () => {
    const h = harness();
    const [a] = await stableGroup(h, 2);
    const cases = [
      join(h, '', ''),
      join(h, G, '', { sessionTimeoutMs: 5_999 }),
      join(h, G, '', { sessionTimeoutMs: 1_800_001 }),
      join(h, 'nope', 'someone'),
      join(h, G, 'stranger'),
      join(h, G, '', { protocolType: '' }),
      join(h, 'fresh', '', { protocols: [] }),
    ];
    await flush();
    expect(cases.map((c) => c.get().errorCode)).toEqual([
      ErrorCode.INVALID_GROUP_ID,
      ErrorCode.INVALID_SESSION_TIMEOUT,
      ErrorCode.INVALID_SESSION_TIMEOUT,
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    ]);
    expect(h.manager.getGroup(G)!.state).toBe('Stable');
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.NONE);
  });

  it('refuses members beyond group.max.size', async () => {
    const h = harness({ groupMaxSize: 2 });
    const [a] = await stableGroup(h, 2);
    const third = join(h, G, '');
    const stranger = join(h, G, 'stranger');
    await flush();
    expect(third.get()).toMatchObject({ errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: '' });
    expect(stranger.get().errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.NONE);
  });

  it('checks SyncGroup generation, member and protocol', async () => {
    const h = harness();
    const [a] = await stableGroup(h, 1);
    const results = [
      sync(h, G, a!, 0),
      sync(h, G, 'stranger', 1),
      sync(h, 'nope', a!, 1),
      new (await import('./testing.js')).Tracked(
        h.coordinator.syncGroup({
          groupId: G,
          generationId: 1,
          memberId: a!,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'roundrobin',
          assignments: new Map(),
        }),
      ),
      sync(h, G, a!, 1),
    ];
    await flush();
    expect(results.map((r) => r.get().errorCode)).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
      ErrorCode.NONE,
    ]);
    expect(results[4]!.get().assignment.toString()).toBe(`a-${a}`);
  });
});

describe('Heartbeat and LeaveGroup', () => {
  it('answers heartbeats per state and generation', async () => {
    const h = harness();
    const [a] = await stableGroup(h, 1);
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.NONE);
    expect(h.coordinator.heartbeat(G, a!, null, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(h.coordinator.heartbeat(G, 'x', null, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.coordinator.heartbeat('unknown', a!, null, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.coordinator.heartbeat('', a!, null, 1)).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it('removes leaving members, rebalances, and empties the group', async () => {
    const h = harness();
    const [a, b] = await stableGroup(h, 2);
    const left = h.coordinator.leaveGroup(G, [
      { memberId: b!, groupInstanceId: null },
      { memberId: 'x', groupInstanceId: null },
    ]);
    expect(left.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(h.manager.getGroup(G)!.state).toBe('PreparingRebalance');
    const ja = join(h, G, a!);
    await flush();
    expect(ja.get().generationId).toBe(2);
    h.coordinator.leaveGroup(G, [{ memberId: a!, groupInstanceId: null }]);
    // Nobody is left to wait for: the rebalance completes at once into Empty.
    expect(h.manager.getGroup(G)!.state).toBe('Empty');
    expect(h.manager.getGroup(G)!.generationId).toBe(3);
    expect(h.log.replay(0).groups.get(G)).toMatchObject({ generation: 3, members: [] });
    expect(h.coordinator.leaveGroup('unknown', [{ memberId: a!, groupInstanceId: null }]).members[0]!.errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('drops a pending member that leaves or never rejoins', async () => {
    const h = harness();
    const [a] = await stableGroup(h, 1);
    const pending = await memberId(h);
    expect(h.coordinator.leaveGroup(G, [{ memberId: pending, groupInstanceId: null }]).members[0]!.errorCode).toBe(
      ErrorCode.NONE,
    );
    const other = await memberId(h);
    h.scheduler.advance(5_000);
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.NONE);
    h.scheduler.advance(5_000);
    expect(h.manager.getGroup(G)!.pendingMembers.has(other)).toBe(false);
    expect(h.coordinator.heartbeat(G, a!, null, 1)).toBe(ErrorCode.NONE);
  });
});

describe('static membership (KIP-345)', () => {
  async function staticGroup(h: Harness): Promise<{ a: string; b: string }> {
    const ja = join(h, G, '', { groupInstanceId: 'ia', clientId: 'ca' });
    const jb = join(h, G, '', { groupInstanceId: 'ib', clientId: 'cb' });
    settleInitialDelay(h);
    await flush();
    const a = ja.get().memberId;
    const b = jb.get().memberId;
    expect(a).toMatch(/^ia-/);
    sync(
      h,
      G,
      a,
      1,
      new Map([
        [a, Buffer.from('A')],
        [b, Buffer.from('B')],
      ]),
      'ia',
    );
    sync(h, G, b, 1, new Map(), 'ib');
    await flush();
    expect(h.manager.getGroup(G)!.state).toBe('Stable');
    return { a, b };
  }

  it('joins without MEMBER_ID_REQUIRED, and a restarted instance takes over without a rebalance', async () => {
    const h = harness();
    const { a, b } = await staticGroup(h);
    const rejoin = join(h, G, '', { groupInstanceId: 'ib', clientId: 'cb' });
    await flush();
    const nb = rejoin.get().memberId;
    expect(rejoin.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leaderId: a });
    expect(nb).not.toBe(b);
    expect(h.manager.getGroup(G)!.state).toBe('Stable');
    // The old incarnation is fenced; the new one gets the old assignment.
    expect(h.coordinator.heartbeat(G, b, 'ib', 1)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const s = sync(h, G, nb, 1, new Map(), 'ib');
    await flush();
    expect(s.get().assignment.toString()).toBe('B');
    expect(
      h.log
        .replay(0)
        .groups.get(G)!
        .members.map((m) => m.memberId),
    ).toContain(nb);
  });

  it('tells a static leader rejoining a Stable group to skip assignment (v9)', async () => {
    const h = harness();
    const { a } = await staticGroup(h);
    const rejoin = join(h, G, '', { groupInstanceId: 'ia', clientId: 'ca', supportSkippingAssignment: true });
    await flush();
    const r = rejoin.get();
    expect(r.skipAssignment).toBe(true);
    expect(r.leaderId).toBe(r.memberId);
    expect(r.leaderId).not.toBe(a);
    expect(r.members).toHaveLength(2);
  });

  it('keeps a static member that does not rejoin a rebalance, and removes it by instance id', async () => {
    const h = harness();
    const { a, b } = await staticGroup(h);
    const c = await memberId(h);
    join(h, G, c);
    const ja = join(h, G, a, { groupInstanceId: 'ia' });
    await flush();
    // b stays alive (heartbeats) but never rejoins: unlike a dynamic member it is kept at the join.
    for (let t = 0; t < 60_000; t += 5_000) {
      h.scheduler.advance(5_000);
      h.coordinator.heartbeat(G, b, 'ib', 1);
    }
    await flush();
    expect(ja.get().errorCode).toBe(ErrorCode.NONE);
    expect(h.manager.getGroup(G)!.has(b)).toBe(true);
    const left = h.coordinator.leaveGroup(G, [{ memberId: '', groupInstanceId: 'ib' }]);
    expect(left.members[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(h.manager.getGroup(G)!.has(b)).toBe(false);
  });

  it('fences a stale incarnation in JoinGroup, SyncGroup and LeaveGroup', async () => {
    const h = harness();
    const { b } = await staticGroup(h);
    join(h, G, '', { groupInstanceId: 'ib' });
    await flush();
    const stale = join(h, G, b, { groupInstanceId: 'ib' });
    const staleSync = sync(h, G, b, 1, new Map(), 'ib');
    await flush();
    expect(stale.get().errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(staleSync.get().errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(h.coordinator.leaveGroup(G, [{ memberId: b, groupInstanceId: 'ib' }]).members[0]!.errorCode).toBe(
      ErrorCode.FENCED_INSTANCE_ID,
    );
    expect(h.coordinator.heartbeat(G, b, 'unknown-instance', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers the old incarnation held in JoinGroup with FENCED_INSTANCE_ID', async () => {
    const h = harness();
    const ji = join(h, G, '', { groupInstanceId: 'i' });
    const [d1, d2] = [await memberId(h), await memberId(h)];
    join(h, G, d1);
    join(h, G, d2);
    settleInitialDelay(h);
    await flush();
    const old = ji.get().memberId;
    expect(ji.get().leaderId).toBe(old);
    sync(h, G, old, 1, new Map(), 'i');
    await flush();
    // d1 changes its metadata: a rebalance; the static member rejoins (held, d2 has not yet).
    join(h, G, d1, { protocols: [{ name: 'range', metadata: subscription('t', 'u') }] });
    const oldJoin = join(h, G, old, { groupInstanceId: 'i' });
    await flush();
    expect(oldJoin.done).toBe(false);
    const replaced = join(h, G, '', { groupInstanceId: 'i' });
    await flush();
    expect(oldJoin.get().errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    join(h, G, d2);
    await flush();
    expect(replaced.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(replaced.get().leaderId).toBe(replaced.get().memberId);
  });

  it('rebalances when a static member is replaced during CompletingRebalance', async () => {
    const h = harness();
    const ji = join(h, G, '', { groupInstanceId: 'i' });
    h.scheduler.advance(3_000);
    await flush();
    expect(h.manager.getGroup(G)!.state).toBe('CompletingRebalance');
    const replaced = join(h, G, '', { groupInstanceId: 'i' });
    await flush();
    expect(replaced.get()).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(replaced.get().memberId).not.toBe(ji.get().memberId);
  });
});

describe('unloading', () => {
  it('answers held requests NOT_COORDINATOR when the coordinator stops', async () => {
    const h = harness();
    const a = await memberId(h);
    const j = join(h, G, a);
    await flush();
    h.coordinator.shutdown();
    await flush();
    expect(j.get().errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(h.coordinator.heartbeat(G, a, null, 0)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(h.scheduler.pending).toBeGreaterThanOrEqual(0);
  });

  it('answers NOT_COORDINATOR and COORDINATOR_LOAD_IN_PROGRESS for partitions not owned', async () => {
    const h = harness();
    h.manager.markLoading(0);
    const j = join(h, G, '');
    await flush();
    expect(j.get().errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(h.coordinator.heartbeat(G, 'm', null, 1)).toBe(ErrorCode.NONE);
    h.manager.unloadPartition(0);
    expect(h.coordinator.heartbeat(G, 'm', null, 1)).toBe(ErrorCode.NOT_COORDINATOR);
  });
});
