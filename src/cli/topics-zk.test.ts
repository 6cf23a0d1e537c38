import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZkClient } from '../broker/metadata/zookeeper/zk-client.js';
import { PERSISTENT_PATHS, encodeBroker, encodePartitionState } from '../broker/metadata/zookeeper/zk-data.js';
import { TestBroker } from '../broker/testing/admin-broker.js';
import { ZooKeeperServer } from '../broker/testing/zookeeper-server.js';
import { runTool } from './testing/tool-harness.js';
import { topics } from './topics.js';

// `samsa topics --zookeeper` against a real ZooKeeper 3.8, one chroot per test. Brokers are stood in for
// by their registrations (ephemeral /brokers/ids/<id>), and the controller by writing partition states,
// except in the last test, where a real broker in ZooKeeper mode is the controller.
const run = ZooKeeperServer.available() ? describe : describe.skip;
let server: ZooKeeperServer;
let zk: ZkClient;
let connect: string;
let n = 0;

beforeAll(async () => {
  if (ZooKeeperServer.available()) server = await ZooKeeperServer.start();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

const zkOpts = (c: string) => ({ connect: c, sessionTimeoutMs: 6000, connectionTimeoutMs: 10_000 });
const tool = (...args: string[]) => runTool(topics, ['--zookeeper', connect, ...args]);
const json = async (path: string): Promise<unknown> => JSON.parse((await zk.get(path))!.data) as unknown;

async function registerBroker(id: number): Promise<void> {
  const endpoint = { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 9092 + id };
  const info = { brokerId: id, host: '127.0.0.1', port: 9092 + id, rack: null, endpoints: [endpoint] };
  await zk.create(`/brokers/ids/${id}`, encodeBroker(info, Date.now()), 'ephemeral');
}

/** What the controller would write for a partition. */
async function writeState(topic: string, p: number, leader: number, isr: number[]): Promise<void> {
  await zk.ensurePath(`/brokers/topics/${topic}/partitions/${p}`);
  await zk.create(
    `/brokers/topics/${topic}/partitions/${p}/state`,
    encodePartitionState({ leader, leaderEpoch: 0, isr, controllerEpoch: 1 }),
  );
}

run('samsa topics --zookeeper', () => {
  beforeEach(async () => {
    connect = server.connect(`/topics-zk-${++n}`);
    zk = await ZkClient.connect(zkOpts(connect), () => {});
    for (const p of PERSISTENT_PATHS) await zk.ensurePath(p);
    for (const id of [0, 1, 2]) await registerBroker(id);
  });
  afterEach(() => zk.close());

  it('creates a topic as Kafka 2.x does: /config/topics then a version 3 assignment, no states', async () => {
    const r = await tool(
      '--create',
      '--topic',
      'orders',
      '--partitions',
      '6',
      '--replication-factor',
      '3',
      '--config',
      'retention.ms=1000',
    );
    expect(r).toMatchObject({ code: 0, out: 'Created topic orders.\n', err: '' });
    expect(await json('/config/topics/orders')).toEqual({ version: 1, config: { 'retention.ms': '1000' } });
    const topic = (await json('/brokers/topics/orders')) as { partitions: Record<string, number[]>; topic_id: string };
    expect(topic).toMatchObject({ version: 3, adding_replicas: {}, removing_replicas: {} });
    expect(topic.topic_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // AdminUtils: first replicas go round robin over the brokers, followers at a shifting distance.
    const lists = Object.keys(topic.partitions)
      .sort((a, b) => Number(a) - Number(b))
      .map((p) => topic.partitions[p]!);
    expect(lists).toHaveLength(6);
    for (const l of lists) expect(new Set(l).size).toBe(3);
    const firsts = lists.map((l) => l[0]!);
    for (let p = 1; p < 6; p++) expect(firsts[p]).toBe((firsts[p - 1]! + 1) % 3);
    expect(lists[3]![1]).not.toBe(lists[0]![1]); // the shift grew when partition 3 wrapped around
    expect(await zk.exists('/brokers/topics/orders/partitions')).toBe(false);
  });

  it("describes in Kafka 3.9's layout, with leader, replicas and ISR from the state znodes", async () => {
    await tool('--create', '--topic', 'my-replicated-topic', '--replica-assignment', '1:2:0,2:0:1');
    await writeState('my-replicated-topic', 0, 1, [1, 2, 0]);
    const id = ((await json('/brokers/topics/my-replicated-topic')) as { topic_id: string }).topic_id;
    const r = await tool('--describe', '--topic', 'my-replicated-topic');
    expect(r.err).toBe('');
    expect(r.out).toBe(
      `Topic: my-replicated-topic\tTopicId: ${id}\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: \n` +
        '\tTopic: my-replicated-topic\tPartition: 0\tLeader: 1\tReplicas: 1,2,0\tIsr: 1,2,0\tElr: N/A\tLastKnownElr: N/A\n' +
        // No state yet (the controller has not elected): no leader.
        '\tTopic: my-replicated-topic\tPartition: 1\tLeader: none\tReplicas: 2,0,1\tIsr: \tElr: N/A\tLastKnownElr: N/A\n',
    );
  });

  it('filters under-replicated and unavailable partitions as Kafka does', async () => {
    await tool('--create', '--topic', 'f', '--replica-assignment', '1:2:0,2:0:1,0:1:2');
    await writeState('f', 0, 1, [1, 2, 0]);
    await writeState('f', 1, 2, [2, 0]);
    await writeState('f', 2, 5, [5]);
    const under = await tool('--describe', '--topic', 'f', '--under-replicated-partitions');
    expect(under.out.split('\n').filter((l) => l !== '')).toEqual([
      '\tTopic: f\tPartition: 1\tLeader: 2\tReplicas: 2,0,1\tIsr: 2,0\tElr: N/A\tLastKnownElr: N/A',
      '\tTopic: f\tPartition: 2\tLeader: 5\tReplicas: 0,1,2\tIsr: 5\tElr: N/A\tLastKnownElr: N/A',
    ]);
    const unavailable = await tool('--describe', '--unavailable-partitions');
    expect(unavailable.out).toBe(
      '\tTopic: f\tPartition: 2\tLeader: 5\tReplicas: 0,1,2\tIsr: 5\tElr: N/A\tLastKnownElr: N/A\n',
    );
  });

  it("adds partitions from partition 0's first replica, keeping the topic id (Kafka's addPartitions)", async () => {
    await tool('--create', '--topic', 'grow', '--replica-assignment', '1:2:0');
    const before = (await json('/brokers/topics/grow')) as { topic_id: string };
    const r = await tool('--alter', '--topic', 'grow', '--partitions', '3');
    expect(r).toMatchObject({
      code: 0,
      out:
        'WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\n' +
        'Adding partitions succeeded!\n',
    });
    expect(await json('/brokers/topics/grow')).toEqual({
      partitions: { '0': [1, 2, 0], '1': [2, 1, 0], '2': [0, 2, 1] },
      topic_id: before.topic_id,
      adding_replicas: {},
      removing_replicas: {},
      version: 3,
    });
    const fewer = await tool('--alter', '--topic', 'grow', '--partitions', '2');
    expect(fewer.code).toBe(1);
    expect(fewer.err).toContain('INVALID_PARTITIONS');
  });

  it('alters and deletes config overrides with a change notification', async () => {
    await tool(
      '--create',
      '--topic',
      'cfg',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
      '--config',
      'retention.ms=5',
    );
    const r = await tool(
      '--alter',
      '--topic',
      'cfg',
      '--config',
      'cleanup.policy=compact',
      '--delete-config',
      'retention.ms',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Updated config for topic cfg.\n');
    expect(await json('/config/topics/cfg')).toEqual({ version: 1, config: { 'cleanup.policy': 'compact' } });
    const changes = (await zk.children('/config/changes'))!;
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatch(/^config_change_\d{10}$/);
    expect(await json(`/config/changes/${changes[0]}`)).toEqual({ version: 2, entity_path: 'topics/cfg' });
    const bad = await tool('--alter', '--topic', 'cfg', '--config', 'retention.ms=abc');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('INVALID_CONFIG');
    expect((await tool('--describe', '--topic', 'cfg')).out).toContain('\tConfigs: cleanup.policy=compact\n');
  });

  it('marks topics for deletion and lists them as marked', async () => {
    await tool('--create', '--topic', 'gone', '--partitions', '1', '--replication-factor', '2');
    await tool('--create', '--topic', 'kept', '--partitions', '1', '--replication-factor', '2');
    expect(await tool('--delete', '--topic', 'gone')).toMatchObject({
      code: 0,
      out: 'Topic gone is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n',
    });
    expect(await zk.exists('/admin/delete_topics/gone')).toBe(true);
    expect((await tool('--delete', '--topic', 'gone')).out).toBe('Topic gone is already marked for deletion.\n');
    expect((await tool('--list')).out).toBe('gone - marked for deletion\nkept\n');
    await writeState('gone', 0, 0, [0]);
    expect((await tool('--describe', '--topic', 'gone')).out).toContain('\tMarkedForDeletion: true\n');
  });

  it.each([
    [
      ['--create', '--topic', 'x', '--partitions', '1', '--replication-factor', '4'],
      'Replication factor: 4 larger than available brokers: 3.',
    ],
    [['--create', '--topic', 'x', '--partitions', '1'], 'missing required argument --replication-factor'],
    [['--create', '--topic', 'x', '--replication-factor', '1'], 'missing required argument --partitions'],
    [['--create', '--topic', 'x', '--replica-assignment', '1:7'], 'Unknown broker(s) in replica assignment: 7.'],
    [['--create', '--topic', 'bad/name', '--partitions', '1', '--replication-factor', '1'], 'Topic name is invalid'],
    [['--describe', '--topic', 'missing'], "Topic 'missing' does not exist as expected"],
    [['--list', '--bootstrap-server', '127.0.0.1:9092'], 'Only one of --bootstrap-server or --zookeeper'],
    [['--alter', '--topic', 'x'], '--alter needs --partitions, --config or --delete-config'],
  ])('rejects %j with one line and exit code 1', async (args, message) => {
    const r = await tool(...args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses an existing topic (unless --if-not-exists) and internal topic deletion', async () => {
    await tool('--create', '--topic', 'dup', '--partitions', '1', '--replication-factor', '1');
    const again = await tool('--create', '--topic', 'dup', '--partitions', '1', '--replication-factor', '1');
    expect(again).toMatchObject({ code: 1, out: '' });
    expect(again.err).toBe("samsa topics: creating topic dup: TOPIC_ALREADY_EXISTS (Topic 'dup' already exists.)\n");
    const quiet = await tool(
      '--create',
      '--topic',
      'dup',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
      '--if-not-exists',
    );
    expect(quiet).toMatchObject({ code: 0, out: '' });
    await zk.create('/brokers/topics/__consumer_offsets', '{"version":1,"partitions":{"0":[0]}}');
    const internal = await tool('--delete', '--topic', '__consumer_offsets');
    expect(internal.code).toBe(1);
    expect(internal.err).toContain('is a kafka internal topic and is not allowed to be marked for deletion');
  });

  it('--delete-config is refused without --zookeeper', async () => {
    const r = await runTool(topics, [
      '--bootstrap-server',
      '127.0.0.1:1',
      '--alter',
      '--topic',
      'x',
      '--delete-config',
      'a',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--delete-config can only be used with --alter and --zookeeper');
  });

  it('names the ZooKeeper address when none answers, after zookeeper.connection.timeout.ms', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'samsa-cfg-')), 'zk.properties');
    writeFileSync(file, 'zookeeper.connection.timeout.ms=300\n');
    const started = Date.now();
    const r = await runTool(topics, ['--zookeeper', '127.0.0.1:1/chroot', '--command-config', file, '--list']);
    expect(r).toMatchObject({
      code: 1,
      out: '',
      err: 'samsa topics: cannot connect to ZooKeeper 127.0.0.1:1 (timed out after 300 ms)\n',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

run('samsa topics --zookeeper with a broker in ZooKeeper mode', () => {
  let broker: TestBroker;
  beforeEach(async () => {
    connect = server.connect(`/topics-zk-broker-${++n}`);
    broker = await TestBroker.start(`zookeeper.connect=${connect}\n`);
  }, 30_000);
  afterEach(async () => {
    await broker.stop();
  });

  it('the controller elects a leader for a topic the tool wrote, and both forms describe it alike', async () => {
    const created = await tool('--create', '--topic', 'seed', '--partitions', '2', '--replication-factor', '1');
    expect(created.code).toBe(0);
    const expected = (id: string) =>
      `Topic: seed\tTopicId: ${id}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n` +
      '\tTopic: seed\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A\n' +
      '\tTopic: seed\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A\n';
    let described = '';
    for (let i = 0; i < 100 && !described.includes('Partition: 1\tLeader: 0'); i++) {
      described = (await tool('--describe', '--topic', 'seed')).out;
      await new Promise((r) => setTimeout(r, 50));
    }
    const id = /TopicId: (\S+)/.exec(described)?.[1] ?? '';
    expect(described).toBe(expected(id));
    const viaBroker = await runTool(topics, [
      '--bootstrap-server',
      `127.0.0.1:${broker.server.boundPorts[0]}`,
      '--describe',
      '--topic',
      'seed',
    ]);
    expect(viaBroker.out.split('\n')[0]).toBe(expected(id).split('\n')[0]);
    expect((await tool('--delete', '--topic', 'seed')).code).toBe(0);
    let listed = 'seed';
    for (let i = 0; i < 100 && listed.includes('seed'); i++) {
      listed = (await tool('--list')).out;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(listed).toBe('');
  });
});
