import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeleteTopics } from '../../../protocol/messages/20-delete-topics.js';
import { Metadata } from '../../../protocol/messages/03-metadata.js';
import { TestBroker } from '../../testing/admin-broker.js';
import { ZooKeeperServer } from '../../testing/zookeeper-server.js';
import { ZkClient } from './zk-client.js';

// A real ZooKeeper 3.8 and a real broker in ZooKeeper mode, chrooted per test.
const run = ZooKeeperServer.available() ? describe : describe.skip;
let zkServer: ZooKeeperServer;
let zk: ZkClient;
let broker: TestBroker;
let chroot: string;
let n = 0;

beforeAll(async () => {
  if (ZooKeeperServer.available()) zkServer = await ZooKeeperServer.start();
}, 30_000);
afterAll(async () => {
  await zkServer?.stop();
});

const opts = (connect: string) => ({ connect, sessionTimeoutMs: 6000, connectionTimeoutMs: 10_000 });

async function until<T>(f: () => Promise<T | null | undefined | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface MetadataTopic {
  name: string;
  errorCode: number;
  partitions: { partitionIndex: number; leaderId: number; isrNodes: number[] }[];
}
async function metadataTopic(name: string): Promise<MetadataTopic | undefined> {
  const r = await broker.client.request<{ topics: MetadataTopic[] }>(Metadata, 9, {
    topics: [{ name }],
    allowAutoTopicCreation: false,
  });
  return r.topics.find((t) => t.name === name && t.errorCode === 0);
}

run('ZooKeeper mode', () => {
  beforeEach(async () => {
    chroot = `/samsa-test-${++n}`;
    broker = await TestBroker.start(`zookeeper.connect=${zkServer.connect(chroot)}\n`);
    zk = await ZkClient.connect(opts(zkServer.connect(chroot)), () => {});
  }, 30_000);
  afterEach(async () => {
    zk.close();
    await broker.stop();
  });

  it('creates the chroot, the common paths, /cluster/id and the controller', async () => {
    for (const p of [
      '/consumers',
      '/brokers/ids',
      '/brokers/topics',
      '/config/changes',
      '/config/topics',
      '/admin/delete_topics',
      '/brokers/seqid',
    ])
      expect(await zk.exists(p), p).toBe(true);
    const cluster = JSON.parse((await zk.get('/cluster/id'))!.data) as { version: string; id: string };
    expect(cluster).toEqual({ version: '1', id: broker.server.services.metadata.clusterId });
    const controller = JSON.parse((await zk.get('/controller'))!.data) as Record<string, unknown>;
    expect(controller).toMatchObject({ version: 1, brokerid: 0 });
    expect(typeof controller.timestamp).toBe('string');
    expect(Number((await zk.get('/controller_epoch'))!.data)).toBeGreaterThanOrEqual(1);
    expect(broker.server.services.metadata.controllerId()).toBe(0);
  });

  it('registers the broker as Kafka 3.x does (version 4, timestamp as a string)', async () => {
    const node = (await zk.get('/brokers/ids/0'))!;
    const port = broker.server.boundPorts[0]!;
    expect(node.data).toBe(
      JSON.stringify({
        listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT' },
        endpoints: [`PLAINTEXT://127.0.0.1:${port}`],
        rack: null,
        jmx_port: -1,
        port,
        host: '127.0.0.1',
        version: 4,
        timestamp: JSON.parse(node.data).timestamp,
      }),
    );
    expect(JSON.parse(node.data).timestamp).toMatch(/^\d{13}$/);
  });

  it('CreateTopics writes the config, the assignment and the partition states', async () => {
    const topicId = await broker.createTopic('orders', 2, { 'retention.ms': '1000' });
    expect(JSON.parse((await zk.get('/brokers/topics/orders'))!.data)).toEqual({
      partitions: { '0': [0], '1': [0] },
      topic_id: topicId,
      adding_replicas: {},
      removing_replicas: {},
      version: 3,
    });
    expect(JSON.parse((await zk.get('/config/topics/orders'))!.data)).toEqual({
      version: 1,
      config: { 'retention.ms': '1000' },
    });
    expect(JSON.parse((await zk.get('/brokers/topics/orders/partitions/1/state'))!.data)).toMatchObject({
      leader: 0,
      version: 1,
      leader_epoch: 0,
      isr: [0],
    });
    const t = await metadataTopic('orders');
    expect(t?.partitions.map((p) => [p.partitionIndex, p.leaderId])).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('serves a topic written straight to ZooKeeper as 0.8.2 kafka-topics.sh --create does', async () => {
    await zk.create('/config/topics/legacy', '{"version":1,"config":{}}');
    await zk.create('/brokers/topics/legacy', '{"version":1,"partitions":{"1":[0],"0":[0]}}');
    const t = await until(() => metadataTopic('legacy'));
    expect(t.partitions.map((p) => [p.partitionIndex, p.leaderId, p.isrNodes])).toEqual([
      [0, 0, [0]],
      [1, 0, [0]],
    ]);
    const assignment = JSON.parse((await zk.get('/brokers/topics/legacy'))!.data) as {
      topic_id: string;
      partitions: unknown;
    };
    expect(assignment.partitions).toEqual({ '0': [0], '1': [0] });
    expect(assignment.topic_id).toBe(broker.server.services.metadata.topic('legacy')?.topicId);
  });

  it('keeps topics and the cluster id across a restart', async () => {
    const topicId = await broker.createTopic('kept', 1);
    const clusterId = broker.server.services.metadata.clusterId;
    await broker.restart();
    expect(broker.server.services.metadata.clusterId).toBe(clusterId);
    expect(broker.server.services.metadata.topic('kept')?.topicId).toBe(topicId);
    expect(await metadataTopic('kept')).toBeDefined();
    expect(await zk.exists('/brokers/ids/0')).toBe(true);
  }, 30_000);

  it('DeleteTopics removes the znodes; a marker under /admin/delete_topics deletes too', async () => {
    await broker.createTopic('gone', 1);
    await broker.createTopic('marked', 1);
    const r = await broker.client.request<{ responses: { errorCode: number }[] }>(DeleteTopics, 4, {
      topicNames: ['gone'],
      timeoutMs: 5000,
    });
    expect(r.responses[0]?.errorCode).toBe(0);
    expect(await zk.exists('/brokers/topics/gone')).toBe(false);
    expect(await zk.exists('/config/topics/gone')).toBe(false);
    await zk.create('/admin/delete_topics/marked', '');
    await until(async () => !(await zk.exists('/brokers/topics/marked')));
    await until(async () => (await metadataTopic('marked')) === undefined);
    expect(await zk.exists('/admin/delete_topics/marked')).toBe(false);
  });

  it('writes a config change notification for AlterConfigs', async () => {
    await broker.createTopic('cfg', 1);
    await broker.server.services.metadata.alterTopicConfigs('cfg', [{ name: 'retention.ms', value: '5000' }]);
    const changes = (await zk.children('/config/changes'))!;
    expect(changes.at(-1)).toMatch(/^config_change_\d{10}$/);
    expect(JSON.parse((await zk.get(`/config/changes/${changes.at(-1)}`))!.data)).toEqual({
      version: 2,
      entity_path: 'topics/cfg',
    });
  });

  it('picks up a config written by another tool through a notification', async () => {
    await broker.createTopic('ext', 1);
    await zk.set('/config/topics/ext', '{"version":1,"config":{"retention.ms":"7000"}}', -1);
    await zk.create('/config/changes/config_change_', '"ext"', 'sequential');
    await until(async () => broker.server.services.metadata.topic('ext')?.configs.get('retention.ms') === '7000');
  });
});
