// confluent-kafka-python (librdkafka in its wheel) from PyPI against a live broker. See README.md.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startBroker, type Broker } from '../harness/broker.js';
import { CORE_RECORDS } from '../harness/matrix.js';
import {
  Scratch,
  consume,
  coreScenario,
  expectedOffsetsForTime,
  offsets,
  type Driver,
} from '../harness/file-driver.js';
import { VENV_PYTHON, runDriver } from '../harness/python.js';
import type { ConsumedRecord } from '../harness/records.js';

const SCRIPT = join(repoRoot, 'compat-tests/confluent-kafka-python/driver.py');
const patterned = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

describe('confluent-kafka-python (PyPI newest)', () => {
  let broker: Broker;
  let scratch: Scratch;
  let d: Driver;
  let core: Map<number, ConsumedRecord[]>;
  const topic = 'ckpy-core';

  beforeAll(async () => {
    broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
    scratch = new Scratch();
    const bootstrap = broker.bootstrap;
    d = <T>(cmd: string, args: Record<string, unknown>) =>
      runDriver<T>(VENV_PYTHON, SCRIPT, cmd, { bootstrap, ...args });
  });

  afterAll(async () => {
    scratch?.remove();
    await broker?.stop();
  });

  it('reports its versions', async () => {
    const r = await d<{ _version: string; _librdkafka: string }>('offsets', {
      topic: '__none',
      partitions: [],
      spec: 'latest',
    });
    expect(r._version).toMatch(/^2\./);
    expect(r._librdkafka).toMatch(/^2\./);
  });

  it(`produces ${CORE_RECORDS} mixed records over every codec × acks and reads them all back exactly`, async () => {
    ({ got: core } = await coreScenario(d, scratch, { topic, seed: 0x636b7079 }));
  });

  it('ListOffsets by timestamp (offsets_for_times) finds the first offset at or after the timestamp', async () => {
    expect(core, 'needs the core topic').toBeDefined();
    const first = core.get(0)?.[0]?.timestamp ?? 0;
    const t = first + Math.floor(CORE_RECORDS / 2);
    expect(await offsets(d, topic, [...core.keys()], t)).toEqual(expectedOffsetsForTime(core, t));
    expect(await offsets(d, topic, [0], first + CORE_RECORDS + 1000)).toEqual(new Map([[0, null]]));
  });

  it('produces and reads back a 1 MiB record', async () => {
    const t = `${topic}-1mib`;
    await d('create_topic', { topic: t, partitions: 1, config: { 'max.message.bytes': '2097152' } });
    expect(await d('send_one', { topic: t, size: 1 << 20, max_request_size: 2097152 })).toMatchObject({ offset: 0 });
    const got = await consume(d, scratch, t, new Map([[0, [0, 1]]]));
    const r = got.get(0)?.[0];
    expect(r?.offset).toBe(0);
    expect(r?.value?.equals(patterned(1 << 20))).toBe(true);
  });

  it('a record over the topic max.message.bytes is refused with MESSAGE_TOO_LARGE', async () => {
    const t = `${topic}-small`;
    await d('create_topic', { topic: t, partitions: 1, config: { 'max.message.bytes': '10000' } });
    expect(await d('send_one', { topic: t, size: 20_000 })).toMatchObject({ error: 'MSG_SIZE_TOO_LARGE', code: 10 });
    expect(await d('send_one', { topic: t, size: 1000 })).toMatchObject({ offset: 0 });
  });

  it('an unknown topic with auto-create off gives UNKNOWN_TOPIC_OR_PARTITION and is not created', async () => {
    const t = `${topic}-no-such-topic`;
    const r = await d<{ metadata: { error: string | null }; send: { error: string | null }; topics: string[] }>(
      'unknown_topic',
      { topic: t },
    );
    expect(r.metadata.error).toBe('UNKNOWN_TOPIC_OR_PART');
    expect(r.send.error).toBe('UNKNOWN_TOPIC_OR_PART');
    expect(r.topics).not.toContain(t);
  });

  it('DeleteRecords moves the log start offset; a fetch below it gets OFFSET_OUT_OF_RANGE', async () => {
    const t = `${topic}-delete-records`;
    await d('create_topic', { topic: t, partitions: 1 });
    for (let i = 0; i < 20; i++) await d('send_one', { topic: t, size: 10, partition: 0 });
    expect(await d('delete_records', { topic: t, partition: 0, offset: 12 })).toMatchObject({ result: { '0': 12 } });
    expect(await offsets(d, t, [0], 'earliest')).toEqual(new Map([[0, 12]]));
    // auto.offset.reset=error: librdkafka raises _AUTO_OFFSET_RESET once the broker says OFFSET_OUT_OF_RANGE.
    expect(await d('fetch_below_start', { topic: t, offset: 3 })).toMatchObject({ error: '_AUTO_OFFSET_RESET' });
  });

  it('describes and alters configs through AdminClient (AlterConfigs and IncrementalAlterConfigs)', async () => {
    const t = `${topic}-configs`;
    await d('create_topic', { topic: t, partitions: 1 });
    expect(await d('configs', { topic: t, broker_id: broker.brokerId })).toMatchObject({
      before: { 'retention.ms': '604800000', 'cleanup.policy': 'delete', 'max.message.bytes': '1048588' },
      after: { 'retention.ms': '86400000', 'cleanup.policy': 'delete', 'max.message.bytes': '2000000' },
      broker: 'false',
    });
  });
});
