import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID, isUuid } from '../../protocol/primitives/uuid.js';
import { EmbeddedMetadataStore, type EmbeddedMetadataStoreOptions } from './embedded-store.js';
import type { MetadataEvent } from './events.js';
import { RecordingLogger, broker, scratchDirs, sequentialUuids, topicRequest } from './test-support.js';

const scratch = scratchDirs();

function openStore(logDir: string, extra: Partial<EmbeddedMetadataStoreOptions> = {}): EmbeddedMetadataStore {
  return EmbeddedMetadataStore.open({ logDir, logger: new RecordingLogger(), ...extra });
}

async function standalone(
  extra: Partial<EmbeddedMetadataStoreOptions> = {},
): Promise<{ dir: string; store: EmbeddedMetadataStore }> {
  const dir = scratch();
  const store = openStore(dir, extra);
  await store.registerBroker(broker(1));
  return { dir, store };
}

describe('EmbeddedMetadataStore: cluster and brokers', () => {
  it('creates a new cluster with a random Kafka UUID and a file in the log dir', () => {
    const dir = scratch();
    const store = openStore(dir);
    expect(isUuid(store.clusterId)).toBe(true);
    expect(store.clusterId).not.toBe(ZERO_UUID);
    expect(fs.existsSync(`${dir}/samsa-metadata.json`)).toBe(true);
    expect(store.version).toBe(0);
    expect(store.controllerId()).toBe(-1);
    expect(openStore(dir).clusterId).toBe(store.clusterId);
  });

  it('creates the log dir if it does not exist', () => {
    const dir = `${scratch()}/a/b`;
    openStore(dir);
    expect(fs.existsSync(`${dir}/samsa-metadata.json`)).toBe(true);
  });

  it('registers brokers ephemerally and makes the lowest the controller', async () => {
    const dir = scratch();
    const store = openStore(dir);
    const events: MetadataEvent[] = [];
    store.subscribe((e) => events.push(e));
    await store.registerBroker(broker(2, 9093));
    await store.registerBroker(broker(1));
    expect(store.liveBrokers().map((b) => b.brokerId)).toEqual([1, 2]);
    expect(store.broker(2)?.port).toBe(9093);
    expect(store.controllerId()).toBe(1);
    await store.unregisterBroker(1);
    expect(store.controllerId()).toBe(2);
    expect(events.map((e) => e.type)).toEqual([
      'brokerRegistered',
      'controllerChanged',
      'brokerRegistered',
      'controllerChanged',
      'brokerUnregistered',
      'controllerChanged',
    ]);
    expect(openStore(dir).liveBrokers()).toEqual([]);
  });

  it('generates broker ids above reserved.broker.max.id from a persisted sequence', async () => {
    const dir = scratch();
    const store = openStore(dir);
    expect(await store.generateBrokerId()).toBe(1001);
    expect(await store.generateBrokerId()).toBe(1002);
    expect(await openStore(dir).generateBrokerId()).toBe(1003);
    expect(await openStore(dir, { maxReservedBrokerId: 5000 }).generateBrokerId()).toBe(5004);
  });
});

