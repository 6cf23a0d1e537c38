import { BrokerProcess } from '../../src/broker/testing/broker-process.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';
import { ZooKeeperServer } from '../../src/broker/testing/zookeeper-server.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';
import { producerPerfTest } from '../kafka-vs-samsa/tools.js';

/**
 * `npm run bench -- cluster`: three Samsa brokers (processes from the built dist/) on one real
 * ZooKeeper, as the seed's multi-node walkthrough runs them (issue 8). Measured in one run:
 *   (a) produce 1 KiB records to an 8-partition topic with replication factor 3, acks=all beside acks=1
 *       (Kafka 3.9.2's kafka-producer-perf-test, batch.size=65536, linger.ms=5), alternating the two,
 *       CLUSTER_ROUNDS rounds (3) of CLUSTER_RECORDS records (200,000);
 *   (b) failover: SIGKILL of the leader of a 1-partition RF=3 topic → the first produce acknowledged by
 *       the new leader, CLUSTER_FAILOVERS times (3), with zookeeper.session.timeout.ms=6000 (the
 *       target is below that + 1 s);
 *   (c) CreateTopics of one topic with 1,000 partitions, RF 3 → every partition has a leader in Metadata.
 * Needs java, mvn (scripts/kafka-dist.sh 3.9.2), ZooKeeper (scripts/setup-zookeeper.sh) and `npm run build`.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = env('CLUSTER_ROUNDS', 3);
const RECORDS = env('CLUSTER_RECORDS', 200_000);
const FAILOVERS = env('CLUSTER_FAILOVERS', 3);
const SESSION_TIMEOUT_MS = 6000;

interface Cluster {
  readonly zk: ZooKeeperServer;
  readonly brokers: Map<number, BrokerProcess>;
}

async function startBroker(zk: ZooKeeperServer, id: number): Promise<BrokerProcess> {
  return BrokerProcess.start({
    entry: 'dist',
    properties: [
      `broker.id=${id}`,
      `zookeeper.connect=${zk.connect()}`,
      `zookeeper.session.timeout.ms=${SESSION_TIMEOUT_MS}`,
      'offsets.topic.replication.factor=3',
      'num.partitions=1',
    ].join('\n'),
  });
}

async function startCluster(): Promise<Cluster> {
  const zk = await ZooKeeperServer.start();
  const brokers = new Map<number, BrokerProcess>();
  for (const id of [0, 1, 2]) brokers.set(id, await startBroker(zk, id));
  return { zk, brokers };
}

async function stopCluster(c: Cluster): Promise<void> {
  for (const b of c.brokers.values()) await b.stop();
  await c.zk.stop();
}

interface PartitionLeaders {
  readonly leaders: number[];
  readonly ports: Map<number, number>;
}

/** The leader of each partition of `topic` (-1 when none), as `port`'s broker sees it. */
async function leadersOf(port: number, topic: string): Promise<PartitionLeaders> {
  const c = await RawClient.open(port);
  try {
    const r = await c.request<{
      brokers: { nodeId: number; port: number }[];
      topics: { errorCode: number; partitions: { partitionIndex: number; leaderId: number }[] }[];
    }>(Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: false });
    const t = r.topics[0];
    const leaders: number[] = [];
    if (t !== undefined && t.errorCode === 0) for (const p of t.partitions) leaders[p.partitionIndex] = p.leaderId;
    return { leaders, ports: new Map(r.brokers.map((b) => [b.nodeId, b.port])) };
  } finally {
    c.close();
  }
}

async function createTopic(port: number, name: string, partitions: number, configs: [string, string][] = []) {
  const c = await RawClient.open(port);
  try {
    const r = await c.request<{ topics: { errorCode: number; errorMessage: string | null }[] }>(CreateTopics, 5, {
      topics: [
        {
          name,
          numPartitions: partitions,
          replicationFactor: 3,
          assignments: [],
          configs: configs.map(([n, value]) => ({ name: n, value })),
        },
      ],
      timeoutMs: 60_000,
      validateOnly: false,
    });
    const t = r.topics[0]!;
    if (t.errorCode !== 0) throw new Error(`CreateTopics ${name}: error ${t.errorCode} ${t.errorMessage ?? ''}`);
  } finally {
    c.close();
  }
}

/** Polls Metadata until all `partitions` of `topic` have a leader other than `not`. */
async function awaitLeaders(port: number, topic: string, partitions: number, not = -1): Promise<PartitionLeaders> {
  for (;;) {
    const m = await leadersOf(port, topic).catch(() => null);
    if (m !== null && m.leaders.length === partitions && m.leaders.every((l) => l >= 0 && l !== not)) return m;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One acks=-1 produce of one record to partition 0; true when acknowledged. */
async function produceOnce(port: number, topic: string): Promise<boolean> {
  let c: RawClient | null = null;
  try {
    c = await RawClient.open(port);
    const records = buildRecordBatch([{ timestamp: Date.now(), key: null, value: Buffer.from('failover') }]);
    const r = await c.request<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
    });
    return r.responses[0]?.partitionResponses[0]?.errorCode === 0;
  } catch {
    return false;
  } finally {
    c?.close();
  }
}

