// @confluentinc/kafka-javascript (librdkafka) against a live broker: see README.md beside this file.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { COMBOS, CORE_PARTITIONS, CORE_RECORDS, comboName } from '../harness/matrix.js';
import {
  baseTimestampNow,
  byPartition,
  generateDataset,
  settle,
  verifyPartition,
  type TestRecord,
} from '../harness/records.js';
import { Admin, ERR, Producer, ckjs, ckjsVersion, consumeAll, consumer, type RdError } from './driver.js';

const TOPIC = 'ckjs-core';
const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe(`@confluentinc/kafka-javascript ${ckjsVersion} (librdkafka ${ckjs.librdkafkaVersion})`, () => {
  let broker: Broker;
  let admin: Admin;
  let dataset: TestRecord[];

  beforeAll(async () => {
    broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
    admin = new Admin(broker.bootstrap);
  });

  afterAll(async () => {
    admin?.disconnect();
    await broker?.stop();
  });

  it(`produces ${CORE_RECORDS} mixed records over every codec × acks and reads them all back exactly`, async () => {
    dataset = generateDataset({
      seed: 0x636b6a73,
      count: CORE_RECORDS,
      partitions: CORE_PARTITIONS,
      baseTimestamp: baseTimestampNow(),
    });
    const parts = byPartition(dataset, CORE_PARTITIONS);
    await admin.createTopicReady(TOPIC, CORE_PARTITIONS);

    // One producer per codec × acks (both are producer-level settings in librdkafka), all concurrently.
    await Promise.all(
      COMBOS.map(async (combo) => {
        const producer = await Producer.connect({
          'bootstrap.servers': broker.bootstrap,
          'compression.codec': combo.codec,
          acks: combo.acks,
          'enable.idempotence': false,
          // ordering within a partition is what is checked; librdkafka keeps it with retries on by
          // default only when max.in.flight is 1 or idempotence is on
          'max.in.flight.requests.per.connection': 1,
        });
        try {
          // The first record alone, acknowledged, before the rest: see warmUp() below.
          const [first, ...rest] = parts[combo.partition] ?? [];
          const reports = first ? [await producer.send(TOPIC, first)] : [];
          reports.push(...(await Promise.all(rest.map((r) => producer.send(TOPIC, r)))));
          if (combo.acks !== 0)
            expect(
              reports.map((r) => r.offset),
              comboName(combo),
            ).toEqual(all(reports.length));
          await producer.flush();
        } finally {
          await producer.disconnect();
        }
      }),
    );

    // acks=0 has no completion signal: wait (bounded) for the end offsets to reach the record counts.
    const ends = await settle(
      () => admin.listOffsets(TOPIC, all(CORE_PARTITIONS), ckjs.OffsetSpec.LATEST),
      (es) => es.every((e) => e.offset >= (parts[e.partition]?.length ?? 0)),
    );
    const until = new Map(ends.map((e) => [e.partition, e.offset]));
    for (const c of COMBOS) expect(until.get(c.partition), comboName(c)).toBe(parts[c.partition]?.length);

    const got = await consumeAll(broker.bootstrap, TOPIC, new Map(all(CORE_PARTITIONS).map((p) => [p, 0])), until);
    const problems = COMBOS.flatMap((c) =>
      verifyPartition(c.partition, (parts[c.partition] ?? []).map(emptyIsNull), got.get(c.partition) ?? [], {
        timestamps: 'exact',
      }).map((p) => `${comboName(c)} ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('ListOffsets by timestamp finds the first offset at or after the timestamp in each partition', async () => {
    expect(dataset, 'needs the core topic').toBeDefined();
    const parts = byPartition(dataset, CORE_PARTITIONS);
    const first = dataset[0]?.timestamp ?? 0;
    const t = first + Math.floor(CORE_RECORDS / 2);
    const res = await admin.listOffsets(TOPIC, all(CORE_PARTITIONS), new ckjs.OffsetSpec(t));
    expect(res.map((r) => [r.partition, r.offset]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual(
      parts.map((rs, p) => [p, rs.findIndex((r) => r.timestamp >= t)]),
    );
    // Past the last record the broker answers offset -1, which librdkafka passes through.
    const late = await admin.listOffsets(TOPIC, [0], new ckjs.OffsetSpec(first + CORE_RECORDS + 1000));
    expect(late.map((r) => r.offset)).toEqual([-1]);
  });

  it('produces and reads back a 1 MiB record', async () => {
    const topic = 'ckjs-1mib';
    await admin.createTopic(topic, 1, { 'max.message.bytes': '2097152' });
    const record: TestRecord = {
      partition: 0,
      key: Buffer.from('one-mebibyte'),
      value: randomBytes(1 << 20),
      headers: [['h', Buffer.from('v')]],
      timestamp: baseTimestampNow(),
    };
    const producer = await Producer.connect({
      'bootstrap.servers': broker.bootstrap,
      'message.max.bytes': 2097152,
      acks: -1,
    });
    try {
      expect((await producer.send(topic, record)).offset).toBe(0);
    } finally {
      await producer.disconnect();
    }
    const got = await consumeAll(broker.bootstrap, topic, new Map([[0, 0]]), new Map([[0, 1]]));
    expect(verifyPartition(0, [record], got.get(0) ?? [], { timestamps: 'exact' })).toEqual([]);
  });

  it('a record over the topic max.message.bytes is refused with MESSAGE_TOO_LARGE', async () => {
    const topic = 'ckjs-small';
    await admin.createTopic(topic, 1, { 'max.message.bytes': '10000' });
    const producer = await Producer.connect({ 'bootstrap.servers': broker.bootstrap, acks: -1 });
    try {
      const big: TestRecord = {
        partition: 0,
        key: null,
        value: randomBytes(20_000),
        headers: [],
        timestamp: Date.now(),
      };
      const err = (await producer.send(topic, big).then(
        () => undefined,
        (e: unknown) => e,
      )) as RdError | undefined;
      expect(err?.code).toBe(ERR['ERR_MSG_SIZE_TOO_LARGE']); // 10, the broker's MESSAGE_TOO_LARGE
      expect(ERR['ERR_MSG_SIZE_TOO_LARGE']).toBe(10);
      const ok = await producer.send(topic, { ...big, value: randomBytes(1000) });
      expect(ok.offset).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('an unknown topic with auto-create off gives UNKNOWN_TOPIC_OR_PARTITION and is not created', async () => {
    const topic = 'ckjs-no-such-topic';
    const described = await admin.describeTopics([topic]).then(
      (r) => r[0]?.error,
      (e: unknown) => e as RdError,
    );
    expect(described?.code).toBe(ERR['ERR_UNKNOWN_TOPIC_OR_PART']); // 3

    const producer = await Producer.connect({
      'bootstrap.servers': broker.bootstrap,
      'topic.metadata.propagation.max.ms': 1000,
      'message.timeout.ms': 10_000,
    });
    try {
      const rec: TestRecord = { partition: 0, key: null, value: Buffer.from('x'), headers: [], timestamp: Date.now() };
      const err = (await producer.send(topic, rec).then(
        () => undefined,
        (e: unknown) => e,
      )) as RdError | undefined;
      expect([ERR['ERR_UNKNOWN_TOPIC_OR_PART'], ERR['ERR__UNKNOWN_TOPIC']]).toContain(err?.code);
    } finally {
      await producer.disconnect();
    }
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('DeleteRecords moves the log start offset; a fetch below it gets OFFSET_OUT_OF_RANGE', async () => {
    const topic = 'ckjs-delete-records';
    await admin.createTopic(topic, 1);
    const producer = await Producer.connect({ 'bootstrap.servers': broker.bootstrap, acks: -1 });
    try {
      await Promise.all(
        all(200).map((i) =>
          producer.send(topic, {
            partition: 0,
            key: Buffer.from(`k${i}`),
            value: Buffer.from(`v${i}`),
            headers: [],
            timestamp: Date.now(),
          }),
        ),
      );
    } finally {
      await producer.disconnect();
    }
    const res = await admin.deleteRecords(topic, 0, 120);
    expect(res).toEqual([expect.objectContaining({ partition: 0, lowWatermark: 120 })]);
    expect((await admin.listOffsets(topic, [0], ckjs.OffsetSpec.EARLIEST))[0]?.offset).toBe(120);

    // auto.offset.reset=error makes librdkafka report the broker's OFFSET_OUT_OF_RANGE to the application.
    const c = await consumer({ 'bootstrap.servers': broker.bootstrap, 'auto.offset.reset': 'error' });
    try {
      c.assign([{ topic, partition: 0, offset: 10 }]);
      let err: RdError | undefined;
      while (!err) {
        err = await new Promise<RdError | undefined>((res) =>
          c.consume(10, (e, msgs) => {
            expect(msgs ?? []).toEqual([]);
            res(e ?? undefined);
          }),
        );
      }
      expect(err.code).toBe(ERR['ERR__AUTO_OFFSET_RESET']);
      // librdkafka raises _AUTO_OFFSET_RESET (-140) only after the broker answered OFFSET_OUT_OF_RANGE.
    } finally {
      await new Promise<void>((res) => c.disconnect(() => res()));
    }
    // Reading from the new start works.
    const got = await consumeAll(broker.bootstrap, topic, new Map([[0, 120]]), new Map([[0, 200]]));
    expect(got.get(0)?.map((r) => r.offset)).toEqual(all(80).map((i) => 120 + i));
  });

  it('the idempotent producer (enable.idempotence=true) loses and duplicates nothing across a broker restart', async () => {
    const topic = 'ckjs-idempotent';
    await admin.createTopic(topic, 3);
    const records = generateDataset({ seed: 0x1de, count: 9000, partitions: 3, baseTimestamp: baseTimestampNow() });
    const producer = await Producer.connect({
      'bootstrap.servers': broker.bootstrap,
      'enable.idempotence': true,
      'max.in.flight.requests.per.connection': 5,
      'message.timeout.ms': 300_000,
      'compression.codec': 'lz4',
    });
    try {
      const [a, b, c] = [records.slice(0, 3000), records.slice(3000, 6000), records.slice(6000)];
      const rest = await warmUp(producer, topic, a ?? []);
      await Promise.all(rest.map((r) => producer.send(topic, r)));
      // Restart while the second third is being sent: some of it is in flight or queued when the
      // broker goes away and is retried to the restarted broker with the same producer id and sequences.
      const restarted = broker.restart();
      const inFlight = (b ?? []).map((r) => producer.send(topic, r));
      await restarted;
      const last = (c ?? []).map((r) => producer.send(topic, r));
      await Promise.all([...inFlight, ...last]);
      await producer.flush();
      expect(producer.errors.filter((e) => e.isFatal)).toEqual([]);
    } finally {
      await producer.disconnect();
    }
    // A NULL value is what the binding produces for an empty Buffer (see README).
    const parts = byPartition(records.map(emptyIsNull), 3);
    const until = new Map(
      (await admin.listOffsets(topic, [0, 1, 2], ckjs.OffsetSpec.LATEST)).map((e) => [e.partition, e.offset]),
    );
    expect([...until.values()]).toEqual(parts.map((p) => p.length));
    const got = await consumeAll(
      broker.bootstrap,
      topic,
      new Map([
        [0, 0],
        [1, 0],
        [2, 0],
      ]),
      until,
    );
    const problems = all(3).flatMap((p) =>
      verifyPartition(p, parts[p] ?? [], got.get(p) ?? [], { timestamps: 'exact' }),
    );
    expect(problems).toEqual([]);
  });
});

/**
 * The binding sends a zero-length Buffer value as a NULL value (kcat shows length -1 for it), so an empty
 * value produced through it is expected back as null.
 */
function emptyIsNull(r: TestRecord): TestRecord {
  return r.value !== null && r.value.length === 0 ? { ...r, value: null } : r;
}

/**
 * librdkafka holds records for a partition whose topic metadata it has not seen yet in a separate queue,
 * and can put records produced after the metadata arrives ahead of them (observed with librdkafka
 * 2.15.1 on a just-created topic). So the first record of each partition is sent and acknowledged
 * before the rest; returns the records still to send, in order.
 */
async function warmUp(producer: Producer, topic: string, records: TestRecord[]): Promise<TestRecord[]> {
  const firsts = new Set<TestRecord>();
  for (const r of records) if (![...firsts].some((f) => f.partition === r.partition)) firsts.add(r);
  await Promise.all([...firsts].map((r) => producer.send(topic, r)));
  return records.filter((r) => !firsts.has(r));
}
