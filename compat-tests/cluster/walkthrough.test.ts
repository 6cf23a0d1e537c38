// The seed's multi-node walkthrough, as written: three brokers from config/server.properties,
// server-1.properties and server-2.properties (their own ports 9092-9094; overrides only for log.dir, into
// a temp dir, and zookeeper.connect, to this test's ZooKeeper), a replication-factor-3 topic created with
// `samsa topics --zookeeper`, described both ways, messages from the console producer, kill -9 of the
// leader, the leader moving and the ISR shrinking, and every message read back by the console consumer.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/broker.js';
import { TestCluster, samsa, type ToolResult } from './harness/cluster.js';
import { zookeeperAvailable } from './harness/zookeeper.js';

const TOPIC = 'my-replicated-topic';
const MESSAGES = Array.from({ length: 200 }, (_, i) => `message ${i + 1}`);

interface PartitionRow {
  leader: string;
  replicas: number[];
  isr: number[];
}

/** The partition line's Leader, Replicas and Isr columns (both forms print them alike). */
function partitionRow(out: string): PartitionRow | null {
  const m = /\tTopic: my-replicated-topic\tPartition: 0\tLeader: (\S+)\tReplicas: ([\d,]*)\tIsr: ([\d,]*)\t/.exec(out);
  if (m === null) return null;
  const ids = (s: string) => (s === '' ? [] : s.split(',').map(Number));
  return { leader: m[1]!, replicas: ids(m[2]!), isr: ids(m[3]!) };
}

