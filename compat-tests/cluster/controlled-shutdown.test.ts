// Controlled shutdown: a broker stopped with SIGTERM asks the controller (ControlledShutdown, key 7) to
// move the leadership of every partition it leads, and leaves the ISRs, before it exits. Checked through
// the other brokers' Metadata right after the process has exited: well inside the ZooKeeper session
// timeout, so it is the controlled shutdown that moved the leaders, not the broker's session expiring.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from './harness/cluster.js';
import { createTopic, partitionsOf, waitForIsr, type PartitionView } from './harness/scenario.js';
import { zookeeperAvailable } from './harness/zookeeper.js';

const SESSION_TIMEOUT_MS = 10_000;
const TOPIC = 'controlled';

const run = zookeeperAvailable() ? describe : describe.skip;

run('Samsa cluster: controlled shutdown', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: [0, 1, 2],
      overrides: {
        'zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS,
        'replica.lag.time.max.ms': 5000,
        'controlled.shutdown.enable': true,
        'auto.leader.rebalance.enable': false,
      },
    });
    await cluster.waitForBrokers([0, 1, 2]);
    await createTopic(cluster, TOPIC, 6, 3);
    await waitForIsr(cluster, TOPIC);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** SIGTERM `id`; then, within a second of its exit, no partition is led by it nor has it in the ISR. */
  async function shutDownAndCheck(id: number): Promise<PartitionView[]> {
    const before = partitionsOf(await cluster.metadata([TOPIC]), TOPIC)!;
    expect(before.filter((p) => p.leader === id).length).toBeGreaterThan(0);
    const { code, ms } = await cluster.broker(id).terminate(30_000);
    expect(code, cluster.broker(id).tail()).toBe(0);
    expect(ms).toBeLessThan(SESSION_TIMEOUT_MS);
    const exitedAt = Date.now();
    const after = await cluster.waitFor(
      `leadership and ISR membership moved off broker ${id}`,
      async () => {
        const parts = partitionsOf(await cluster.metadata([TOPIC]), TOPIC);
        return parts !== null && parts.every((p) => p.leader >= 0 && p.leader !== id && !p.isr.includes(id))
          ? parts
          : null;
      },
      1000,
    );
    expect(Date.now() - exitedAt).toBeLessThan(SESSION_TIMEOUT_MS);
    return after;
  }

  it('a broker leading partitions hands them over before it exits', async () => {
    const md = await cluster.metadata([TOPIC]);
    const controller = md!.controllerId;
    const parts = partitionsOf(md, TOPIC)!;
    const leader = [0, 1, 2].find((id) => id !== controller && parts.some((p) => p.leader === id))!;
    const after = await shutDownAndCheck(leader);
    expect(after.every((p) => p.isr.length === 2)).toBe(true);
    await cluster.broker(leader).start();
    await waitForIsr(cluster, TOPIC);
  });

  it('so does the controller, and another broker takes over as controller', async () => {
    const md = await cluster.metadata([TOPIC]);
    const controller = md!.controllerId;
    expect(controller).toBeGreaterThanOrEqual(0);
    // Leadership may still be off the restarted broker; make sure the controller leads something.
    const parts = partitionsOf(md, TOPIC)!;
    if (!parts.some((p) => p.leader === controller)) return expect.fail(`controller ${controller} leads nothing`);
    await shutDownAndCheck(controller);
    const next = await cluster.waitFor('a new controller', async () => {
      const id = (await cluster.metadata([]))?.controllerId ?? -1;
      return id >= 0 && id !== controller ? id : null;
    });
    expect(next).not.toBe(controller);
  });
});
