import { BrokerProcess } from '../../src/broker/testing/broker-process.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';
import { subscription } from '../../src/broker/group/testing.js';
import { DescribeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { LeaveGroup } from '../../src/protocol/messages/13-leave-group.js';
import { ListGroups } from '../../src/protocol/messages/16-list-groups.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';

/**
 * The group coordinator under load, over the raw protocol against the broker as a process (one
 * connection per member, as real consumers have):
 * - one group of 1,000 members: the first rebalance (all join, leader assigns, all sync), a rebalance
 *   after one member leaves (every member hears REBALANCE_IN_PROGRESS on its heartbeat, rejoins and
 *   syncs), heartbeat latency while Stable, and the broker's RSS;
 * - 10,000 groups of one member each (join, sync, one offset commit), from 50 connections: the rate,
 *   then join+sync latency of one more group, ListGroups and DescribeGroups, and RSS.
 * Runs the sources through tsx unless SAMSA_BENCH_ENTRY=dist (then `npm run build` first).
 * SAMSA_BENCH_DEBUG=1 prints each SyncGroup answered UNKNOWN_MEMBER_ID (once seen in a 1,000-member
 * run; not reproduced in four later runs).
 */
const MEMBERS = Number(process.env.SAMSA_BENCH_GROUP_MEMBERS ?? 1000);
const GROUPS = Number(process.env.SAMSA_BENCH_GROUPS ?? 10_000);
const CONNS = 50;
const entry = process.env.SAMSA_BENCH_ENTRY === 'dist' ? 'dist' : 'source';
const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
const fmt = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

interface Join {
  errorCode: number;
  generationId: number;
  leader: string;
  memberId: string;
  members: { memberId: string }[];
}

const joinBody = (groupId: string, memberId: string) => ({
  groupId,
  sessionTimeoutMs: 60_000,
  rebalanceTimeoutMs: 60_000,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: subscription('bench') }],
  reason: null,
});

/** A member: its own connection, its id after MEMBER_ID_REQUIRED. */
class Member {
  id = '';
  constructor(readonly c: RawClient) {}
  async join(groupId: string): Promise<Join> {
    let r = await this.c.request<Join>(JoinGroup, 5, joinBody(groupId, this.id));
    if (r.errorCode === 79) {
      this.id = r.memberId;
      r = await this.c.request<Join>(JoinGroup, 5, joinBody(groupId, this.id));
    }
    if (r.errorCode !== 0) throw new Error(`JoinGroup ${groupId}: error ${r.errorCode}`);
    return r;
  }
  async sync(groupId: string, j: Join): Promise<void> {
    const assignments =
      j.leader === this.id ? j.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from('a') })) : [];
    const r = await this.c.request<{ errorCode: number }>(SyncGroup, 3, {
      groupId,
      generationId: j.generationId,
      memberId: this.id,
      groupInstanceId: null,
      assignments,
    });
    if (r.errorCode !== 0) throw new Error(`SyncGroup ${groupId}: error ${r.errorCode}`);
  }
  heartbeat(groupId: string, generationId: number): Promise<{ errorCode: number }> {
    return this.c.request(Heartbeat, 4, { groupId, generationId, memberId: this.id, groupInstanceId: null });
  }
}

/**
 * Joins and syncs every member as a client does: a SyncGroup answered REBALANCE_IN_PROGRESS (27) or
 * UNKNOWN_MEMBER_ID (25, then with a fresh id) sends the member back to JoinGroup; done when all
 * members synced in the same generation. Returns the rounds of retries taken.
 */
async function rebalanceAll(ms: Member[], groupId: string): Promise<Join[]> {
  const last: Join[] = [];
  const one = async (m: Member, i: number): Promise<void> => {
    for (;;) {
      const j = await m.join(groupId);
      last[i] = j;
      try {
        await m.sync(groupId, j);
        return;
      } catch (e) {
        if (/error 25/.test(String(e))) {
          if (process.env.SAMSA_BENCH_DEBUG) console.error(`sync UNKNOWN_MEMBER_ID for ${m.id} gen ${j.generationId}`);
          m.id = '';
        } else if (!/error 27/.test(String(e))) throw e;
      }
    }
  };
  await Promise.all(ms.map(one));
  for (;;) {
    const gen = Math.max(...last.map((j) => j.generationId));
    const behind = ms.filter((_, i) => last[i]!.generationId !== gen);
    const hbs = await Promise.all(ms.map((m, i) => m.heartbeat(groupId, last[i]!.generationId)));
    if (behind.length === 0 && hbs.every((h) => h.errorCode === 0)) return last;
    await Promise.all(ms.map((m, i) => (hbs[i]!.errorCode === 0 ? undefined : one(m, i))));
  }
}