function ok(r: ToolResult, what: string): ToolResult {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

const run = zookeeperAvailable() ? describe : describe.skip;

run('Samsa cluster: the seed walkthrough', () => {
  let cluster: TestCluster;
  const zkDescribe = () => samsa('topics', ['--describe', '--zookeeper', cluster.zk.connect(), '--topic', TOPIC]);
  const brokerDescribe = (port: number) =>
    samsa('topics', ['--describe', '--bootstrap-server', `localhost:${port}`, '--topic', TOPIC]);

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: [
        { id: 0, port: 9092, propertiesFile: join(repoRoot, 'config/server.properties') },
        { id: 1, port: 9093, propertiesFile: join(repoRoot, 'config/server-1.properties') },
        { id: 2, port: 9094, propertiesFile: join(repoRoot, 'config/server-2.properties') },
      ],
    });
    await cluster.waitForBrokers([0, 1, 2]);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  let leader = -1;

  it('creates my-replicated-topic with --zookeeper and describes it with Leader, Replicas and Isr', async () => {
    const created = ok(
      await samsa('topics', [
        '--create',
        '--zookeeper',
        cluster.zk.connect(),
        '--replication-factor',
        '3',
        '--partitions',
        '1',
        '--topic',
        TOPIC,
      ]),
      'topics --create',
    );
    expect(created.stdout).toBe(`Created topic ${TOPIC}.\n`);
    // The controller elects the first replica and puts all three in the ISR.
    let seen = '';
    const t0 = Date.now();
    const described = await cluster.waitFor(
      'a leader and a full ISR',
      async () => {
        const r = ok(await zkDescribe(), 'topics --describe --zookeeper');
        seen = r.stdout;
        const row = partitionRow(r.stdout);
        return row !== null && row.leader !== 'none' && row.isr.length === 3 ? r.stdout : null;
      },
      60_000,
      () => seen,
    );
    console.log(`[walkthrough] leader and full ISR in /brokers/topics state after ${Date.now() - t0} ms`);
    const lines = described.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Topic: my-replicated-topic\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: $/,
    );
    expect(lines[1]).toMatch(
      /^\tTopic: my-replicated-topic\tPartition: 0\tLeader: \d\tReplicas: \d,\d,\d\tIsr: \d,\d,\d\tElr: N\/A\tLastKnownElr: N\/A$/,
    );
    const row = partitionRow(described)!;
    expect([...row.replicas].sort()).toEqual([0, 1, 2]);
    expect(Number(row.leader)).toBe(row.replicas[0]);
    expect([...row.isr].sort()).toEqual([0, 1, 2]);
    leader = Number(row.leader);

    // The same columns through the brokers' Metadata (Kafka 3.9's form), from every broker.
    for (const port of [9092, 9093, 9094]) {
      let seen = '';
      let firstSeen = '';
      const viaBroker = await cluster.waitFor(
        `Metadata of broker on ${port} naming the leader`,
        async () => {
          const r = await brokerDescribe(port);
          seen = r.stdout + r.stderr;
          firstSeen ||= seen;
          const b = partitionRow(r.stdout);
          return b !== null && b.leader === row.leader && b.isr.length === 3 ? r.stdout : null;
        },
        60_000,
        () => seen,
      );
      const after = Date.now() - t0;
      console.log(
        `[walkthrough] broker on ${port} names the leader after ${after} ms${after > 5000 ? `; had answered:\n${firstSeen}` : ''}`,
      );
      // Kafka 3.9 lists configs that are not defaults, and a static broker config (log.segment.bytes in
      // the properties files) is not a default for DescribeConfigs; the ZooKeeper form shows only the
      // topic's own overrides (/config/topics), as Kafka 2.x did.
      expect(viaBroker.split('\n')[0]).toBe(`${lines[0]}segment.bytes=1073741824`);
      expect(partitionRow(viaBroker)).toEqual(row);
    }
  });

  it('takes messages from the console producer (acks=all) on localhost:9092', async () => {
    const r = ok(
      await samsa(
        'console-producer',
        ['--broker-list', 'localhost:9092', '--topic', TOPIC],
        `${MESSAGES.join('\n')}\n`,
      ),
      'console-producer',
    );
    expect(r.stderr).not.toMatch(/ERROR|Error/);
  });

  it('moves the leader and shrinks the ISR after kill -9 of the leader', async () => {
    expect(leader).toBeGreaterThanOrEqual(0);
    await cluster.broker(leader).kill();
    const after = await cluster.waitFor('a new leader and an ISR without the killed broker', async () => {
      const row = partitionRow(ok(await zkDescribe(), 'topics --describe --zookeeper').stdout);
      return row !== null && row.leader !== 'none' && Number(row.leader) !== leader && !row.isr.includes(leader)
        ? row
        : null;
    });
    expect(after.isr).toHaveLength(2);
    expect([...after.replicas].sort()).toEqual([0, 1, 2]);
    const live = cluster.live[0]!;
    const viaBroker = await cluster.waitFor('Metadata naming the new leader', async () => {
      const b = partitionRow((await brokerDescribe(live.port)).stdout);
      return b !== null && b.leader === after.leader && !b.isr.includes(leader) ? b : null;
    });
    expect(viaBroker).toEqual(after);
  });

  it('loses nothing: the console consumer reads every message from the beginning', async () => {
    const live = cluster.live.map((b) => `localhost:${b.port}`).join(',');
    const r = ok(
      await samsa(
        'console-consumer',
        [
          '--bootstrap-server',
          live,
          '--topic',
          TOPIC,
          '--from-beginning',
          '--max-messages',
          String(MESSAGES.length),
          '--timeout-ms',
          '30000',
        ],
        '',
        90_000,
      ),
      'console-consumer',
    );
    expect(r.stdout.split('\n').filter((l) => l !== '')).toEqual(MESSAGES);
  });

  it('takes the restarted broker back into the ISR', async () => {
    await cluster.broker(leader).start();
    const row = await cluster.waitFor('the restarted broker back in the ISR', async () => {
      const r = partitionRow(ok(await zkDescribe(), 'topics --describe --zookeeper').stdout);
      return r !== null && r.isr.length === 3 ? r : null;
    });
    expect([...row.isr].sort()).toEqual([0, 1, 2]);
  });
});