describe('EmbeddedMetadataStore: CreateTopics', () => {
  it('creates a topic with defaults, a topic id and leader state, and persists it', async () => {
    const { dir, store } = await standalone({ defaultNumPartitions: 3 });
    const v0 = store.version;
    const events: [MetadataEvent, number][] = [];
    store.subscribe((e, v) => events.push([e, v]));
    const [result] = await store.createTopics([topicRequest('orders')]);
    expect(result).toMatchObject({ name: 'orders', errorCode: ErrorCode.NONE, errorMessage: null, warning: null });
    const topic = store.topic('orders')!;
    expect(result!.topic).toBe(topic);
    expect(isUuid(topic.topicId)).toBe(true);
    expect(topic.topicId).not.toBe(ZERO_UUID);
    expect(topic.isInternal).toBe(false);
    expect(topic.partitions).toEqual(
      [0, 1, 2].map((partition) => ({
        partition,
        replicas: [1],
        leader: 1,
        leaderEpoch: 0,
        isr: [1],
        partitionEpoch: 0,
      })),
    );
    expect(store.topicById(topic.topicId)).toBe(topic);
    expect(store.version).toBe(v0 + 1);
    expect(events).toEqual([[{ type: 'topicCreated', topic }, v0 + 1]]);
    expect(openStore(dir).topic('orders')).toEqual(topic);
  });

  it('takes explicit partitions, replication factor and configs', async () => {
    const { store } = await standalone();
    const [r] = await store.createTopics([
      topicRequest('t', { numPartitions: 2, replicationFactor: 1, configs: [{ name: 'retention.ms', value: '1000' }] }),
    ]);
    expect(r!.errorCode).toBe(ErrorCode.NONE);
    expect(store.topic('t')!.partitions).toHaveLength(2);
    expect([...store.topic('t')!.configs]).toEqual([['retention.ms', '1000']]);
  });

  it('takes explicit assignments', async () => {
    const { store } = await standalone();
    await store.registerBroker(broker(2, 9093));
    const [r] = await store.createTopics([
      topicRequest('t', {
        assignments: [
          { partitionIndex: 1, brokerIds: [1, 2] },
          { partitionIndex: 0, brokerIds: [2, 1] },
        ],
      }),
    ]);
    expect(r!.errorCode).toBe(ErrorCode.NONE);
    expect(store.topic('t')!.partitions.map((p) => [p.replicas, p.leader, p.isr])).toEqual([
      [[2, 1], 2, [2, 1]],
      [[1, 2], 1, [1, 2]],
    ]);
  });

  it('validates only, returning the topic without an id and changing nothing', async () => {
    const { dir, store } = await standalone();
    const before = fs.readFileSync(`${dir}/samsa-metadata.json`, 'utf8');
    const v0 = store.version;
    const [r] = await store.createTopics([topicRequest('t', { numPartitions: 4 })], { validateOnly: true });
    expect(r!.errorCode).toBe(ErrorCode.NONE);
    expect(r!.topic!.topicId).toBe(ZERO_UUID);
    expect(r!.topic!.partitions).toHaveLength(4);
    expect(store.topic('t')).toBeUndefined();
    expect(store.version).toBe(v0);
    expect(fs.readFileSync(`${dir}/samsa-metadata.json`, 'utf8')).toBe(before);
  });

  it('refuses with Kafka error codes and messages', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('a.b')]);
    const results = await store.createTopics([
      topicRequest('a.b'),
      topicRequest('a_b'),
      topicRequest('bad name'),
      topicRequest(''),
      topicRequest('..'),
      topicRequest('x'.repeat(250)),
      topicRequest('p', { numPartitions: 0 }),
      topicRequest('p', { numPartitions: -2 }),
      topicRequest('r', { replicationFactor: 0 }),
      topicRequest('r', { replicationFactor: 2 }),
      topicRequest('c', { configs: [{ name: 'retention.ms', value: 'soon' }] }),
      topicRequest('c', { configs: [{ name: 'no.such.config', value: '1' }] }),
      topicRequest('c', { configs: [{ name: 'retention.ms', value: null }] }),
      topicRequest('both', { numPartitions: 1, assignments: [{ partitionIndex: 0, brokerIds: [1] }] }),
    ]);
    expect(results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['a.b', ErrorCode.TOPIC_ALREADY_EXISTS, "Topic 'a.b' already exists."],
      ['a_b', ErrorCode.INVALID_TOPIC_EXCEPTION, "Topic 'a_b' collides with existing topic: a.b"],
      [
        'bad name',
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        "Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
      ],
      ['', ErrorCode.INVALID_TOPIC_EXCEPTION, 'Topic name is invalid: the empty string is not allowed'],
      ['..', ErrorCode.INVALID_TOPIC_EXCEPTION, "Topic name is invalid: '..' is not allowed"],
      [
        'x'.repeat(250),
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        expect.stringContaining('longer than the max allowed length 249'),
      ],
      ['p', ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.'],
      ['p', ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.'],
      ['r', ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.'],
      ['r', ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor: 2 larger than available brokers: 1.'],
      ['c', ErrorCode.INVALID_CONFIG, 'Invalid value soon for configuration retention.ms: Not a number of type LONG'],
      ['c', ErrorCode.INVALID_CONFIG, 'Unknown topic config name: no.such.config'],
      ['c', ErrorCode.INVALID_CONFIG, 'Null value not supported for topic configs: retention.ms'],
      [
        'both',
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      ],
    ]);
    expect(results.every((r) => r.topic === null)).toBe(true);
    expect(store.topics().map((t) => t.name)).toEqual(['a.b']);
  });

  it('warns about . and _ in a new name', async () => {
    const { store } = await standalone();
    const [r] = await store.createTopics([topicRequest('my.topic')]);
    expect(r!.warning).toMatch(/period \('\.'\) or underscore \('_'\) could collide/);
  });

  it('refuses bad explicit assignments with INVALID_REPLICA_ASSIGNMENT', async () => {
    const { store } = await standalone();
    await store.registerBroker(broker(2, 9093));
    const cases: [number[][] | [number, number[]][], string][] = [
      [[[1, 1]], 'Duplicate replica assignment found: Map(0 -> List(1, 1))'],
      [[[1, 2], [1]], 'All partitions should have the same number of replicas'],
      [[[]], 'The manual partition assignment includes an empty replica list.'],
      [[[1, 7]], 'Unknown broker(s) in replica assignment: 7.'],
      [
        [
          [0, [1]],
          [2, [2]],
        ],
        'partitions should be a consecutive 0-based integer sequence',
      ],
      [
        [
          [0, [1]],
          [0, [2]],
        ],
        'partitions should be a consecutive 0-based integer sequence',
      ],
    ];
    for (const [spec, message] of cases) {
      const assignments = spec.map((entry, i) =>
        typeof entry[0] === 'number' && Array.isArray(entry[1])
          ? { partitionIndex: entry[0], brokerIds: entry[1] }
          : { partitionIndex: i, brokerIds: entry as number[] },
      );
      const [r] = await store.createTopics([topicRequest('t', { assignments })]);
      expect([r!.errorCode, r!.errorMessage]).toEqual([ErrorCode.INVALID_REPLICA_ASSIGNMENT, message]);
    }
  });

  it('creates several topics in one write, later requests seeing earlier ones', async () => {
    const { dir, store } = await standalone();
    const v0 = store.version;
    const writes = vi.spyOn(fs, 'renameSync');
    const results = await store.createTopics([topicRequest('x'), topicRequest('x'), topicRequest('y')]);
    expect(writes.mock.calls.filter(([, to]) => String(to).startsWith(dir))).toHaveLength(1);
    writes.mockRestore();
    expect(results.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.TOPIC_ALREADY_EXISTS, ErrorCode.NONE]);
    expect(store.version).toBe(v0 + 2);
    expect(store.topic('x')!.topicId).not.toBe(store.topic('y')!.topicId);
  });

  it('marks internal topics and keeps a topic named __proto__ a topic', async () => {
    const { dir, store } = await standalone();
    await store.createTopics([topicRequest('__consumer_offsets', { numPartitions: 50 }), topicRequest('__proto__')]);
    const reopened = openStore(dir);
    expect(reopened.topic('__consumer_offsets')!.isInternal).toBe(true);
    expect(reopened.topic('__consumer_offsets')!.partitions).toHaveLength(50);
    expect(reopened.topic('__proto__')!.partitions).toHaveLength(1);
    expect(reopened.topics().map((t) => t.name)).toEqual(['__consumer_offsets', '__proto__']);
  });

  it('refuses topics before any broker is registered, as Kafka with no live brokers', async () => {
    const store = openStore(scratch());
    const [r] = await store.createTopics([topicRequest('t')]);
    expect([r!.errorCode, r!.errorMessage]).toEqual([
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor: 1 larger than available brokers: 0.',
    ]);
  });
});

