// A network partition: one broker cut off from the other brokers, from ZooKeeper and from the clients,
// through TCP proxies the test controls (harness/proxy.ts): every broker is advertised at a proxy and
// reaches ZooKeeper through one of its own. Twice (a partition leader, then the controller): cut, wait
// until the others have moved leadership and ISR membership off it (its ZooKeeper session expires), keep
// producing, heal, wait until it is back in every ISR. Kafka's Java producers (idempotent, acks=all) write
// throughout; the chaos checker then requires every acknowledged record exactly once, in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/broker.js';
import { TestCluster, type ClusterBroker, type ToolResult } from './harness/cluster.js';
import { javaAvailable, startProducers } from './harness/java-client.js';
import { TcpProxy } from './harness/proxy.js';
import { createTopic, expectNoLoss, partitionsOf, sleep, verify, waitForIsr } from './harness/scenario.js';
import { ZooKeeper, zookeeperAvailable } from './harness/zookeeper.js';

const SESSION_TIMEOUT_MS = 6000;
const TOPIC = 'partitioned';

const run = zookeeperAvailable() && javaAvailable() ? describe : describe.skip;

run('Samsa cluster: network partition', () => {
  let cluster: TestCluster;
  const brokerProxies = new Map<number, TcpProxy>();
  const zkProxies = new Map<number, TcpProxy>();

  beforeAll(async () => {
    const zk = await ZooKeeper.start();
    cluster = await TestCluster.start({
      brokers: [0, 1, 2],
      zookeeper: zk,
      overrides: {
        'zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS,
        'replica.lag.time.max.ms': 5000,
        'unclean.leader.election.enable': false,
        'auto.leader.rebalance.enable': false,
      },
      advertise: async (id, listenerPort) => {
        const front = await TcpProxy.start(listenerPort, await freePort([listenerPort]));
        const toZk = await TcpProxy.start(zk.port);
        brokerProxies.set(id, front);
        zkProxies.set(id, toZk);
        return { port: front.port, zkConnect: `127.0.0.1:${toZk.port}` };
      },
    });
    await cluster.waitForBrokers([0, 1, 2]);
    await createTopic(cluster, TOPIC, 4, 3, { 'min.insync.replicas': '2' });
    await waitForIsr(cluster, TOPIC);
  }, 180_000);

  afterAll(async () => {
    for (const p of [...brokerProxies.values(), ...zkProxies.values()]) await p.close();
    await cluster?.stop();
  });

  function isolate(victim: ClusterBroker): void {
    brokerProxies.get(victim.id)!.cut();
    zkProxies.get(victim.id)!.cut();
    for (const [id, proxy] of brokerProxies) if (id !== victim.id) proxy.isolate(victim.pid);
  }

  function heal(): void {
    for (const p of [...brokerProxies.values(), ...zkProxies.values()]) p.heal();
  }

  async function partitionRound(victim: ClusterBroker): Promise<void> {
    const others = cluster.brokers.filter((b) => b !== victim);
    isolate(victim);
    const cutAt = Date.now();
    await cluster.waitFor(
      `the others moving leadership and ISR membership off broker ${victim.id}`,
      async () => {
        const parts = partitionsOf(await cluster.metadata([TOPIC], others[0]), TOPIC);
        return (
          parts !== null && parts.every((p) => p.leader >= 0 && p.leader !== victim.id && !p.isr.includes(victim.id))
        );
      },
      SESSION_TIMEOUT_MS + 30_000,
    );
    console.log(`[partition] broker ${victim.id} cut off; leadership moved after ${Date.now() - cutAt} ms`);
    await sleep(5000);
    heal();
    await waitForIsr(cluster, TOPIC, 60_000);
    console.log(`[partition] broker ${victim.id} healed and back in every ISR`);
  }

  it('a partitioned leader and then a partitioned controller lose no acknowledged record', async () => {
    const producers = startProducers(cluster.bootstrap, TOPIC, 3, 100);
    let produced: ToolResult | undefined;
    try {
      await sleep(3000);
      const md = await cluster.metadata([TOPIC]);
      const parts = partitionsOf(md, TOPIC)!;
      const leader = cluster.brokers.find((b) => b.id !== md!.controllerId && parts.some((p) => p.leader === b.id));
      await partitionRound(leader ?? cluster.brokers[0]!);
      const controller = (await cluster.metadata([]))!.controllerId;
      await partitionRound(cluster.broker(controller));
      await sleep(2000);
    } finally {
      heal();
      produced = await producers.stop();
    }
    expect(produced.status, produced.stderr.slice(-4000)).toBe(0);
    const result = await verify(cluster, TOPIC, produced.stdout);
    expect(result.acknowledged).toBeGreaterThan(1000);
    expectNoLoss(result);
  }, 400_000);
});
