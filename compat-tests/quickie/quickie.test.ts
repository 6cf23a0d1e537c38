// The seed's QUICKIE (/work/shared/seed/kafka-design-notes.txt), verbatim, with Kafka 0.8.2.2's own
// scripts: a real ZooKeeper, Samsa started from config/server.properties, then
//
//   bin/kafka-topics.sh --create --zookeeper localhost:2181 --replication-factor 1 --partitions 1 --topic test
//   bin/kafka-topics.sh --list --zookeeper localhost:2181
//   bin/kafka-console-producer.sh --broker-list localhost:9092 --topic test
//   bin/kafka-console-consumer.sh --zookeeper localhost:2181 --topic test --from-beginning
//
// and the multi-node part (server-1.properties, server-2.properties, --replication-factor 3, --describe,
// kill -9, --describe). The only changes: ports are free ones instead of 2181/9092-9094, and each
// broker's log.dir is a temp dir. See README.md beside this file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZooKeeperServer } from '../../src/broker/testing/zookeeper-server.js';
import { ZkClient } from '../../src/broker/metadata/zookeeper/zk-client.js';
import { ok, runTool, type ToolResult } from '../kafka-tools/tools.js';
import { SamsaNode, runUntil } from './processes.js';

const V = '0.8.2.2';
// SAMSA_COMPAT_TARGET=kafka runs the same steps against Kafka 0.8.2.2's own brokers (processes.ts).
const usable = ZooKeeperServer.available();

let zk: ZooKeeperServer;
let scratch: string;
const nodes: SamsaNode[] = [];
const zkConnect = (): string => `localhost:${zk.port}`;
const brokerList = (n: SamsaNode): string => `localhost:${n.port}`;

const tail = (): string => nodes.map((n) => n.tail(60)).join('\n');
async function tool(name: string, args: string[], input?: string): Promise<ToolResult> {
  const r = await runTool(V, name, args, { input, timeoutMs: 90_000 });
  if (r.status !== 0) console.error(`--- broker output\n${tail()}`);
  return ok(r, `${name}.sh ${args.join(' ')}`);
}

/** The lines the 0.8.2 console consumer printed (records only; its log goes to stderr). */
const lines = (stdout: string): string[] => stdout.split('\n').filter((l) => l !== '');

/** `kafka-console-consumer.sh --zookeeper ... --topic <t> --from-beginning [more]` until `want` lines came. */
async function consume(topic: string, want: number, more: string[] = []): Promise<string[]> {
  const r = await runUntil(
    V,
    'kafka-console-consumer',
    ['--zookeeper', zkConnect(), '--topic', topic, '--from-beginning', ...more],
    (out) => lines(out).length >= want,
  );
  if (r.timedOut || lines(r.stdout).length < want) {
    throw new Error(
      `console consumer printed ${lines(r.stdout).length} of ${want} lines (exit ${r.status})\n` +
        `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- broker output\n${tail()}`,
    );
  }
  return lines(r.stdout);
}

async function zkGet(path: string): Promise<string | null> {
  const c = await ZkClient.connect(
    { connect: zkConnect(), sessionTimeoutMs: 6000, connectionTimeoutMs: 10_000 },
    () => {},
  );
  try {
    return (await c.get(path))?.data ?? null;
  } finally {
    c.close();
  }
}

/** The partition lines of 0.8.2's `--describe`: `Topic: t  Partition: 0  Leader: 1  Replicas: 1,2,0  Isr: 1,2,0`. */
function partitions(stdout: string): { leader: number; replicas: number[]; isr: number[] }[] {
  const ids = (s: string | undefined): number[] =>
    (s ?? '')
      .split(',')
      .filter((x) => x !== '')
      .map(Number);
  return [...stdout.matchAll(/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]*)\s+Isr: ([\d,]*)/g)].map((m) => ({
    leader: Number(m[2]),
    replicas: ids(m[3]),
    isr: ids(m[4]),
  }));
}

beforeAll(async () => {
  if (!usable) return;
  scratch = mkdtempSync(join(tmpdir(), 'samsa-quickie-tools-'));
  zk = await ZooKeeperServer.start();
  await startNode('server.properties');
});

/** Starts a broker from config/<file> and waits (bounded) until it has registered in /brokers/ids. */
async function startNode(file: string): Promise<void> {
  const node = await SamsaNode.start(file, zkConnect());
  nodes.push(node);
  await until(
    () => zkGet(`/brokers/ids/${brokerId(node)}`),
    (v) => v !== null,
    30_000,
  );
}

