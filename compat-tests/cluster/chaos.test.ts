// The chaos test: three brokers, a replication-factor-3 topic with min.insync.replicas=2, Kafka's Java
// producers (idempotent, acks=all) writing throughout, and at least 30 cycles of SIGKILL and restart of
// a random broker (the controller every fifth cycle), with ZooKeeper itself killed and restarted once
// half-way. Afterwards a consumer reads everything and the checker (harness/checker.ts) requires every
// acknowledged record exactly once, in order within its partition, with no gap.
//
//   SAMSA_CLUSTER_CYCLES   kill/restart cycles (default 30; SAMSA_CLUSTER_FULL=1: 150)
//   SAMSA_CLUSTER_SEED     the random seed (printed at the start) to replay a run
//   SAMSA_CLUSTER_ZK_RESTART=0  no ZooKeeper restart (diagnosis only; the test then proves less)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, type ToolResult } from './harness/cluster.js';
import { javaAvailable, startProducers } from './harness/java-client.js';
import { prng } from '../harness/records.js';
import { createTopic, expectNoLoss, sleep, verify, waitForIsr } from './harness/scenario.js';
import { zookeeperAvailable } from './harness/zookeeper.js';

const FULL = process.env['SAMSA_CLUSTER_FULL'] === '1';
const CYCLES = Number(process.env['SAMSA_CLUSTER_CYCLES'] ?? (FULL ? 150 : 30));
const SEED = Number(process.env['SAMSA_CLUSTER_SEED'] ?? Date.now() % 1_000_000);
// SAMSA_CLUSTER_ZK_RESTART=0 leaves ZooKeeper alone (to tell broker failover bugs from reconnect bugs).
const ZK_RESTART = process.env['SAMSA_CLUSTER_ZK_RESTART'] !== '0';
const TOPIC = 'chaos';
const PARTITIONS = FULL ? 8 : 4;

const run = zookeeperAvailable() && javaAvailable() ? describe : describe.skip;

run('Samsa cluster: chaos', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: [0, 1, 2],
      overrides: {
        'zookeeper.session.timeout.ms': 6000,
        'replica.lag.time.max.ms': 5000,
        'unclean.leader.election.enable': false,
        'auto.leader.rebalance.enable': false,
        'num.partitions': 1,
      },
    });
    await cluster.waitForBrokers([0, 1, 2]);
    await createTopic(cluster, TOPIC, PARTITIONS, 3, { 'min.insync.replicas': '2' });
    await waitForIsr(cluster, TOPIC);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it(
    `${CYCLES} cycles of kill -9 and restart${ZK_RESTART ? ', ZooKeeper restarted once' : ''}: nothing acknowledged is lost, duplicated or reordered`,
    async () => {
      const random = prng(SEED);
      console.log(`[chaos] seed ${SEED}, ${CYCLES} cycles, ${PARTITIONS} partitions`);
      const producers = startProducers(cluster.bootstrap, TOPIC, 3, 100);
      let fullIsrCycles = 0;
      let stuck = 0;
      let produced: ToolResult | undefined;
      try {
        await sleep(3000);
        for (let cycle = 1; cycle <= CYCLES; cycle++) {
          let victim = cluster.brokers[Math.floor(random() * cluster.brokers.length)]!;
          if (cycle % 5 === 0) {
            const controller = (await cluster.metadata([]))?.controllerId ?? -1;
            if (controller >= 0) victim = cluster.broker(controller);
          }
          await victim.kill();
          if (cycle % 2 === 0) {
            // Wait until the others have seen it die (session expired, the controller failed over)...
            await cluster.waitFor(`broker ${victim.id} deregistered`, async () => {
              const md = await cluster.metadata([]);
              return md !== null && !md.brokers.some((b) => b.nodeId === victim.id);
            });
            await sleep(Math.floor(random() * 2000));
          } else {
            // ...or bring it back before its old session has expired: it registers once that has.
            await sleep(500 + Math.floor(random() * 2500));
          }
          const attempts = await victim.startRetrying(30_000);
          if (cycle === Math.ceil(CYCLES / 2) && ZK_RESTART) {
            console.log('[chaos] restarting ZooKeeper');
            await cluster.zk.restart(1000);
          }
          // Let the restarted broker catch up before the next kill (bounded: a slow cycle is not a failure,
          // a lost record is), so that each cycle tests a failover, not a cluster that never recovers.
          try {
            await waitForIsr(cluster, TOPIC, 30_000);
            fullIsrCycles++;
            stuck = 0;
          } catch (err) {
            console.log(`[chaos] cycle ${cycle}: ISR not full within 30 s after restarting broker ${victim.id}`);
            // Three cycles in a row without recovery: the cluster is not failing over; stop early (CI budget).
            if (++stuck >= 3) throw err;
          }
          console.log(
            `[chaos] cycle ${cycle}: killed and restarted broker ${victim.id} (${attempts} start attempt(s)); ` +
              `acks so far ${producers.acks()}`,
          );
        }
        await waitForIsr(cluster, TOPIC, 60_000);
      } finally {
        // The producers stop sending, flush and exit; the checker then reads everything.
        produced = await producers.stop();
      }
      console.log(`[chaos] ${fullIsrCycles}/${CYCLES} cycles reached a full ISR again`);
      expect(produced.status, produced.stderr.slice(-4000)).toBe(0);
      const result = await verify(cluster, TOPIC, produced.stdout);
      expect(result.acknowledged).toBeGreaterThan(CYCLES * 50);
      expectNoLoss(result);
    },
    CYCLES * 45_000 + 300_000,
  );
});