describe('EmbeddedMetadataStore: DeleteTopics', () => {
  it('deletes by name and by id, persists it, and announces the deleted topic', async () => {
    const { dir, store } = await standalone({ newUuid: sequentialUuids() });
    await store.createTopics([topicRequest('a'), topicRequest('b'), topicRequest('c')]);
    const a = store.topic('a')!;
    const b = store.topic('b')!;
    const events: MetadataEvent[] = [];
    store.subscribe((e) => events.push(e));
    const results = await store.deleteTopics([{ name: 'a' }, { topicId: b.topicId }, { name: 'a' }, { name: 'zz' }]);
    expect(results).toEqual([
      { errorCode: ErrorCode.NONE, errorMessage: null, name: 'a', topicId: a.topicId },
      { errorCode: ErrorCode.NONE, errorMessage: null, name: 'b', topicId: b.topicId },
      {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: "Topic 'a' does not exist.",
        name: 'a',
        topicId: ZERO_UUID,
      },
      {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: "Topic 'zz' does not exist.",
        name: 'zz',
        topicId: ZERO_UUID,
      },
    ]);
    const [unknownId] = await store.deleteTopics([{ topicId: a.topicId }]);
    expect(unknownId).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: a.topicId });
    expect(events).toEqual([
      { type: 'topicDeleted', topic: a },
      { type: 'topicDeleted', topic: b },
    ]);
    expect(store.topicById(a.topicId)).toBeUndefined();
    expect(
      openStore(dir)
        .topics()
        .map((t) => t.name),
    ).toEqual(['c']);
  });

  it('gives a re-created topic a new id', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('t')]);
    const first = store.topic('t')!.topicId;
    await store.deleteTopics([{ name: 't' }]);
    await store.createTopics([topicRequest('t')]);
    expect(store.topic('t')!.topicId).not.toBe(first);
  });
});

