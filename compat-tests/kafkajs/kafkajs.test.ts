// kafkajs 2.2.4 against a live broker: see README.md beside this file for what is covered and skipped.
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
import {
  COMPRESSION,
  client,
  consumeAll,
  groupHeaders,
  kafkajs,
  toMessage,
  type KAdmin,
  type KKafka,
} from './driver.js';

const TOPIC = 'kafkajs-core';
const CHUNK = 250; // messages per send(); each send is one request carrying one batch per partition

describe(`kafkajs ${'2.2.4'} (snappy, lz4, zstd codecs registered)`, () => {
  let broker: Broker;
  let kafka: KKafka;
  let logs: ReturnType<typeof client>['logs'];
  let admin: KAdmin;
  let dataset: TestRecord[];

  beforeAll(async () => {
    broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
    ({ kafka, logs } = client(broker.bootstrap, 'compat-kafkajs'));
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  it(`produces ${CORE_RECORDS} mixed records over every codec × acks and reads them all back exactly`, async () => {
    const base = baseTimestampNow();
    dataset = generateDataset({
      seed: 0x6b6a73,
      count: CORE_RECORDS,
      partitions: CORE_PARTITIONS,
      baseTimestamp: base,
    });
    const parts = byPartition(dataset, CORE_PARTITIONS);
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: CORE_PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    // CreateTopics (and the leaders in Metadata) can come before the broker serves the partitions; an
    // acks=0 record sent in that window is dropped silently. Wait (bounded) until ListOffsets answers.
    await settle(
      () =>
        admin.fetchTopicOffsets(TOPIC).then(
          (os) => os.length,
          () => 0,
        ),
      (n) => n === CORE_PARTITIONS,
    );

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // One sequential sender per partition (order within a partition), all partitions concurrently.
      await Promise.all(
        COMBOS.map(async (combo) => {
          const records = parts[combo.partition] ?? [];
          let next = 0;
          for (let i = 0; i < records.length; i += CHUNK) {
            const chunk = records.slice(i, i + CHUNK);
            const res = await producer.send({
              topic: TOPIC,
              messages: chunk.map(toMessage),
              acks: combo.acks,
              compression: COMPRESSION[combo.codec],
            });
            if (combo.acks !== 0) {
              // acks 1/all: the broker assigns the chunk the next contiguous offsets.
              expect(res, comboName(combo)).toEqual([
                expect.objectContaining({ partition: combo.partition, errorCode: 0, baseOffset: String(next) }),
              ]);
            }
            next += chunk.length;
          }
        }),
      );
    } finally {
      await producer.disconnect();
    }

    // acks=0 has no completion signal: wait (bounded) for the end offsets to reach the record counts.
    const offsets = await settle(
      () => admin.fetchTopicOffsets(TOPIC),
      (os) => os.every((o) => Number(o.high) >= (parts[o.partition]?.length ?? 0)),
    );
    const until = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
    for (const c of COMBOS) expect(until.get(c.partition), comboName(c)).toBe(parts[c.partition]?.length);
    for (const o of offsets) expect(o.low).toBe('0');

    const got = await consumeAll(kafka, TOPIC, until, 'compat-kafkajs-core');
    const problems = COMBOS.flatMap((c) =>
      verifyPartition(
        c.partition,
        (parts[c.partition] ?? []).map((r) => ({ ...r, headers: groupHeaders(r.headers) })),
        got.get(c.partition) ?? [],
        { timestamps: 'exact' },
      ).map((p) => `${comboName(c)} ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('ListOffsets by timestamp finds the first offset at or after the timestamp in each partition', async () => {
    expect(dataset, 'needs the core topic').toBeDefined();
    const parts = byPartition(dataset, CORE_PARTITIONS);
    const first = dataset[0]?.timestamp ?? 0;
    const t = first + Math.floor(CORE_RECORDS / 2); // the timestamp of the middle record
    const res = await admin.fetchTopicOffsetsByTimestamp(TOPIC, t);
    const expected = parts.map((rs, p) => ({ partition: p, offset: String(rs.findIndex((r) => r.timestamp >= t)) }));
    expect(res.sort((a, b) => a.partition - b.partition)).toEqual(expected);

    // Past the last record Kafka answers offset -1; kafkajs then substitutes the high watermark.
    const late = await admin.fetchTopicOffsetsByTimestamp(TOPIC, first + CORE_RECORDS + 1000);
    expect(late.sort((a, b) => a.partition - b.partition)).toEqual(
      parts.map((rs, p) => ({ partition: p, offset: String(rs.length) })),
    );
  });

  it('produces and reads back a 1 MiB record', async () => {
    const topic = 'kafkajs-1mib';
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'max.message.bytes', value: '2097152' }],
        },
      ],
      waitForLeaders: true,
    });
    const value = randomBytes(1 << 20);
    const key = Buffer.from('one-mebibyte');
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const res = await producer.send({ topic, messages: [{ key, value }], acks: -1 });
      expect(res[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
    } finally {
      await producer.disconnect();
    }
    const got = await consumeAll(kafka, topic, new Map([[0, 1]]), 'compat-kafkajs-1mib');
    const r = got.get(0)?.[0];
    expect(r?.offset).toBe(0);
    expect(r?.key?.equals(key)).toBe(true);
    expect(r?.value?.length).toBe(1 << 20);
    expect(r?.value?.equals(value)).toBe(true);
  });

  it('a record over the topic max.message.bytes is refused with MESSAGE_TOO_LARGE', async () => {
    const topic = 'kafkajs-small';
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'max.message.bytes', value: '10000' }],
        },
      ],
      waitForLeaders: true,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      const err = await producer.send({ topic, messages: [{ value: randomBytes(20_000) }], acks: -1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorTypes(err)).toContain('MESSAGE_TOO_LARGE');
      // A record under the limit still goes in at offset 0: the refused one took no offset.
      const ok = await producer.send({ topic, messages: [{ value: randomBytes(1000) }], acks: -1 });
      expect(ok[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
    } finally {
      await producer.disconnect();
    }
  });

  it('an unknown topic with auto-create off gives UNKNOWN_TOPIC_OR_PARTITION and is not created', async () => {
    const topic = 'kafkajs-no-such-topic';
    const meta = await admin.fetchTopicMetadata({ topics: [topic] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorTypes(meta)).toContain('UNKNOWN_TOPIC_OR_PARTITION');

    // kafkajs asks for auto-creation (Metadata allow_auto_topic_creation=true); the broker must refuse.
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1, initialRetryTime: 100 } });
    await producer.connect();
    try {
      const err = await producer.send({ topic, messages: [{ value: Buffer.from('x') }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorTypes(err)).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    } finally {
      await producer.disconnect();
    }
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('DeleteRecords moves the log start offset; a fetch below it gets OFFSET_OUT_OF_RANGE', async () => {
    const topic = 'kafkajs-delete-records';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const messages = Array.from({ length: 200 }, (_, i) => ({
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`v${i}`),
      }));
      await producer.send({ topic, messages, acks: -1 });
    } finally {
      await producer.disconnect();
    }
    // kafkajs looks the partition leader up in its metadata cache before anything refreshes it, so a
    // topic the admin client has not looked at yet fails with "Could not find the leader": warm it first.
    await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '120' }] });
    expect(await admin.fetchTopicOffsets(topic)).toEqual([
      expect.objectContaining({ partition: 0, low: '120', high: '200' }),
    ]);

    // kafkajs does not surface OFFSET_OUT_OF_RANGE to the application: it logs the broker's error and
    // resets to the earliest offset. Seek below the new start; the log shows the error and the first
    // record read is the one at the new log start offset.
    logs.length = 0;
    const got = await consumeAll(kafka, topic, new Map([[0, 200]]), 'compat-kafkajs-oor', new Map([[0, 10]]));
    const rs = got.get(0) ?? [];
    expect(rs[0]?.offset).toBe(120);
    expect(rs.length).toBe(80);
    expect(rs[0]?.value?.toString()).toBe('v120');
    expect(JSON.stringify(logs)).toMatch(/OFFSET_OUT_OF_RANGE|out of range/i);
  });

  it('describes and alters topic and broker configs through the admin API', async () => {
    const { TOPIC: TOPIC_T, BROKER } = kafkajs.ConfigResourceTypes;
    const described = await admin.describeConfigs({
      resources: [{ type: TOPIC_T, name: TOPIC, configNames: ['retention.ms', 'cleanup.policy', 'max.message.bytes'] }],
      includeSynonyms: false,
    });
    const entries = described.resources[0]?.configEntries ?? [];
    expect(described.resources[0]?.errorCode).toBe(0);
    expect(Object.fromEntries(entries.map((e) => [e.configName, e.configValue]))).toEqual({
      'retention.ms': '604800000',
      'cleanup.policy': 'delete',
      'max.message.bytes': '1048588',
    });
    expect(entries.every((e) => e.isDefault)).toBe(true);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: TOPIC_T, name: TOPIC, configEntries: [{ name: 'retention.ms', value: '86400000' }] }],
    });
    const after = await admin.describeConfigs({
      resources: [{ type: TOPIC_T, name: TOPIC, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    expect(after.resources[0]?.configEntries[0]).toMatchObject({
      configName: 'retention.ms',
      configValue: '86400000',
      isDefault: false,
    });

    const { brokers } = await admin.describeCluster();
    const brokerId = String(brokers[0]?.nodeId);
    const brokerCfg = await admin.describeConfigs({
      resources: [{ type: BROKER, name: brokerId, configNames: ['auto.create.topics.enable', 'num.partitions'] }],
      includeSynonyms: false,
    });
    expect(
      Object.fromEntries((brokerCfg.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue])),
    ).toEqual({ 'auto.create.topics.enable': 'false', 'num.partitions': '1' });
  });
});

/** The kafkajs error type names in an error and its cause chain (retriers wrap the broker's error). */
function errorTypes(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const o = cur as { type?: unknown; name?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof o.type === 'string') out.push(o.type);
    if (typeof o.name === 'string') out.push(o.name);
    cur = o.originalError ?? o.cause;
  }
  return out;
}
