import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { ConfigSource } from '../config/config-source.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start('num.partitions=3\n');
});
afterEach(async () => {
  await b.stop();
});

interface TopicResult {
  name: string;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
  numPartitions: number;
  replicationFactor: number;
  configs: { name: string; value: string | null; configSource: number; readOnly: boolean }[] | null;
}

interface TopicSpec {
  name: string;
  numPartitions?: number;
  replicationFactor?: number;
  assignments?: { partitionIndex: number; brokerIds: number[] }[];
  configs?: { name: string; value: string | null }[];
}

async function create(
  topics: TopicSpec[],
  opts: { version?: number; validateOnly?: boolean; timeoutMs?: number } = {},
): Promise<TopicResult[]> {
  const r = await b.client.request<{ topics: TopicResult[] }>(CreateTopics, opts.version ?? 7, {
    topics: topics.map((t) => ({
      name: t.name,
      numPartitions: t.numPartitions ?? 1,
      replicationFactor: t.replicationFactor ?? 1,
      assignments: t.assignments ?? [],
      configs: t.configs ?? [],
    })),
    timeoutMs: opts.timeoutMs ?? 5000,
    validateOnly: opts.validateOnly ?? false,
  });
  return r.topics;
}

describe('CreateTopics', () => {
  it('creates a topic and returns its id, partition count, replication factor and configs (v7)', async () => {
    const [t] = await create([
      { name: 'orders', numPartitions: 2, configs: [{ name: 'retention.ms', value: '1000' }] },
    ]);
    expect(t).toMatchObject({
      name: 'orders',
      errorCode: 0,
      errorMessage: null,
      numPartitions: 2,
      replicationFactor: 1,
    });
    expect(t!.topicId).not.toBe(ZERO_UUID);
    expect(b.server.services.metadata.topic('orders')?.topicId).toBe(t!.topicId);
    const retention = t!.configs!.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '1000', configSource: ConfigSource.TOPIC_CONFIG, readOnly: false });
    expect(t!.configs!.find((c) => c.name === 'segment.bytes')?.configSource).toBe(ConfigSource.DEFAULT_CONFIG);
    expect((await b.metadata(['orders'])).topics[0]!.partitions).toHaveLength(2);
    expect(b.server.services.replicaManager.getPartition('orders', 1)).toBeDefined();
  });

  it('takes num.partitions and default.replication.factor for -1 (v4+)', async () => {
    const [t] = await create([{ name: 'defaults', numPartitions: -1, replicationFactor: -1 }], { version: 4 });
    expect(t!.errorCode).toBe(0);
    expect(b.server.services.metadata.topic('defaults')?.partitions).toHaveLength(3);
  });

  it('answers every version from v0 to v7', async () => {
    for (let v = 0; v <= 7; v++) {
      const [t] = await create([{ name: `v${v}` }], { version: v });
      expect(t!.errorCode, `v${v}`).toBe(0);
    }
    expect(b.server.services.metadata.topics()).toHaveLength(8);
  });

  it('creates with explicit assignments', async () => {
    const [t] = await create([
      {
        name: 'assigned',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [
          { partitionIndex: 0, brokerIds: [0] },
          { partitionIndex: 1, brokerIds: [0] },
        ],
      },
    ]);
    expect(t).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 1 });
  });

  it('validate_only reports without creating, with the zero topic id', async () => {
    const [t] = await create([{ name: 'dry', numPartitions: 4 }], { validateOnly: true });
    expect(t).toMatchObject({ errorCode: 0, numPartitions: 4, topicId: ZERO_UUID });
    expect(b.server.services.metadata.topic('dry')).toBeUndefined();
  });

  it('refuses an existing topic with TOPIC_ALREADY_EXISTS', async () => {
    await create([{ name: 'dup' }]);
    const [t] = await create([{ name: 'dup' }]);
    expect(t).toMatchObject({
      errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
      errorMessage: "Topic 'dup' already exists.",
      numPartitions: -1,
      replicationFactor: -1,
      configs: [],
      topicId: ZERO_UUID,
    });
  });

  it('refuses every copy of a name given twice with INVALID_REQUEST, and creates the rest', async () => {
    const ts = await create([{ name: 'twice' }, { name: 'once' }, { name: 'twice' }]);
    expect(ts.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([
      ['twice', ErrorCode.INVALID_REQUEST, 'Found multiple entries for this topic.'],
      ['once', 0, null],
      ['twice', ErrorCode.INVALID_REQUEST, 'Found multiple entries for this topic.'],
    ]);
    expect(b.server.services.metadata.topic('twice')).toBeUndefined();
  });

  it.each([
    ['', 'Topic name is invalid: the empty string is not allowed'],
    ['..', "Topic name is invalid: '..' is not allowed"],
    [
      'a/b',
      "Topic name is invalid: 'a/b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
    ],
    [
      'x'.repeat(250),
      `Topic name is invalid: the length of '${'x'.repeat(250)}' is longer than the max allowed length 249`,
    ],
  ])('refuses the illegal name %j with INVALID_TOPIC_EXCEPTION', async (name, message) => {
    const [t] = await create([{ name }]);
    expect(t).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: message });
  });

  it("refuses a name colliding with an existing one through '.' and '_'", async () => {
    await create([{ name: 'a.b' }]);
    const [t] = await create([{ name: 'a_b' }]);
    expect(t).toMatchObject({
      errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
      errorMessage: "Topic 'a_b' collides with existing topic: a.b",
    });
  });

  it('refuses __cluster_metadata', async () => {
    const [t] = await create([{ name: '__cluster_metadata' }]);
    expect(t).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Creation of internal topic __cluster_metadata is prohibited.',
    });
  });

  it.each([
    [{ name: 'p0', numPartitions: 0 }, ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.'],
    [{ name: 'p-5', numPartitions: -5 }, ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.'],
    [
      { name: 'rf0', replicationFactor: 0 },
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor must be larger than 0.',
    ],
    [
      { name: 'rf3', replicationFactor: 3 },
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor: 3 larger than available brokers: 1.',
    ],
  ])('refuses bad counts: %j', async (spec, code, message) => {
    const [t] = await create([spec]);
    expect(t).toMatchObject({ errorCode: code, errorMessage: message });
  });

  it('refuses assignments together with counts, and assignments naming unknown brokers', async () => {
    const [both, unknown] = await create([
      { name: 'both', numPartitions: 1, assignments: [{ partitionIndex: 0, brokerIds: [0] }] },
      {
        name: 'unknown',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [7] }],
      },
    ]);
    expect(both!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(unknown).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: 'Unknown broker(s) in replica assignment: 7.',
    });
  });

  it.each([
    ['retention.ms', 'abc', 'Invalid value abc for configuration retention.ms: Not a number of type LONG'],
    ['no.such.config', '1', 'Unknown topic config name: no.such.config'],
    [
      'cleanup.policy',
      'foo',
      'Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete',
    ],
    ['retention.ms', null, 'Null value not supported for topic configs: retention.ms'],
  ])('refuses the config %s=%s with INVALID_CONFIG', async (name, value, message) => {
    const [t] = await create([{ name: 'cfg', configs: [{ name, value }] }]);
    expect(t).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: message });
    expect(b.server.services.metadata.topic('cfg')).toBeUndefined();
  });

  it('creates but answers REQUEST_TIMED_OUT with a timeout of 0, as ZooKeeper-mode Kafka does', async () => {
    const [t] = await create([{ name: 'quick' }], { timeoutMs: 0 });
    expect(t).toMatchObject({ errorCode: ErrorCode.REQUEST_TIMED_OUT, numPartitions: -1, configs: [] });
    expect(t!.topicId).toBe(b.server.services.metadata.topic('quick')?.topicId);
    const [dry] = await create([{ name: 'quick2' }], { timeoutMs: 0, validateOnly: true });
    expect(dry!.errorCode).toBe(0);
  });

  it('keeps the created topic across a restart', async () => {
    const [t] = await create([
      { name: 'durable', numPartitions: 2, configs: [{ name: 'retention.ms', value: '5000' }] },
    ]);
    await b.restart();
    const topic = b.server.services.metadata.topic('durable');
    expect(topic?.topicId).toBe(t!.topicId);
    expect(topic?.configs.get('retention.ms')).toBe('5000');
    expect(b.server.services.replicaManager.getPartition('durable', 1)).toBeDefined();
  });
});
