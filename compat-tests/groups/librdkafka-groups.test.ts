// Consumer groups through librdkafka: @confluentinc/kafka-javascript's KafkaConsumer.subscribe with the
// eager (range, roundrobin) and cooperative-sticky assignors, manual and auto commit; and kcat -G.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import {
  ckjs,
  ckjsVersion,
  type RdCtor,
  type RdGroupConsumer,
  type RdMessage,
} from '../confluent-kafka-javascript/driver.js';
import { kcat } from '../kcat/driver.js';
import type { KAdmin, KKafka } from '../kafkajs/driver.js';
import {
  GROUP_BROKER,
  SESSION_MS,
  createTopic,
  exactlyOnce,
  kafkaClient,
  produceNumbered,
  stableWith,
  until,
  type KGroupAdmin,
} from './common.js';

/** A subscribed librdkafka consumer polling in the background, recording values and rebalances. */
class GroupMember {
  readonly seen: string[] = [];
  readonly revoked: number[][] = [];
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    readonly c: RdGroupConsumer,
    private readonly manual: boolean,
  ) {}

  static async start(bootstrap: string, groupId: string, topic: string, strategy: string, manual: boolean) {
    const c = new (ckjs.KafkaConsumer as unknown as RdCtor)({
      'bootstrap.servers': bootstrap,
      'group.id': groupId,
      'partition.assignment.strategy': strategy,
      'enable.auto.commit': !manual,
      'auto.commit.interval.ms': 200,
      'auto.offset.reset': 'earliest',
      'session.timeout.ms': SESSION_MS,
      'heartbeat.interval.ms': 300,
      rebalance_cb: true,
    });
    const m = new GroupMember(c, manual);
    c.on('rebalance', (err, assignment) => {
      if (err.code === ckjs.CODES.ERRORS['ERR__REVOKE_PARTITIONS']) m.revoked.push(assignment.map((a) => a.partition));
    });
    await new Promise<void>((res, rej) => c.connect({}, (err) => (err ? rej(err) : res())));
    c.setDefaultConsumeTimeout(100);
    c.subscribe([topic]);
    m.loop = m.poll();
    return m;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const msgs = await new Promise<RdMessage[]>((res) => this.c.consume(100, (err, ms) => res(err ? [] : ms)));
      for (const msg of msgs) this.seen.push(msg.value?.toString() ?? '');
      if (this.manual && msgs.length > 0) this.c.commitSync(null);
    }
  }

  partitions(): number[] {
    return this.c
      .assignments()
      .map((a) => a.partition)
      .sort();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await new Promise<void>((res) => this.c.disconnect(() => res()));
  }
}

describe(`consumer groups through @confluentinc/kafka-javascript ${ckjsVersion} and kcat -G`, () => {
  let broker: Broker;
  let kafka: KKafka;
  let admin: KAdmin;
  let gadmin: KGroupAdmin;

  beforeAll(async () => {
    broker = await startBroker({ overrides: GROUP_BROKER });
    kafka = kafkaClient(broker.bootstrap, 'compat-groups-rd');
    admin = kafka.admin();
    gadmin = admin as unknown as KGroupAdmin;
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  const committed = async (groupId: string, topic: string) =>
    (await gadmin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.map((p) => Number(p.offset));

  for (const [strategy, manual] of [
    ['range', true],
    ['roundrobin', false],
    ['cooperative-sticky', false],
    ['cooperative-sticky', true],
  ] as const) {
    const commit = manual ? 'manual commitSync' : 'auto commit';
    it(`subscribe with ${strategy}, ${commit}: a third member joins, every message once, offsets committed`, async () => {
      const topic = `rd-${strategy}-${manual ? 'manual' : 'auto'}`;
      const groupId = `g-${topic}`;
      await createTopic(admin, topic, 6);
      const ms = await Promise.all(
        [1, 2].map(() => GroupMember.start(broker.bootstrap, groupId, topic, strategy, manual)),
      );
      try {
        const two = await stableWith(admin, groupId, topic, 2);
        expect(two.protocol).toBe(strategy);
        await until('both assigned', () => ms.every((m) => m.partitions().length === 3));
        const first = await produceNumbered(kafka, topic, 6, 20);
        await until('120 messages', () => ms.reduce((n, m) => n + m.seen.length, 0) >= 120);
        await until('first commits', async () => (await committed(groupId, topic)).every((o) => o === 20), 15_000);
        const owned = ms.map((m) => m.partitions());
        for (const m of ms) m.revoked.length = 0; // (the first member alone owned all 6 for a moment)

        ms.push(await GroupMember.start(broker.bootstrap, groupId, topic, strategy, manual));
        // Cooperative rebalancing takes two rounds: revoked partitions are unassigned after the first.
        await until('3 members owning all 6 partitions', async () => {
          const three = await stableWith(admin, groupId, topic, 3);
          return three.members.flatMap((m) => m.partitions).length === 6;
        });
        await until('all assigned', () => ms.every((m) => m.partitions().length === 2));
        if (strategy === 'cooperative-sticky') {
          expect(ms[0]!.c.rebalanceProtocol()).toBe('COOPERATIVE');
          // Incremental: the first two kept two of their three partitions, never all revoked at once.
          for (const [i, m] of ms.slice(0, 2).entries()) {
            expect(m.partitions().every((p) => owned[i]!.includes(p))).toBe(true);
            expect(m.revoked.flat()).toHaveLength(1);
          }
        }
        const second = await produceNumbered(kafka, topic, 6, 20, 20);
        await until('240 messages', () => ms.reduce((n, m) => n + m.seen.length, 0) >= 240);
        await until('all commits', async () => (await committed(groupId, topic)).every((o) => o === 40), 15_000);
        const problems = exactlyOnce(
          [...first, ...second],
          ms.flatMap((m) => m.seen),
        );
        // Auto commit is at-least-once: a partition moved before its next auto commit is re-read.
        expect(manual ? problems : problems.filter((p) => !/seen [2-9] times/.test(p))).toEqual([]);
      } finally {
        await Promise.all(ms.map((m) => m.stop()));
      }
    });
  }

  // Without -o: with -G, kcat applies -o to every assigned partition, overriding the committed offsets.
  it('kcat -G consumes as a group member, commits, and a second run resumes after the commits', async () => {
    const topic = 'kcat-group';
    await createTopic(admin, topic, 3);
    const first = await produceNumbered(kafka, topic, 3, 20);
    const run = (count: number) =>
      kcat([
        '-b',
        broker.bootstrap,
        '-G',
        'kcat-g',
        '-c',
        String(count),
        '-f',
        '%s\\n',
        '-X',
        'auto.offset.reset=earliest',
        '-X',
        `session.timeout.ms=${SESSION_MS}`,
        '-X',
        'auto.commit.interval.ms=100',
        topic,
      ]).done();
    const a = await run(60);
    expect(a.code).toBe(0);
    expect(exactlyOnce(first, a.stdout.trim().split('\n'))).toEqual([]);
    expect((await committed('kcat-g', topic)).sort()).toEqual([20, 20, 20]);
    const second = await produceNumbered(kafka, topic, 3, 5, 20);
    const b = await run(15);
    expect(b.code).toBe(0);
    expect(exactlyOnce(second, b.stdout.trim().split('\n'))).toEqual([]);
  });
});
