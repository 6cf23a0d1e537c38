// Consumer groups through kafkajs 2.2.4: the seed's semantics counted message by message (point,
// broadcast, idle members, rewind, a member killed with SIGKILL, a broker restart), and kafkajs's group
// API (eachMessage, eachBatch, pause/resume, seek, commitOffsets, the admin group calls). See README.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startBroker, type Broker } from '../harness/broker.js';
import type { KAdmin, KKafka } from '../kafkajs/driver.js';
import {
  FAST,
  GROUP_BROKER,
  SESSION_MS,
  createTopic,
  describe1,
  exactlyOnce,
  kafkaClient,
  produceNumbered,
  stableWith,
  until,
  type KGroupAdmin,
} from './common.js';
import { startMember, type KGroupConsumer, type Member } from './member.js';

// kafkajs's names for COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR and COORDINATOR_NOT_AVAILABLE.
const RETRIABLE = ['GROUP_LOAD_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE'];

describe('consumer groups through kafkajs 2.2.4', () => {
  let broker: Broker;
  let kafka: KKafka;
  let admin: KAdmin;
  let gadmin: KGroupAdmin;
  const members: Member[] = [];

  const member = async (...args: Parameters<typeof startMember> extends [unknown, ...infer R] ? R : never) => {
    const m = await startMember(kafka, ...args);
    members.push(m);
    return m;
  };
  const stopAll = async (ms: Member[]) => {
    await Promise.all(ms.map((m) => m.stop()));
    for (const m of ms) members.splice(members.indexOf(m), 1);
  };
  const connectAdmin = async () => {
    kafka = kafkaClient(broker.bootstrap, 'compat-groups');
    admin = kafka.admin();
    gadmin = admin as unknown as KGroupAdmin;
    await admin.connect();
  };

  beforeAll(async () => {
    broker = await startBroker({ overrides: GROUP_BROKER });
    await connectAdmin();
  });

  afterAll(async () => {
    await Promise.all(members.map((m) => m.stop().catch(() => undefined)));
    await admin?.disconnect();
    await broker?.stop();
  });

  it('point: 3 consumers of one group split 6 partitions and see each message exactly once', async () => {
    const topic = 'groups-point';
    await createTopic(admin, topic, 6);
    const ms = await Promise.all([1, 2, 3].map(() => member('point', topic)));
    const view = await stableWith(admin, 'point', topic, 3);
    const assigned = view.members.map((m) => m.partitions);
    expect(assigned.map((ps) => ps.length)).toEqual([2, 2, 2]);
    expect(assigned.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

    const expected = await produceNumbered(kafka, topic, 6, 50);
    await until('300 messages', () => ms.reduce((n, m) => n + m.seen.length, 0) >= 300);
    await new Promise((r) => setTimeout(r, 500)); // a late duplicate would show up here
    expect(
      exactlyOnce(
        expected,
        ms.flatMap((m) => m.seen),
      ),
    ).toEqual([]);
    // Each consumer saw only its own partitions, and the three sets are disjoint.
    const seenParts = ms.map((m) => [...m.partitions].sort());
    expect(seenParts.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    await stopAll(ms);
  });

  it('broadcast: 3 groups each receive every message', async () => {
    const topic = 'groups-broadcast';
    await createTopic(admin, topic, 3);
    const expected = await produceNumbered(kafka, topic, 3, 40);
    const ms = await Promise.all(['bc-a', 'bc-b', 'bc-c'].map((g) => member(g, topic)));
    await until('every group has 120', () => ms.every((m) => m.seen.length >= 120));
    await new Promise((r) => setTimeout(r, 500));
    for (const m of ms) expect(exactlyOnce(expected, m.seen)).toEqual([]);
    await stopAll(ms);
  });

  it('8 consumers on 6 partitions leave 2 idle', async () => {
    const topic = 'groups-idle';
    await createTopic(admin, topic, 6);
    const ms = await Promise.all(Array.from({ length: 8 }, () => member('idle', topic)));
    const view = await stableWith(admin, 'idle', topic, 8);
    expect(view.members.map((m) => m.partitions.length).sort()).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    expect(view.members.flatMap((m) => m.partitions).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const expected = await produceNumbered(kafka, topic, 6, 10);
    await until('60 messages', () => ms.reduce((n, m) => n + m.seen.length, 0) >= 60);
    expect(
      exactlyOnce(
        expected,
        ms.flatMap((m) => m.seen),
      ),
    ).toEqual([]);
    expect(ms.filter((m) => m.seen.length === 0)).toHaveLength(2);
    await stopAll(ms);
  });

  it('rewinding with seek re-consumes from the old offset', async () => {
    const topic = 'groups-rewind';
    await createTopic(admin, topic, 1);
    const expected = await produceNumbered(kafka, topic, 1, 20);
    const m = await member('rewind', topic);
    await until('20 messages', () => m.seen.length >= 20);
    m.consumer.seek({ topic, partition: 0, offset: '5' });
    await until('the rewound 15', () => m.seen.length >= 35);
    expect(m.seen).toEqual([...expected, ...expected.slice(5)]);
    await stopAll([m]);
  });

  it('a member killed with SIGKILL loses its partitions after the session timeout; nothing is lost', async () => {
    const topic = 'groups-kill';
    const groupId = 'kill';
    await createTopic(admin, topic, 6);
    const child = spawnChild(broker.bootstrap, groupId, topic);
    const childSeen: string[] = [];
    let childJoined = false;
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l === 'joined') childJoined = true;
      else if (l.startsWith('m ')) childSeen.push(l.slice(2));
    });
    try {
      await until('the child joined', () => childJoined);
      const ms = await Promise.all([1, 2].map(() => member(groupId, topic, { autoCommit: false, commitEach: true })));
      const before = await stableWith(admin, groupId, topic, 3);
      const childParts = before.members.find((x) => x.clientId === 'compat-groups-child')?.partitions ?? [];
      expect(childParts).toHaveLength(2);

      const first = await produceNumbered(kafka, topic, 6, 30);
      const seen = () => [...childSeen, ...ms.flatMap((m) => m.seen)];
      await until('the first 180', () => seen().length >= 180);
      await new Promise((r) => setTimeout(r, 500)); // let the last commits land

      const killedAt = Date.now();
      child.kill('SIGKILL');
      // The dead member keeps its place until its session expires (no heartbeat; Kafka does not act
      // on the closed connection), then the two others share all six partitions.
      expect((await describe1(admin, groupId, topic)).members).toHaveLength(3);
      const second = await produceNumbered(kafka, topic, 6, 30, 30);
      const after = await stableWith(admin, groupId, topic, 2);
      const elapsed = Date.now() - killedAt;
      expect(after.members.flatMap((x) => x.partitions).sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(elapsed).toBeGreaterThanOrEqual(SESSION_MS - 1500);
      await until('all 360', () => seen().length >= 360);
      await new Promise((r) => setTimeout(r, 500));
      expect(exactlyOnce([...first, ...second], seen())).toEqual([]);
      // The survivors took over the child's partitions at its committed offsets.
      const taken = ms.flatMap((m) => m.seen).filter((v) => childParts.includes(Number(v.split(':')[0])));
      expect(taken.sort()).toEqual(second.filter((v) => childParts.includes(Number(v.split(':')[0]))).sort());
      await stopAll(ms);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a broker restart keeps every committed offset', async () => {
    const topic = 'groups-restart';
    await createTopic(admin, topic, 3);
    await produceNumbered(kafka, topic, 3, 20);
    const m = await member('restart', topic, { autoCommit: false, commitEach: true });
    await until('60 messages', () => m.seen.length >= 60);
    await stopAll([m]);
    await gadmin.setOffsets({ groupId: 'restart-2', topic, partitions: [{ partition: 1, offset: '7' }] });
    // Right after a start the coordinator may answer COORDINATOR_LOAD_IN_PROGRESS or NOT_COORDINATOR
    // (retriable; kafkajs's admin does not retry them for fetchOffsets).
    const committed = async (g: string) => {
      for (let i = 0; ; i++) {
        try {
          return (await gadmin.fetchOffsets({ groupId: g, topics: [topic] }))[0]!.partitions
            .map((p) => [p.partition, p.offset])
            .sort((a, b) => Number(a[0]) - Number(b[0]));
        } catch (e) {
          const type = (e as { type?: string }).type ?? '';
          if (i > 100 || !RETRIABLE.includes(type)) {
            throw e;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    expect(await committed('restart')).toEqual([
      [0, '20'],
      [1, '20'],
      [2, '20'],
    ]);
    const other = await committed('restart-2');

    await admin.disconnect();
    await broker.restart();
    await connectAdmin();
    expect(await committed('restart')).toEqual([
      [0, '20'],
      [1, '20'],
      [2, '20'],
    ]);
    expect(await committed('restart-2')).toEqual(other);
    // A member of the group resumes at the committed offsets: it sees only what came after.
    const next = await produceNumbered(kafka, topic, 3, 5, 20);
    const again = await member('restart', topic);
    await until('15 new messages', () => again.seen.length >= 15);
    await new Promise((r) => setTimeout(r, 500));
    expect(exactlyOnce(next, again.seen)).toEqual([]);
    await stopAll([again]);
  });

  it('eachBatch with resolveOffset and manual commitOffsets; pause and resume', async () => {
    const topic = 'groups-batch';
    await createTopic(admin, topic, 2);
    const consumer = kafka.consumer({ groupId: 'batch', ...FAST }) as unknown as KGroupConsumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const msg of batch.messages) {
          seen.push(msg.value?.toString() ?? '');
          resolveOffset(msg.offset);
        }
        const last = batch.messages[batch.messages.length - 1];
        if (last) {
          await consumer.commitOffsets([
            { topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
          ]);
        }
        await heartbeat();
      },
    });
    consumer.pause([{ topic, partitions: [0] }]); // before anything is produced
    try {
      const expected = await produceNumbered(kafka, topic, 2, 25);
      await until('partition 1', () => seen.length >= 25);
      await new Promise((r) => setTimeout(r, 1000));
      expect(seen.filter((v) => v.startsWith('0:'))).toEqual([]); // partition 0 is paused
      consumer.resume([{ topic, partitions: [0] }]);
      await until('all 50', () => seen.length >= 50);
      expect(exactlyOnce(expected, seen)).toEqual([]);
      const offsets = await gadmin.fetchOffsets({ groupId: 'batch', topics: [topic] });
      expect(offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
        [0, '25'],
        [1, '25'],
      ]);
    } finally {
      await consumer.disconnect();
    }
  });

  it('admin: describeGroups, fetchOffsets, resetOffsets, deleteGroups', async () => {
    const topic = 'groups-admin';
    await createTopic(admin, topic, 2);
    const expected = await produceNumbered(kafka, topic, 2, 10);
    const m = await member('admin', topic, { autoCommit: false, commitEach: true });
    await until('20 messages', () => m.seen.length >= 20);
    const live = await stableWith(admin, 'admin', topic, 1);
    expect(live).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(live.members[0]).toMatchObject({ clientId: 'compat-groups', partitions: [0, 1] });
    // A group with members cannot be deleted.
    await expect(gadmin.deleteGroups(['admin'])).rejects.toMatchObject({
      groups: [
        expect.objectContaining({ groupId: 'admin', error: expect.objectContaining({ type: 'NON_EMPTY_GROUP' }) }),
      ],
    });
    await stopAll([m]);
    expect(await describe1(admin, 'admin', topic)).toMatchObject({ state: 'Empty', members: [] });
    const listed = await gadmin.listGroups();
    expect(listed.groups).toContainEqual({ groupId: 'admin', protocolType: 'consumer' });

    const fetched = async () =>
      (await gadmin.fetchOffsets({ groupId: 'admin', topics: [topic] }))[0]!.partitions
        .map((p) => [p.partition, p.offset])
        .sort();
    expect(await fetched()).toEqual([
      [0, '10'],
      [1, '10'],
    ]);
    await gadmin.resetOffsets({ groupId: 'admin', topic, earliest: true });
    const reset = await fetched();
    const again = await member('admin', topic);
    await until('re-read 20', () => again.seen.length >= 20);
    expect(exactlyOnce(expected, again.seen)).toEqual([]);
    await stopAll([again]);
    expect(reset.map(([p]) => p)).toEqual([0, 1]);

    expect(await gadmin.deleteGroups(['admin'])).toEqual([expect.objectContaining({ groupId: 'admin', errorCode: 0 })]);
    expect(await fetched()).toEqual([
      [0, '-1'],
      [1, '-1'],
    ]);
    expect((await describe1(admin, 'admin', topic)).state).toBe('Dead');
    await expect(gadmin.deleteGroups(['never-was'])).rejects.toMatchObject({
      groups: [expect.objectContaining({ error: expect.objectContaining({ type: 'GROUP_ID_NOT_FOUND' }) })],
    });
  });
});

function spawnChild(bootstrap: string, groupId: string, topic: string): ChildProcess {
  const script = fileURLToPath(new URL('./member-child.ts', import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify({ bootstrap, groupId, topic })], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}