/** SIGKILL of partition 0's leader → first acknowledged produce on its successor, in ms; then restarts it. */
async function failover(c: Cluster, topic: string): Promise<number> {
  const any = [...c.brokers.values()][0]!;
  const { leaders } = await awaitLeaders(any.port, topic, 1);
  const victim = leaders[0]!;
  const survivor = [...c.brokers.entries()].find(([id]) => id !== victim)![1];
  const killed = c.brokers.get(victim)!;
  const t0 = performance.now();
  const gone = killed.kill();
  let elapsed = -1;
  while (elapsed < 0) {
    const m = await leadersOf(survivor.port, topic).catch(() => null);
    const leader = m?.leaders[0] ?? -1;
    const port = leader >= 0 && leader !== victim ? m?.ports.get(leader) : undefined;
    if (port !== undefined && (await produceOnce(port, topic))) elapsed = performance.now() - t0;
    else await new Promise((r) => setTimeout(r, 5));
  }
  await gone;
  c.brokers.set(victim, await restartRegistered(killed));
  return elapsed;
}

/**
 * Restarts a killed broker until it has registered: while its previous ZooKeeper session lives, its
 * /brokers/ids/<id> still exists and the start fails, as Kafka's does (a supervisor retries).
 */
async function restartRegistered(killed: BrokerProcess): Promise<BrokerProcess> {
  for (;;) {
    const b = await killed.restart();
    while (b.alive && !b.log.includes('started in')) await new Promise((r) => setTimeout(r, 20));
    if (b.alive) return b;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Polls Metadata until `count` brokers are registered. */
async function awaitBrokers(port: number, count: number): Promise<void> {
  for (;;) {
    const m = await leadersOf(port, '__none__').catch(() => null);
    if (m !== null && m.ports.size >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (xs: number[], digits = 1) =>
  `${median(xs).toFixed(digits)} (${xs.map((x) => x.toFixed(digits)).join(', ')})`;

export async function clusterBenchmarks(): Promise<string> {
  const c = await startCluster();
  const port = () => [...c.brokers.values()][0]!.port;
  const rows: string[] = [];
  const row = (line: string): void => {
    rows.push(line);
    console.error(`[cluster bench] ${line}`);
  };
  try {
    await awaitBrokers(port(), 3);
    await createTopic(port(), 'rf3', 8);
    await awaitLeaders(port(), 'rf3', 8);
    const mib: Record<'all' | '1', number[]> = { all: [], '1': [] };
    const p99: Record<'all' | '1', number[]> = { all: [], '1': [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const acks of ['1', 'all'] as const) {
        const r = await producerPerfTest(port(), 'rf3', RECORDS, 1024, [
          `acks=${acks}`,
          'batch.size=65536',
          'linger.ms=5',
        ]);
        mib[acks].push(r.mibPerSec);
        p99[acks].push(r.p99LatencyMs);
      }
    }
    row(`| (a) RF 3, 8 partitions, acks=1: MiB/s | ${fmt(mib['1'])} |`);
    row(`| (a) RF 3, 8 partitions, acks=all: MiB/s | ${fmt(mib.all)} |`);
    row(`| (a) acks=all / acks=1 (medians) | ${(median(mib.all) / median(mib['1'])).toFixed(2)} |`);
    row(`| (a) p99 latency ms, acks=1 / acks=all | ${fmt(p99['1'], 0)} / ${fmt(p99.all, 0)} |`);

    await createTopic(port(), 'failover', 1);
    const times: number[] = [];
    for (let i = 0; i < FAILOVERS; i++) times.push(await failover(c, 'failover'));
    row(`| (b) kill -9 of the leader → produce acknowledged by the new leader, ms | ${fmt(times, 0)} |`);

    await awaitBrokers(port(), 3);
    const t0 = performance.now();
    await createTopic(port(), 'thousand', 1000);
    await awaitLeaders(port(), 'thousand', 1000);
    row(`| (c) create 1,000 partitions (RF 3) → all have leaders, ms | ${(performance.now() - t0).toFixed(0)} |`);
  } finally {
    await stopCluster(c);
  }
  return [
    `Three Samsa brokers on one ZooKeeper, zookeeper.session.timeout.ms=${SESSION_TIMEOUT_MS}; ` +
      `${ROUNDS} rounds of ${RECORDS} records; median (each run)`,
    '',
    '| measurement | value |',
    '| --- | --- |',
    ...rows,
  ].join('\n');
}