describe('EmbeddedMetadataStore: CreatePartitions', () => {
  it('adds partitions with leader state and persists them', async () => {
    const { dir, store } = await standalone();
    await store.createTopics([topicRequest('t', { numPartitions: 2 })]);
    const events: MetadataEvent[] = [];
    store.subscribe((e) => events.push(e));
    const [r] = await store.createPartitions([{ name: 't', count: 5, assignments: null }]);
    expect(r).toEqual({ name: 't', errorCode: ErrorCode.NONE, errorMessage: null });
    const topic = store.topic('t')!;
    expect(topic.partitions.map((p) => [p.partition, p.replicas, p.leader])).toEqual([
      [0, [1], 1],
      [1, [1], 1],
      [2, [1], 1],
      [3, [1], 1],
      [4, [1], 1],
    ]);
    expect(events).toEqual([{ type: 'partitionsCreated', topic, partitions: [2, 3, 4] }]);
    expect(openStore(dir).topic('t')).toEqual(topic);
  });

  it('places new partitions as Kafka does on several brokers', async () => {
    const { store } = await standalone();
    await store.registerBroker(broker(2, 9093));
    await store.registerBroker(broker(3, 9094));
    await store.createTopics([
      topicRequest('t', {
        assignments: [
          { partitionIndex: 0, brokerIds: [2, 3] },
          { partitionIndex: 1, brokerIds: [3, 1] },
        ],
      }),
    ]);
    await store.createPartitions([{ name: 't', count: 5, assignments: null }]);
    // start index and shift = index of the first broker >= 2 (partition 0's leader) = 1, from p2;
    // the shift grows to 2 at p3 where the partition id wraps around the 3 brokers.
    expect(
      store
        .topic('t')!
        .partitions.slice(2)
        .map((p) => p.replicas),
    ).toEqual([
      [1, 3],
      [2, 3],
      [3, 1],
    ]);
  });

  it('takes explicit assignments and validates them', async () => {
    const { store } = await standalone();
    await store.registerBroker(broker(2, 9093));
    await store.createTopics([topicRequest('t', { numPartitions: 1, replicationFactor: 2 })]);
    const results = await store.createPartitions([
      {
        name: 't',
        count: 3,
        assignments: [
          [2, 9],
          [1, 2],
        ],
      },
      { name: 't', count: 3, assignments: [[2, 1]] },
      {
        name: 't',
        count: 3,
        assignments: [
          [2, 2],
          [1, 2],
        ],
      },
      { name: 't', count: 3, assignments: [[], [1, 2]] },
      { name: 't', count: 4, assignments: [[2], [1, 2], [1]] },
      {
        name: 't',
        count: 3,
        assignments: [
          [2, 1],
          [1, 2],
        ],
      },
    ]);
    expect(results.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Unknown broker(s) in replica assignment: 9.'],
      [ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Increasing the number of partitions by 2 but 1 assignments provided.'],
      [
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        'Duplicate brokers not allowed in replica assignment: 2, 2 for partition id 1.',
      ],
      [ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Cannot have replication factor of 0 for partition id 1.'],
      [
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        'Inconsistent replication factor between partitions, partition 0 has 2 while partitions [1, 3] have replication factors [1, 1], respectively.',
      ],
      [ErrorCode.NONE, null],
    ]);
    expect(store.topic('t')!.partitions.map((p) => p.replicas)).toEqual([
      store.topic('t')!.partitions[0]!.replicas,
      [2, 1],
      [1, 2],
    ]);
  });

  it('refuses unknown topics and counts that do not grow', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('t', { numPartitions: 3 })]);
    const results = await store.createPartitions([
      { name: 'nope', count: 3, assignments: null },
      { name: 't', count: 3, assignments: null },
      { name: 't', count: 2, assignments: null },
    ]);
    expect(results.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The topic 'nope' does not exist."],
      [ErrorCode.INVALID_PARTITIONS, 'Topic already has 3 partitions.'],
      [ErrorCode.INVALID_PARTITIONS, 'Topic currently has 3 partitions, which is higher than the requested 2.'],
    ]);
  });

  it('validates only without changing anything', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('t')]);
    const [r] = await store.createPartitions([{ name: 't', count: 4, assignments: null }], { validateOnly: true });
    expect(r!.errorCode).toBe(ErrorCode.NONE);
    expect(store.topic('t')!.partitions).toHaveLength(1);
  });
});