export async function groupBenchmarks(): Promise<string> {
  const b = await BrokerProcess.start({
    entry,
    properties: 'group.initial.rebalance.delay.ms=0\ngroup.max.size=100000\noffsets.topic.num.partitions=50',
  });
  try {
    const admin = await RawClient.open(b.port);
    await admin.request(Metadata, 9, { topics: [{ name: 'bench' }], allowAutoTopicCreation: true });
    await admin.request(FindCoordinator, 0, { key: 'big' });
    await new Promise((r) => setTimeout(r, 1000));
    const rss0 = b.rssBytes();
    const rows = [
      '| measurement | value |',
      '|---|---:|',
      `| broker RSS, idle with __consumer_offsets | ${mib(rss0)} |`,
    ];

    // --- one group of MEMBERS members ---
    const ms = await Promise.all(Array.from({ length: MEMBERS }, async () => new Member(await RawClient.open(b.port))));
    let t = performance.now();
    let joins = await rebalanceAll(ms, 'big');
    rows.push(`| ${MEMBERS}-member group: first rebalance (all join, all sync) | ${fmt(performance.now() - t)} |`);
    const gen = joins[0]!.generationId;
    const hb: number[] = [];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        ms.map(async (m) => {
          const t0 = performance.now();
          const r = await m.heartbeat('big', gen);
          if (r.errorCode !== 0) throw new Error(`heartbeat error ${r.errorCode}`);
          hb.push(performance.now() - t0);
        }),
      );
    }
    rows.push(
      `| ${MEMBERS}-member group: heartbeat latency, all members at once, p50 / p99 | ${fmt(pct(hb, 0.5))} / ${fmt(pct(hb, 0.99))} |`,
    );
    const leaver = ms.pop()!;
    t = performance.now();
    await leaver.c.request(LeaveGroup, 3, {
      groupId: 'big',
      members: [{ memberId: leaver.id, groupInstanceId: null }],
    });
    const heard = await Promise.all(ms.map((m) => m.heartbeat('big', gen)));
    if (!heard.every((h) => h.errorCode === 27)) throw new Error('expected REBALANCE_IN_PROGRESS');
    joins = await rebalanceAll(ms, 'big');
    rows.push(
      `| ${MEMBERS}-member group: rebalance after one leaves (heartbeat, rejoin, sync) | ${fmt(performance.now() - t)} |`,
    );
    rows.push(`| broker RSS with the ${MEMBERS}-member group | ${mib(b.rssBytes())} (+${mib(b.rssBytes() - rss0)}) |`);
    const d0 = performance.now();
    await admin.request(DescribeGroups, 5, { groups: ['big'], includeAuthorizedOperations: false });
    rows.push(`| DescribeGroups of the ${MEMBERS - 1}-member group | ${fmt(performance.now() - d0)} |`);
    await Promise.all(
      ms.map((m) =>
        m.c.request(LeaveGroup, 3, { groupId: 'big', members: [{ memberId: m.id, groupInstanceId: null }] }),
      ),
    );
    for (const m of [...ms, leaver]) m.c.close();

    // --- GROUPS groups of one member ---
    const rss1 = b.rssBytes();
    const conns = await Promise.all(Array.from({ length: CONNS }, () => RawClient.open(b.port)));
    t = performance.now();
    await Promise.all(
      conns.map(async (c, ci) => {
        for (let g = ci; g < GROUPS; g += CONNS) {
          const m = new Member(c);
          const groupId = `g-${g}`;
          const j = await m.join(groupId);
          await m.sync(groupId, j);
          await c.request(OffsetCommit, 8, {
            groupId,
            generationIdOrMemberEpoch: j.generationId,
            memberId: m.id,
            groupInstanceId: null,
            topics: [
              {
                name: 'bench',
                partitions: [
                  { partitionIndex: 0, committedOffset: g, committedLeaderEpoch: -1, committedMetadata: null },
                ],
              },
            ],
          });
        }
      }),
    );
    const took = performance.now() - t;
    rows.push(
      `| ${GROUPS} groups (join, sync, commit each) from ${CONNS} connections | ${fmt(took)} (${Math.round(GROUPS / (took / 1000))} groups/s) |`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    rows.push(`| broker RSS with ${GROUPS} more groups | ${mib(b.rssBytes())} (+${mib(b.rssBytes() - rss1)}) |`);
    const one: number[] = [];
    for (let i = 0; i < 20; i++) {
      const m = new Member(admin);
      const t0 = performance.now();
      const j = await m.join(`late-${i}`);
      await m.sync(`late-${i}`, j);
      one.push(performance.now() - t0);
    }
    rows.push(
      `| one more group's join + sync among ${GROUPS}, p50 / max of 20 | ${fmt(pct(one, 0.5))} / ${fmt(Math.max(...one))} |`,
    );
    t = performance.now();
    const listed = await admin.request<{ groups: unknown[] }>(ListGroups, 4, { statesFilter: [] });
    rows.push(`| ListGroups (${listed.groups.length} groups) | ${fmt(performance.now() - t)} |`);
    t = performance.now();
    await admin.request(DescribeGroups, 5, {
      groups: Array.from({ length: 100 }, (_, i) => `g-${i}`),
      includeAuthorizedOperations: false,
    });
    rows.push(`| DescribeGroups of 100 groups | ${fmt(performance.now() - t)} |`);
    for (const c of [...conns, admin]) c.close();
    return `${MEMBERS} members, ${GROUPS} groups, entry ${entry}\n\n${rows.join('\n')}`;
  } finally {
    await b.stop();
  }
}
