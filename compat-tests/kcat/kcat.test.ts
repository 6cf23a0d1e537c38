// kcat (Debian's 1.7.1, librdkafka 2.0.2) against a live broker. See README.md beside this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { Scratch, expectedOffsetsForTime } from '../harness/file-driver.js';
import { COMBOS, CORE_PARTITIONS, CORE_RECORDS, comboName } from '../harness/matrix.js';
import {
  baseTimestampNow,
  byPartition,
  generateDataset,
  settle,
  verifyPartition,
  type ConsumedRecord,
} from '../harness/records.js';
import { client, type KAdmin } from '../kafkajs/driver.js';
import { CONSUME_FORMAT, comboArgs, kcat, line, parseConsumed, parseQuery, producerArgs } from './driver.js';

const TOPIC = 'kcat-core';

describe('kcat (Debian 1.7.1, librdkafka 2.0.2)', () => {
  let broker: Broker;
  let admin: KAdmin;
  let scratch: Scratch;
  let core: Map<number, ConsumedRecord[]>;

  const ends = async (topic: string): Promise<Map<number, number>> =>
    new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));

  // kcat has no admin commands; kafkajs's admin creates topics. Waits (bounded) until every partition
  // answers ListOffsets, since an acks=0 record sent before that is dropped silently.
  const createTopic = async (topic: string, partitions: number, config: Record<string, string> = {}): Promise<void> => {
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        },
      ],
      waitForLeaders: true,
    });
    await settle(
      () =>
        admin.fetchTopicOffsets(topic).then(
          (os) => os.length,
          () => 0,
        ),
      (n) => n === partitions,
    );
  };

  beforeAll(async () => {
    broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
    admin = client(broker.bootstrap, 'compat-kcat-admin').kafka.admin();
    await admin.connect();
    scratch = new Scratch();
    const v = await kcat(['-V']).done();
    expect(v.stdout).toMatch(/Version 1\.7\.1 .*librdkafka 2\.0\.2/);
  });

  afterAll(async () => {
    await admin?.disconnect();
    scratch?.remove();
    await broker?.stop();
  });

  it(`produces ${CORE_RECORDS} records (text keys and values, NULLs, headers) over every codec × acks and reads them all back exactly`, async () => {
    const dataset = generateDataset({
      seed: 0x6b636174,
      count: CORE_RECORDS,
      partitions: CORE_PARTITIONS,
      baseTimestamp: baseTimestampNow(),
      profile: 'text',
    });
    const parts = byPartition(dataset, CORE_PARTITIONS);
    await createTopic(TOPIC, CORE_PARTITIONS);

    const start = Date.now();
    await Promise.all(
      COMBOS.map(async (c) => {
        const records = parts[c.partition] ?? [];
        const run = kcat(producerArgs(broker.bootstrap, TOPIC, c.partition, comboArgs(c)));
        // The first record alone until it is in the log: librdkafka can reorder records produced
        // before it has the topic's metadata (see ../confluent-kafka-javascript/README.md).
        const [first, ...rest] = records;
        if (first) await run.write(line(first.key, first.value));
        await settle(
          () => ends(TOPIC),
          (e) => (e.get(c.partition) ?? 0) >= 1,
        );
        for (let i = 0; i < rest.length; i += 1000) {
          await run.write(
            rest
              .slice(i, i + 1000)
              .map((r) => line(r.key, r.value))
              .join(''),
          );
        }
        const res = await run.done();
        expect(res.code, `${comboName(c)}: ${res.stderr}`).toBe(0);
        expect(res.stderr, comboName(c)).not.toMatch(/fail|error/i);
      }),
    );
    const end = Date.now();

    const e = await settle(
      () => ends(TOPIC),
      (m) => COMBOS.every((c) => (m.get(c.partition) ?? 0) >= (parts[c.partition]?.length ?? 0)),
    );
    for (const c of COMBOS) expect(e.get(c.partition), comboName(c)).toBe(parts[c.partition]?.length);

    const out = scratch.path('kcat-core.out');
    const res = await kcat(
      ['-C', '-b', broker.bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', CONSUME_FORMAT],
      out,
    ).done();
    expect(res.code, res.stderr).toBe(0);
    core = new Map(COMBOS.map((c) => [c.partition, []]));
    for (const r of parseConsumed(out)) core.get(r.partition)?.push(r);

    const problems = COMBOS.flatMap((c) =>
      verifyPartition(
        c.partition,
        (parts[c.partition] ?? []).map((r) => ({
          ...r,
          headers: [
            ['combo', Buffer.from(comboName(c))],
            ['client', Buffer.from('kcat')],
          ] as Array<[string, Buffer]>,
        })),
        core.get(c.partition) ?? [],
        { timestamps: { window: [start, end] } },
      ).map((p) => `${comboName(c)} ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('ListOffsets by timestamp (kcat -Q) finds the first offset at or after the timestamp', async () => {
    expect(core, 'needs the core topic').toBeDefined();
    const all = [...core.values()]
      .flat()
      .map((r) => r.timestamp)
      .sort((a, b) => a - b);
    const t = all[Math.floor(all.length / 2)] ?? 0;
    const q = await kcat([
      '-Q',
      '-b',
      broker.bootstrap,
      ...COMBOS.flatMap((c) => ['-t', `${TOPIC}:${c.partition}:${t}`]),
    ]).done();
    expect(q.code, q.stderr).toBe(0);
    const expected = new Map([...expectedOffsetsForTime(core, t)].map(([p, o]) => [p, o ?? -1]));
    expect(parseQuery(q.stdout)).toEqual(expected);
    // Past the last record: the broker's offset -1 is printed as is.
    const late = await kcat([
      '-Q',
      '-b',
      broker.bootstrap,
      '-t',
      `${TOPIC}:0:${(all[all.length - 1] ?? 0) + 60_000}`,
    ]).done();
    expect(parseQuery(late.stdout)).toEqual(new Map([[0, -1]]));
  });

  it('produces and reads back a 1 MiB record', async () => {
    const topic = 'kcat-1mib';
    await createTopic(topic, 1, { 'max.message.bytes': '2097152' });
    const value = Buffer.from('abcdefghij'.repeat(104858).slice(0, 1 << 20));
    const run = kcat(producerArgs(broker.bootstrap, topic, 0, ['-X', 'message.max.bytes=2097152', '-X', 'acks=all']));
    await run.write(line(Buffer.from('one-mebibyte'), value));
    const res = await run.done();
    expect(res.code, res.stderr).toBe(0);
    const out = scratch.path('kcat-1mib.out');
    const c = await kcat(
      ['-C', '-b', broker.bootstrap, '-t', topic, '-o', 'beginning', '-c', '1', '-e', '-q', '-f', CONSUME_FORMAT],
      out,
    ).done();
    expect(c.code, c.stderr).toBe(0);
    const [r] = parseConsumed(out);
    expect(r?.offset).toBe(0);
    expect(r?.key?.toString()).toBe('one-mebibyte');
    expect(r?.value?.equals(value)).toBe(true);
  });

  it('a record over the topic max.message.bytes is refused with MESSAGE_TOO_LARGE', async () => {
    const topic = 'kcat-small';
    await createTopic(topic, 1, { 'max.message.bytes': '10000' });
    const run = kcat(producerArgs(broker.bootstrap, topic, 0, ['-X', 'acks=all']));
    await run.write(line(null, Buffer.from('x'.repeat(20_000))));
    const res = await run.done();
    expect(res.stderr).toMatch(/Broker: Message size too large/);
    expect((await ends(topic)).get(0)).toBe(0);
  });

  it('an unknown topic with auto-create off gives UNKNOWN_TOPIC_OR_PARTITION and is not created', async () => {
    const topic = 'kcat-no-such-topic';
    const md = await kcat(['-L', '-b', broker.bootstrap, '-t', topic]).done();
    expect(md.stdout).toMatch(/Broker: Unknown topic or partition/);
    const run = kcat([
      '-P',
      '-b',
      broker.bootstrap,
      '-t',
      topic,
      '-X',
      'topic.metadata.propagation.max.ms=1000',
      '-X',
      'message.timeout.ms=10000',
    ]);
    await run.write('x\n');
    const res = await run.done();
    expect(res.stderr).toMatch(/Unknown topic/i);
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('a fetch below the log start offset (after DeleteRecords) gets OFFSET_OUT_OF_RANGE', async () => {
    const topic = 'kcat-delete-records';
    await createTopic(topic, 1);
    const run = kcat(producerArgs(broker.bootstrap, topic, 0, ['-X', 'acks=all']));
    await run.write(Array.from({ length: 20 }, (_, i) => `k${i}\tv${i}\n`).join(''));
    expect((await run.done()).code).toBe(0);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '12' }] });
    const q = await kcat(['-Q', '-b', broker.bootstrap, '-t', `${topic}:0:-2`]).done();
    expect(parseQuery(q.stdout)).toEqual(new Map([[0, 12]]));
    const c = await kcat(
      [
        '-C',
        '-b',
        broker.bootstrap,
        '-t',
        topic,
        '-p',
        '0',
        '-o',
        '3',
        '-e',
        '-X',
        'auto.offset.reset=error',
        '-f',
        '%o\\n',
      ],
      undefined,
      60_000,
    ).done();
    expect(c.stderr).toMatch(/offset out of range|No offset to automatically reset/i);
  });
});