afterAll(async () => {
  for (const n of nodes.splice(0)) await n.stop();
  await zk?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!usable)(`Kafka ${V} QUICKIE`, () => {
  describe('single-node', () => {
    const messages = ['This is a message', 'This is another message'];

    it('kafka-topics.sh --create --zookeeper', async () => {
      const r = await tool('kafka-topics', [
        '--create',
        '--zookeeper',
        zkConnect(),
        '--replication-factor',
        '1',
        '--partitions',
        '1',
        '--topic',
        'test',
      ]);
      expect(r.stdout).toContain('Created topic "test".');
    });

    it('kafka-topics.sh --list --zookeeper', async () => {
      const r = await tool('kafka-topics', ['--list', '--zookeeper', zkConnect()]);
      expect(lines(r.stdout)).toEqual(['test']);
    });

    it('kafka-topics.sh --describe --zookeeper shows broker 0 leading', async () => {
      const r = await tool('kafka-topics', ['--describe', '--zookeeper', zkConnect(), '--topic', 'test']);
      expect(r.stdout).toMatch(/Topic:test\s+PartitionCount:1\s+ReplicationFactor:1/);
      expect(partitions(r.stdout)).toEqual([{ leader: 0, replicas: [0], isr: [0] }]);
    });

    it('kafka-console-producer.sh --broker-list sends typed lines (old producer, acks=0)', async () => {
      const r = await tool(
        'kafka-console-producer',
        ['--broker-list', brokerList(nodes[0]!), '--topic', 'test'],
        messages.map((m) => `${m}\n`).join(''),
      );
      expect(r.stderr).not.toMatch(/ERROR|Exception/);
    });

    it('kafka-console-consumer.sh --zookeeper --from-beginning prints them', async () => {
      // acks=0: nothing tells the producer the broker has them; the consumer waits for them.
      expect(await consume('test', messages.length)).toEqual(messages);
    });

    it('the console consumer of a named group keeps its offsets under /consumers', async () => {
      // 0.8.2's console consumer takes a group only through --consumer.config (group.id).
      const config = join(scratch, 'consumer.properties');
      writeFileSync(config, 'group.id=quickie\n');
      expect(await consume('test', messages.length, ['--consumer.config', config])).toEqual(messages);
      // The ZookeeperConsumerConnector commits on shutdown (Ctrl-C): /consumers/<group>/offsets/<topic>/<p>.
      expect(await zkGet('/consumers/quickie/offsets/test/0')).toBe(String(messages.length));
      await tool('kafka-console-producer', ['--broker-list', brokerList(nodes[0]!), '--topic', 'test'], 'one more\n');
      // Without --from-beginning the group resumes from its committed offset.
      const r = await runUntil(
        V,
        'kafka-console-consumer',
        ['--zookeeper', zkConnect(), '--topic', 'test', '--consumer.config', config],
        (out) => lines(out).length >= 1,
      );
      expect(lines(r.stdout), r.stderr).toEqual(['one more']);
    });
  });

  // The multi-node part: three brokers, replication factor 3, kill -9 of the leader (cluster mode).
  describe('multi-node', () => {
    const topic = 'my-replicated-topic';
    const messages = ['my test message 1', 'my test message 2'];

    it('server-1 and server-2 join; --replication-factor 3 topic; --describe shows all in sync', async () => {
      await startNode('server-1.properties');
      await startNode('server-2.properties');
      await tool('kafka-topics', [
        '--create',
        '--zookeeper',
        zkConnect(),
        '--replication-factor',
        '3',
        '--partitions',
        '1',
        '--topic',
        topic,
      ]);
      const p = await until(
        async () =>
          partitions((await tool('kafka-topics', ['--describe', '--zookeeper', zkConnect(), '--topic', topic])).stdout),
        (ps) => ps.length === 1 && ps[0]!.isr.length === 3,
      );
      expect([...p[0]!.replicas].sort()).toEqual([0, 1, 2]);
      expect([...p[0]!.isr].sort()).toEqual([0, 1, 2]);
      expect(p[0]!.replicas).toContain(p[0]!.leader);
    });

    it('produce to one broker, consume from the beginning', async () => {
      await tool(
        'kafka-console-producer',
        ['--broker-list', brokerList(nodes[0]!), '--topic', topic],
        messages.map((m) => `${m}\n`).join(''),
      );
      expect(await consume(topic, messages.length)).toEqual(messages);
    });

    it('kill -9 the leader: --describe shows a new leader and the ISR without it; the messages are still there', async () => {
      const before = partitions(
        (await tool('kafka-topics', ['--describe', '--zookeeper', zkConnect(), '--topic', topic])).stdout,
      )[0]!;
      const leaderNode = nodes.find((n) => brokerId(n) === before.leader)!;
      await leaderNode.kill9();
      const after = await until(
        async () =>
          partitions(
            (await tool('kafka-topics', ['--describe', '--zookeeper', zkConnect(), '--topic', topic])).stdout,
          )[0]!,
        (p) => p.leader !== before.leader && p.leader >= 0 && !p.isr.includes(before.leader),
      );
      expect(after.replicas).toEqual(before.replicas);
      expect([...after.isr].sort()).toEqual(before.replicas.filter((r) => r !== before.leader).sort());
      expect(await consume(topic, messages.length)).toEqual(messages);
    });
  });
});

/** broker.id of each config file, as config/*.properties set it. */
function brokerId(n: SamsaNode): number {
  return { 'server.properties': 0, 'server-1.properties': 1, 'server-2.properties': 2 }[n.file] ?? -1;
}

/** Polls `get` (bounded: 60 s, the ZooKeeper session timeout and an election) until `done`. */
async function until<T>(get: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