describe('EmbeddedMetadataStore: topic configs', () => {
  it('alters configs incrementally, announces the change and persists it', async () => {
    const { dir, store } = await standalone();
    await store.createTopics([topicRequest('t', { configs: [{ name: 'retention.ms', value: '1000' }] })]);
    const events: MetadataEvent[] = [];
    store.subscribe((e) => events.push(e));
    const r = await store.incrementalAlterTopicConfigs('t', [
      { name: 'retention.ms', op: 'SET', value: '2000' },
      { name: 'cleanup.policy', op: 'APPEND', value: 'compact' },
    ]);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    const expected = { 'retention.ms': '2000', 'cleanup.policy': 'delete,compact' };
    expect(Object.fromEntries(r.configs!)).toEqual(expected);
    expect(Object.fromEntries(store.topic('t')!.configs)).toEqual(expected);
    expect(events).toEqual([{ type: 'topicConfigChanged', topic: store.topic('t') }]);
    expect(Object.fromEntries(openStore(dir).topic('t')!.configs)).toEqual(expected);
  });

  it('replaces all overrides with AlterConfigs', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('t', { configs: [{ name: 'retention.ms', value: '1000' }] })]);
    const r = await store.alterTopicConfigs('t', [{ name: 'segment.ms', value: '60000' }]);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(Object.fromEntries(store.topic('t')!.configs)).toEqual({ 'segment.ms': '60000' });
  });

  it('refuses unknown topics and bad configs, and validates only on request', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('t')]);
    const v0 = store.version;
    expect(await store.alterTopicConfigs('nope', [])).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: "Topic 'nope' does not exist.",
      configs: null,
    });
    expect(await store.incrementalAlterTopicConfigs('t', [{ name: 'x.y', op: 'SET', value: '1' }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Unknown topic config name: x.y',
    });
    const v = await store.incrementalAlterTopicConfigs('t', [{ name: 'retention.ms', op: 'SET', value: '5' }], {
      validateOnly: true,
    });
    expect(v.errorCode).toBe(ErrorCode.NONE);
    expect(store.topic('t')!.configs.size).toBe(0);
    expect(store.version).toBe(v0);
  });

  it('does not write or announce a change that changes nothing', async () => {
    const { store } = await standalone();
    await store.createTopics([topicRequest('t')]);
    const v0 = store.version;
    await store.incrementalAlterTopicConfigs('t', [{ name: 'retention.ms', op: 'DELETE', value: null }]);
    expect(store.version).toBe(v0);
  });
});

