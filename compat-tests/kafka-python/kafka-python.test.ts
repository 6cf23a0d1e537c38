// kafka-python against a live broker, twice: Debian's python3-kafka 2.0.2 and the newest release from
// PyPI (scripts/setup-compat.sh). See README.md beside this file for what is covered and skipped.
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
import { DEBIAN_PYTHON, VENV_PYTHON, runDriver } from '../harness/python.js';
import type { ConsumedRecord } from '../harness/records.js';

const SCRIPT = join(repoRoot, 'compat-tests/kafka-python/driver.py');

const variants = [
  { name: "Debian's python3-kafka", python: DEBIAN_PYTHON, debian: true },
  { name: 'PyPI newest', python: VENV_PYTHON, debian: false },
];

/** The value driver.py's send_one sends: byte i is i mod 251. */
const patterned = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

describe.each(variants)('kafka-python ($name)', ({ python, debian }) => {
  let broker: Broker;
  let scratch: Scratch;
  let d: Driver;
  let core: Map<number, ConsumedRecord[]>;
  const topic = debian ? 'kpy-debian-core' : 'kpy-pypi-core';

  beforeAll(async () => {
    broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
    scratch = new Scratch();
    const bootstrap = broker.bootstrap;
    d = <T>(cmd: string, args: Record<string, unknown>) => runDriver<T>(python, SCRIPT, cmd, { bootstrap, ...args });
  });

  afterAll(async () => {
    scratch?.remove();
    await broker?.stop();
  });

  it('is the expected kafka-python version', async () => {
    const r = await d<{ _version: string }>('offsets', { topic: '__none', partitions: [], spec: 'latest' });
    if (debian) expect(r._version).toBe('2.0.2');
    else expect(r._version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it(`produces ${CORE_RECORDS} mixed records over every codec × acks and reads them all back exactly`, async () => {
    ({ got: core } = await coreScenario(d, scratch, {
      topic,
      seed: debian ? 0x6b7079 : 0x6b7070,
      // kafka-python cannot send a record with neither key nor value; driver.py sends an empty key.
      expect: (r) => (r.key === null && r.value === null ? { ...r, key: Buffer.alloc(0) } : r),
    }));
  });

  it('ListOffsets by timestamp (offsets_for_times) finds the first offset at or after the timestamp', async () => {
    expect(core, 'needs the core topic').toBeDefined();
    const first = core.get(0)?.[0]?.timestamp ?? 0;
    const t = first + Math.floor(CORE_RECORDS / 2);
    const partitions = [...core.keys()];
    expect(await offsets(d, topic, partitions, t)).toEqual(expectedOffsetsForTime(core, t));
    // Past the last record the broker answers offset -1; kafka-python maps that to None.
    expect(await offsets(d, topic, [0], first + CORE_RECORDS + 1000)).toEqual(new Map([[0, null]]));
  });

  it('produces and reads back a 1 MiB record', async () => {
    const t = `${topic}-1mib`;
    await d('create_topic', { topic: t, partitions: 1, config: { 'max.message.bytes': '2097152' } });
    expect(await d('send_one', { topic: t, size: 1 << 20, max_request_size: 2097152 })).toMatchObject({ offset: 0 });
    const got = await consume(d, scratch, t, new Map([[0, [0, 1]]]));
    const r = got.get(0)?.[0];
    expect(r?.offset).toBe(0);
    expect(r?.key?.toString()).toBe('k');
    expect(r?.value?.equals(patterned(1 << 20))).toBe(true);
  });

  it('a record over the topic max.message.bytes is refused with MESSAGE_TOO_LARGE', async () => {
    const t = `${topic}-small`;
    await d('create_topic', { topic: t, partitions: 1, config: { 'max.message.bytes': '10000' } });
    expect(await d('send_one', { topic: t, size: 20_000 })).toMatchObject({ error: 'MessageSizeTooLargeError' });
    expect(await d('send_one', { topic: t, size: 1000 })).toMatchObject({ offset: 0 });
  });

  it('an unknown topic with auto-create off gives UNKNOWN_TOPIC_OR_PARTITION and is not created', async () => {
    const t = `${topic}-no-such-topic`;
    const r = await d<{ describe: { error_code: number[] }; send: { error: string | null }; topics: string[] }>(
      'unknown_topic',
      { topic: t },
    );
    expect(r.describe.error_code).toEqual([3]); // UNKNOWN_TOPIC_OR_PARTITION
    // kafka-python's producer does not surface the broker's error code: it waits for metadata that never
    // lists the topic and gives up after max_block_ms.
    expect(r.send.error).toBe('KafkaTimeoutError');
    expect(r.topics).not.toContain(t);
  });

  it('DeleteRecords moves the log start offset; a fetch below it gets OFFSET_OUT_OF_RANGE', async () => {
    const t = `${topic}-delete-records`;
    await d('create_topic', { topic: t, partitions: 1 });
    for (let i = 0; i < 20; i++) await d('send_one', { topic: t, size: 10 });
    // kafka-python 2.0.2 has no delete_records: the newest kafka-python deletes, 2.0.2 then fetches.
    const deleter: Driver = debian
      ? <T>(cmd: string, args: Record<string, unknown>) =>
          runDriver<T>(VENV_PYTHON, SCRIPT, cmd, { bootstrap: broker.bootstrap, ...args })
      : d;
    const del = await deleter<{ result?: unknown; unsupported?: string }>('delete_records', {
      topic: t,
      partition: 0,
      offset: 12,
    });
    expect(del.unsupported).toBeUndefined();
    expect(await offsets(d, t, [0], 'earliest')).toEqual(new Map([[0, 12]]));
    expect(await d('fetch_below_start', { topic: t, offset: 3 })).toMatchObject({ error: 'OffsetOutOfRangeError' });
  });

  it('describes and alters topic and broker configs through KafkaAdminClient', async () => {
    const t = `${topic}-configs`;
    await d('create_topic', { topic: t, partitions: 1 });
    const r = await d('configs', { topic: t, broker_id: broker.brokerId });
    expect(r).toMatchObject({
      before: { 'retention.ms': '604800000', 'cleanup.policy': 'delete', 'max.message.bytes': '1048588' },
      after: '86400000',
      broker: 'false',
    });
  });
});