describe('EmbeddedMetadataStore: partition state', () => {
  it('updates leader, epoch and ISR against the partition epoch', async () => {
    const { dir, store } = await standalone();
    await store.createTopics([topicRequest('t')]);
    const r = await store.updatePartitionState('t', 0, { leader: 1, leaderEpoch: 1, isr: [1] }, 0);
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, partition: { leaderEpoch: 1, partitionEpoch: 1 } });
    const stale = await store.updatePartitionState('t', 0, { leader: 1, leaderEpoch: 2, isr: [1] }, 0);
    expect(stale).toMatchObject({ errorCode: ErrorCode.INVALID_UPDATE_VERSION, partition: null });
    const fenced = await store.updatePartitionState('t', 0, { leader: 1, leaderEpoch: 0, isr: [1] }, 1);
    expect(fenced.errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    const outsider = await store.updatePartitionState('t', 0, { leader: 5, leaderEpoch: 2, isr: [5] }, 1);
    expect(outsider.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    const offline = await store.updatePartitionState('t', 0, { leader: -1, leaderEpoch: 2, isr: [] }, 1);
    expect(offline.errorCode).toBe(ErrorCode.NONE);
    expect((await store.updatePartitionState('t', 9, { leader: 1, leaderEpoch: 0, isr: [1] }, 0)).errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect(openStore(dir).topic('t')!.partitions[0]).toEqual({
      partition: 0,
      replicas: [1],
      leader: -1,
      leaderEpoch: 2,
      isr: [],
      partitionEpoch: 2,
    });
  });
});

describe('EmbeddedMetadataStore: crash safety', () => {
  it('ignores and removes a leftover .tmp from a write that never committed', async () => {
    const { dir, store } = await standalone();
    await store.createTopics([topicRequest('kept')]);
    fs.writeFileSync(`${dir}/samsa-metadata.json.tmp`, '{"format":"samsa-metadata","vers');
    const logger = new RecordingLogger();
    const reopened = openStore(dir, { logger });
    expect(reopened.topics().map((t) => t.name)).toEqual(['kept']);
    expect(fs.existsSync(`${dir}/samsa-metadata.json.tmp`)).toBe(false);
    expect(logger.lines.some((l) => l.startsWith('WARN') && l.includes('.tmp'))).toBe(true);
  });

  it('keeps the old state in memory and on disk when the rename fails', async () => {
    const { dir, store } = await standalone();
    await store.createTopics([topicRequest('old')]);
    const v0 = store.version;
    const before = fs.readFileSync(`${dir}/samsa-metadata.json`);
    const spy = vi.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    const events: MetadataEvent[] = [];
    store.subscribe((e) => events.push(e));
    try {
      await expect(store.createTopics([topicRequest('new')])).rejects.toMatchObject({
        name: 'MetadataError',
        code: 'METADATA_WRITE_FAILED',
        message: expect.stringContaining(`${dir}/samsa-metadata.json`),
      });
    } finally {
      spy.mockRestore();
    }
    expect(store.topic('new')).toBeUndefined();
    expect(store.version).toBe(v0);
    expect(events).toEqual([]);
    expect(fs.readFileSync(`${dir}/samsa-metadata.json`)).toEqual(before);
    expect(fs.existsSync(`${dir}/samsa-metadata.json.tmp`)).toBe(false);
    expect((await store.createTopics([topicRequest('new')]))[0]!.errorCode).toBe(ErrorCode.NONE);
  });

  it('refuses to open over a corrupt file, naming it, and leaves the file alone', () => {
    const dir = scratch();
    openStore(dir);
    const file = `${dir}/samsa-metadata.json`;
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length - 5));
    expect(() => openStore(dir)).toThrow(
      expect.objectContaining({ code: 'METADATA_CORRUPT', message: expect.stringContaining(file) }),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(text.slice(0, text.length - 5));
  });

  it('rejects mutations after close', async () => {
    const { store } = await standalone();
    await store.close();
    await expect(store.createTopics([topicRequest('t')])).rejects.toMatchObject({ code: 'METADATA_STORE_CLOSED' });
  });
});
