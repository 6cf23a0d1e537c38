import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ControlledShutdown } from '../../protocol/messages/07-controlled-shutdown.js';
import { ElectLeaders } from '../../protocol/messages/43-elect-leaders.js';
import { AlterPartitionReassignments } from '../../protocol/messages/45-alter-partition-reassignments.js';
import { ListPartitionReassignments } from '../../protocol/messages/46-list-partition-reassignments.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { ZkClient } from '../metadata/zookeeper/zk-client.js';
import { writeNewTopic } from '../metadata/zookeeper/zk-controller.js';
import { ZkPaths, decodePartitionState, decodeTopicAssignment } from '../metadata/zookeeper/zk-data.js';
import { RawClient } from '../testing/raw-client.js';
import { ZooKeeperServer } from '../testing/zookeeper-server.js';
import { ControllerMovedError, registerController, updatePartitionState } from './controller-zk.js';

// A real ZooKeeper 3.8 and real brokers in this process (KafkaServer, real sockets), chrooted per test.
// "Killing" a broker is a shutdown without controlled shutdown: its session closes, its ephemerals go.
const run = ZooKeeperServer.available() ? describe : describe.skip;
let zkServer: ZooKeeperServer;
let zk: ZkClient;
let chroot: string;
let n = 0;
const brokers = new Map<number, { server: KafkaServer; dir: string; stopped: boolean }>();

beforeAll(async () => {
  if (ZooKeeperServer.available()) zkServer = await ZooKeeperServer.start();
}, 60_000);
afterAll(async () => {
  await zkServer?.stop();
});

async function until<T>(f: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${f.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startBroker(id: number, extra = ''): Promise<KafkaServer> {
  const dir = mkdtempSync(join(tmpdir(), `samsa-ctl-${id}-`));
  const props =
    `broker.id=${id}\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n` +
    `zookeeper.connect=${zkServer.connect(chroot)}\nzookeeper.session.timeout.ms=6000\n` +
    `controlled.shutdown.retry.backoff.ms=200\n${extra}`;
  const server = await KafkaServer.start(BrokerConfig.parse(props), new Logger(`broker-${id}`));
  brokers.set(id, { server, dir, stopped: false });
  return server;
}

async function stopBroker(id: number): Promise<void> {
  const b = brokers.get(id)!;
  if (b.stopped) return;
  b.stopped = true;
  await b.server.shutdown();
}

const server = (id: number) => brokers.get(id)!.server;

async function state(topic: string, partition = 0) {
  const node = await zk.get(ZkPaths.partitionState(topic, partition));
  return node === null ? null : { ...decodePartitionState(node.data), version: node.version };
}

async function controllerId(): Promise<number> {
  const node = await zk.get(ZkPaths.controller);
  return node === null ? -1 : (JSON.parse(node.data) as { brokerid: number }).brokerid;
}

const controllerEpoch = async () => Number((await zk.get(ZkPaths.controllerEpoch))!.data);

/** A topic with explicit replica lists through a broker's store (CreateTopics' path). */
async function createTopic(via: number, name: string, replicas: number[][], configs: Record<string, string> = {}) {
  const [r] = await server(via).services.metadata.createTopics([
    {
      name,
      numPartitions: -1,
      replicationFactor: -1,
      assignments: replicas.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
      configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })),
    },
  ]);
  expect(r!.errorCode).toBe(0);
}

/** A topic with its states written directly, as a previous controller left it. */
async function writeTopicWithState(name: string, replicas: number[], leader: number, isr: number[]) {
  await writeNewTopic(
    zk,
    {
      name,
      topicId: `${name.padEnd(21, 'x').slice(0, 21)}A`,
      isInternal: false,
      configs: new Map(),
      partitions: [{ partition: 0, replicas, leader, leaderEpoch: 0, isr, partitionEpoch: 0 }],
    },
    1,
  );
}

run('KafkaController (ZooKeeper mode)', () => {
  beforeEach(async () => {
    chroot = `/ctl-${++n}`;
    zk = await ZkClient.connect(
      { connect: zkServer.connect(chroot), sessionTimeoutMs: 6000, connectionTimeoutMs: 10_000 },
      () => {},
    );
  });
  afterEach(async () => {
    for (const id of [...brokers.keys()].sort((a, b) => b - a)) await stopBroker(id).catch(() => {});
    for (const b of brokers.values()) rmSync(b.dir, { recursive: true, force: true });
    brokers.clear();
    zk.close();
  }, 30_000);

  it('elects one controller; when it dies another takes over with a higher epoch', async () => {
    await startBroker(1, 'controlled.shutdown.enable=false');
    await startBroker(2);
    expect(await controllerId()).toBe(1);
    const first = await controllerEpoch();
    expect(server(1).services.controller?.isActive).toBe(true);
    expect(server(2).services.controller?.isActive).toBe(false);
    await stopBroker(1);
    await until(async () => (await controllerId()) === 2);
    expect(await controllerEpoch()).toBe(first + 1);
    await until(() => server(2).services.controller?.isActive);
    expect(server(2).services.controller?.controllerEpoch).toBe(first + 1);
  }, 30_000);

  it("fences a deposed controller's writes with /controller_epoch's version", async () => {
    await zk.ensurePath(ZkPaths.partition('t', 0));
    await zk.create(
      ZkPaths.partitionState('t', 0),
      '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}',
    );
    const old = (await registerController(zk, 1))!;
    expect(old.epoch).toBe(1);
    expect(await registerController(zk, 2)).toBeNull(); // /controller is held
    await zk.remove(ZkPaths.controller);
    const next = (await registerController(zk, 2))!;
    expect(next).toEqual({ epoch: 2, zkVersion: old.zkVersion + 1 });
    const tp = { topic: 't', partition: 0 };
    const current = { leader: 1, leaderEpoch: 0, isr: [1], controllerEpoch: 1, zkVersion: 0 };
    await expect(updatePartitionState(zk, old, tp, current, { leader: 1, leaderEpoch: 1, isr: [1] })).rejects.toThrow(
      ControllerMovedError,
    );
    expect((await state('t'))!.version).toBe(0);
    const written = await updatePartitionState(zk, next, tp, current, { leader: 1, leaderEpoch: 1, isr: [1] });
    expect(written).toMatchObject({ leaderEpoch: 1, controllerEpoch: 2, zkVersion: 1 });
    // a stale partition version is a lost race, not a fencing: null
    expect(await updatePartitionState(zk, next, tp, current, { leader: 1, leaderEpoch: 2, isr: [1] })).toBeNull();
  });

  it('elects a new leader from the ISR when the leader dies and tells it with LeaderAndIsr', async () => {
    await startBroker(2);
    await startBroker(1, 'controlled.shutdown.enable=false');
    await createTopic(2, 't', [[1, 2]]);
    expect(await state('t')).toMatchObject({ leader: 1, leaderEpoch: 0, isr: [1, 2], version: 0 });
    await until(() => server(1).services.replicaManager.getPartition('t', 0)?.isLeader);
    await until(() => server(2).services.replicaManager.getPartition('t', 0) !== undefined);
    expect(server(2).services.replicaManager.getPartition('t', 0)?.isLeader).toBe(false);
    await stopBroker(1);
    await until(async () => (await state('t'))?.leader === 2);
    expect(await state('t')).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2], version: 1 });
    await until(() => server(2).services.replicaManager.getPartition('t', 0)?.isLeader);
    expect(server(2).services.replicaManager.getPartition('t', 0)?.leaderEpoch).toBe(1);
    // the store's cache (Metadata) follows
    await until(() => server(2).services.metadata.topic('t')?.partitions[0]?.leader === 2);
  }, 30_000);

  it('leaves leader -1 with the last ISR member, or elects uncleanly when the topic allows it', async () => {
    await startBroker(2);
    await startBroker(1, 'controlled.shutdown.enable=false');
    await writeTopicWithState('clean', [1, 2], 1, [1]);
    await writeTopicWithState('dirty', [1, 2], 1, [1]);
    await zk.set(ZkPaths.topicConfig('dirty'), '{"version":1,"config":{"unclean.leader.election.enable":"true"}}', -1);
    await createTopic(2, 'solo', [[1]]);
    await until(() => server(2).services.metadata.topic('clean') !== undefined);
    await until(() => server(2).services.metadata.topic('dirty') !== undefined);
    await stopBroker(1);
    await until(async () => (await state('clean'))?.leader === -1 && (await state('solo'))?.leader === -1);
    expect(await state('clean')).toMatchObject({ leader: -1, leaderEpoch: 1, isr: [1] });
    expect(await state('solo')).toMatchObject({ leader: -1, leaderEpoch: 1, isr: [1] });
    await until(async () => (await state('dirty'))?.leader === 2);
    expect(await state('dirty')).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2] });
    // the leader comes back: the offline partitions are elected again (it is the last ISR member)
    const old = brokers.get(1)!;
    brokers.delete(1);
    await startBroker(1);
    rmSync(old.dir, { recursive: true, force: true });
    await until(async () => (await state('clean'))?.leader === 1);
    expect(await state('clean')).toMatchObject({ leader: 1, leaderEpoch: 2, isr: [1] });
    await until(async () => (await state('solo'))?.leader === 1);
    await until(() => server(1).services.replicaManager.getPartition('solo', 0)?.isLeader);
  }, 40_000);

  it("gives a topic written in 0.8.2's format an id and states, and its replicas their roles", async () => {
    await startBroker(1);
    await startBroker(2);
    await zk.create(ZkPaths.topic('old'), '{"version":1,"partitions":{"0":[2,1],"1":[1,2]}}');
    await until(async () => (await state('old', 1)) !== null);
    const assignment = decodeTopicAssignment('old', (await zk.get(ZkPaths.topic('old')))!.data);
    expect(assignment.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await state('old', 0)).toMatchObject({ leader: 2, leaderEpoch: 0, isr: [2, 1] });
    expect(await state('old', 1)).toMatchObject({ leader: 1, leaderEpoch: 0, isr: [1, 2] });
    await until(() => server(2).services.replicaManager.getPartition('old', 0)?.isLeader);
    await until(() => server(1).services.replicaManager.getPartition('old', 1)?.isLeader);
    // every broker's cache sees the states the controller created right after the id (a state znode
    // created between a missing read and its exists watch must not go unseen)
    await until(() => [1, 2].every((id) => server(id).services.metadata.topic('old')?.partitions.length === 2), 2000);
    // a partition added by 0.8.2's --alter --partitions
    await zk.set(ZkPaths.topic('old'), '{"version":1,"partitions":{"0":[2,1],"1":[1,2],"2":[2,1]}}', -1);
    await until(async () => (await state('old', 2)) !== null);
    expect(await state('old', 2)).toMatchObject({ leader: 2, isr: [2, 1] });
    await until(() => server(2).services.replicaManager.getPartition('old', 2)?.isLeader);
  }, 30_000);

  it('deletes a marked topic: StopReplica to its replicas, then its znodes', async () => {
    await startBroker(1);
    await startBroker(2);
    await createTopic(1, 'doomed', [[1, 2]]);
    await until(() => server(2).services.replicaManager.getPartition('doomed', 0) !== undefined);
    const [r] = await server(2).services.metadata.deleteTopics([{ name: 'doomed' }]);
    expect(r!.errorCode).toBe(0);
    expect(server(2).services.metadata.topic('doomed')).toBeUndefined();
    expect(await zk.exists(ZkPaths.topic('doomed'))).toBe(false);
    expect(await zk.exists(ZkPaths.partitions('doomed'))).toBe(false);
    await until(async () => !(await zk.exists(ZkPaths.deleteTopic('doomed'))));
    expect(await zk.exists(ZkPaths.topicConfig('doomed'))).toBe(false);
    await until(() => server(1).services.replicaManager.getPartition('doomed', 0) === undefined);
    await until(() => server(2).services.replicaManager.getPartition('doomed', 0) === undefined);
  }, 30_000);

  it('drops deletion marks when delete.topic.enable=false', async () => {
    await startBroker(1, 'delete.topic.enable=false');
    await createTopic(1, 'kept', [[1]]);
    await zk.create(ZkPaths.deleteTopic('kept'), '');
    await until(async () => !(await zk.exists(ZkPaths.deleteTopic('kept'))));
    expect(await zk.exists(ZkPaths.topic('kept'))).toBe(true);
    expect(server(1).services.metadata.topic('kept')).toBeDefined();
  }, 30_000);

  it("writes a leader's ISR change with the znode version and a notification the controller consumes", async () => {
    await startBroker(1);
    await startBroker(2);
    await createTopic(1, 'isr', [[1, 2]]);
    const store = server(1).services.metadata;
    const stale = await store.updatePartitionState('isr', 0, { leader: 1, leaderEpoch: 0, isr: [1] }, 5);
    expect(stale.errorCode).toBe(95); // INVALID_UPDATE_VERSION
    const bad = await store.updatePartitionState('isr', 0, { leader: 1, leaderEpoch: 0, isr: [1, 3] }, 0);
    expect(bad.errorCode).toBe(42); // INVALID_REQUEST: 3 is no replica
    const r = await store.updatePartitionState('isr', 0, { leader: 1, leaderEpoch: 0, isr: [1] }, 0);
    expect(r.errorCode).toBe(0);
    expect(r.partition).toMatchObject({ leader: 1, isr: [1], partitionEpoch: 1 });
    const written = await state('isr');
    expect(written).toMatchObject({ leader: 1, leaderEpoch: 0, isr: [1], version: 1 });
    expect(written!.controllerEpoch).toBe(await controllerEpoch()); // kept from the znode
    // the controller reads and deletes the notification, and now elects from the new ISR
    await until(async () => ((await zk.children('/isr_change_notification')) ?? []).length === 0);
    await stopBroker(2);
    await startBroker(2);
    await stopBroker(1);
    await until(async () => (await state('isr'))?.leader === -1);
    expect(await state('isr')).toMatchObject({ leader: -1, isr: [1] });
  }, 40_000);

  it('serves ControlledShutdown: moves leadership and ISR membership off the broker', async () => {
    await startBroker(1);
    await startBroker(2);
    await startBroker(3);
    await createTopic(1, 'led', [[2, 1, 3]]);
    await createTopic(1, 'followed', [[1, 2]]);
    await createTopic(1, 'single', [[2]]);
    const raw = await RawClient.open(server(1).boundPorts[0]!);
    const notController = await RawClient.open(server(3).boundPorts[0]!);
    try {
      const epoch2 = (await zk.getStat(ZkPaths.broker(2)))!.czxid;
      expect(await notController.request(ControlledShutdown, 3, { brokerId: 2, brokerEpoch: epoch2 })).toMatchObject({
        errorCode: 41,
        remainingPartitions: [],
      });
      expect(await raw.request(ControlledShutdown, 3, { brokerId: 9, brokerEpoch: -1 })).toMatchObject({
        errorCode: 8,
      });
      expect(await raw.request(ControlledShutdown, 2, { brokerId: 2, brokerEpoch: epoch2 - 1 })).toMatchObject({
        errorCode: 77,
      });
      // v0 (request header v0): the broker epoch is not checked
      const r = await raw.request(ControlledShutdown, 0, { brokerId: 2 });
      expect(r).toMatchObject({ errorCode: 0, remainingPartitions: [] });
      expect(await state('led')).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 3] });
      expect(await state('followed')).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1] });
      expect(await state('single')).toMatchObject({ leader: 2, leaderEpoch: 0, isr: [2] }); // one replica: stays
      await until(() => server(1).services.replicaManager.getPartition('led', 0)?.isLeader);
    } finally {
      raw.close();
      notController.close();
    }
  }, 30_000);

  it('moves leadership away on a broker shutdown (controlled.shutdown.enable)', async () => {
    await startBroker(1);
    await startBroker(2);
    await createTopic(1, 'moving', [[2, 1]]);
    await until(() => server(2).services.replicaManager.getPartition('moving', 0)?.isLeader);
    await stopBroker(2);
    expect(await state('moving')).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1] });
  }, 30_000);

  it('runs a preferred replica election from /admin/preferred_replica_election', async () => {
    await startBroker(1);
    await startBroker(2);
    await writeTopicWithState('pref', [1, 2], 2, [2, 1]);
    await until(() => server(1).services.metadata.topic('pref') !== undefined);
    await zk.create('/admin/preferred_replica_election', '{"version":1,"partitions":[{"topic":"pref","partition":0}]}');
    await until(async () => (await state('pref'))?.leader === 1);
    expect(await state('pref')).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [2, 1] });
    await until(async () => !(await zk.exists('/admin/preferred_replica_election')));
  }, 30_000);

  it('serves ElectLeaders: preferred and unclean elections, with Kafka’s per-partition errors', async () => {
    await startBroker(1);
    await startBroker(2);
    await writeTopicWithState('pe', [1, 2], 2, [2, 1]);
    await writeTopicWithState('orphan', [3, 2], -1, [3]);
    await until(() => server(1).services.metadata.topic('orphan') !== undefined);
    const raw = await RawClient.open(server(1).boundPorts[0]!);
    const other = await RawClient.open(server(2).boundPorts[0]!);
    type Answer = {
      errorCode: number;
      replicaElectionResults: { topic: string; partitionResult: { partitionId: number; errorCode: number }[] }[];
    };
    const elect = (
      c: RawClient,
      electionType: number,
      topicPartitions: { topic: string; partitions: number[] }[] | null,
    ) => c.request<Answer>(ElectLeaders, 2, { electionType, topicPartitions, timeoutMs: 5000 });
    const codes = (a: Answer) =>
      a.replicaElectionResults.flatMap((t) =>
        t.partitionResult.map((p) => `${t.topic}-${p.partitionId}:${p.errorCode}`),
      );
    try {
      expect(codes(await elect(other, 0, [{ topic: 'pe', partitions: [0] }]))).toEqual(['pe-0:41']);
      expect((await elect(other, 0, null)).errorCode).toBe(41);
      expect((await elect(raw, 7, [{ topic: 'pe', partitions: [0] }])).errorCode).toBe(42);
      expect(
        codes(
          await elect(raw, 0, [
            { topic: 'pe', partitions: [0, 5] },
            { topic: 'orphan', partitions: [0] },
          ]),
        ),
      ).toEqual(['pe-0:0', 'pe-5:3', 'orphan-0:80']);
      expect(await state('pe')).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [2, 1] });
      expect(codes(await elect(raw, 0, [{ topic: 'pe', partitions: [0] }]))).toEqual(['pe-0:84']);
      expect(codes(await elect(raw, 1, [{ topic: 'pe', partitions: [0] }]))).toEqual(['pe-0:84']);
      expect(codes(await elect(raw, 1, null))).toEqual(['orphan-0:0']);
      expect(await state('orphan')).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2] });
      // v0 (ElectPreferredLeaders) has no election type: preferred
      const v0 = await raw.request<Answer>(ElectLeaders, 0, {
        topicPartitions: [{ topic: 'orphan', partitions: [0] }],
        timeoutMs: 5000,
      });
      expect(codes(v0)).toEqual(['orphan-0:80']);
    } finally {
      raw.close();
      other.close();
    }
  }, 30_000);

  it('resigns on a session expiry, registers again and a controller carries on', async () => {
    await startBroker(1);
    await startBroker(2);
    const epochBefore = await controllerEpoch();
    const czxidBefore = (await zk.getStat(ZkPaths.broker(1)))!.czxid;
    // What the ZooKeeper client does on expiry: the session (and its ephemerals) is gone, a new one opens.
    (server(1).services.metadata as unknown as { onSessionExpired(): void }).onSessionExpired();
    await until(async () => ((await zk.getStat(ZkPaths.broker(1)))?.czxid ?? czxidBefore) !== czxidBefore);
    await until(async () => (await controllerEpoch()) > epochBefore && (await controllerId()) !== -1);
    const active = await controllerId();
    await until(() => server(active).services.controller?.isActive);
    expect(server(active === 1 ? 2 : 1).services.controller?.isActive).toBe(false);
    await until(() => server(1).services.metadata.controllerId() === active);
    await createTopic(2, 'after', [[1, 2]]);
    expect(await state('after')).toMatchObject({ leader: 1, isr: [1, 2] });
    await until(() => server(1).services.replicaManager.getPartition('after', 0)?.isLeader);
  }, 30_000);

  const assignmentOf = async (topic: string) =>
    JSON.parse((await zk.get(ZkPaths.topic(topic)))!.data) as Record<string, unknown>;

  it('reassigns a partition through AlterPartitionReassignments: adds, waits for the ISR, moves, removes', async () => {
    await startBroker(1);
    await startBroker(2);
    await startBroker(3);
    await createTopic(1, 'move', [[1, 2]]);
    await until(() => server(1).services.replicaManager.getPartition('move', 0)?.isLeader);
    const raw = await RawClient.open(server(1).boundPorts[0]!);
    try {
      type Answer = {
        errorCode: number;
        responses: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
      };
      const alter = (partitions: { partitionIndex: number; replicas: number[] | null }[], version = 0, allow = true) =>
        raw.request<Answer>(AlterPartitionReassignments, version, {
          timeoutMs: 5000,
          allowReplicationFactorChange: allow,
          topics: [{ name: 'move', partitions }],
        });
      const r = await alter([{ partitionIndex: 0, replicas: [2, 3] }]);
      expect(r.errorCode).toBe(0);
      expect(r.responses).toMatchObject([
        { name: 'move', partitions: [expect.objectContaining({ partitionIndex: 0, errorCode: 0 })] },
      ]);
      await until(
        async () =>
          (await assignmentOf('move')).partitions !== undefined &&
          JSON.stringify((await assignmentOf('move')).partitions) === '{"0":[2,3]}',
      );
      expect(await assignmentOf('move')).toMatchObject({ adding_replicas: {}, removing_replicas: {} });
      await until(async () => (await state('move'))?.leader === 2 && !(await state('move'))!.isr.includes(1));
      expect([...(await state('move'))!.isr].sort()).toEqual([2, 3]);
      await until(() => server(3).services.replicaManager.getPartition('move', 0) !== undefined);
      await until(() => server(1).services.replicaManager.getPartition('move', 0) === undefined);
      await until(() => server(2).services.replicaManager.getPartition('move', 0)?.isLeader);
      const list = await raw.request<{ errorCode: number; topics: unknown[] }>(ListPartitionReassignments, 0, {
        timeoutMs: 5000,
        topics: null,
      });
      expect(list).toMatchObject({ errorCode: 0, topics: [] });
      // refusals
      const codes = async (
        partitions: { partitionIndex: number; replicas: number[] | null }[],
        version = 0,
        allow = true,
      ) => (await alter(partitions, version, allow)).responses.flatMap((t) => t.partitions.map((p) => p.errorCode));
      expect(await codes([{ partitionIndex: 0, replicas: [] }])).toEqual([39]);
      expect(await codes([{ partitionIndex: 0, replicas: [2, 2] }])).toEqual([39]);
      expect(await codes([{ partitionIndex: 0, replicas: [2, 9] }])).toEqual([39]);
      expect(await codes([{ partitionIndex: 4, replicas: [2] }])).toEqual([3]);
      expect(await codes([{ partitionIndex: 0, replicas: null }])).toEqual([85]);
      expect(await codes([{ partitionIndex: 0, replicas: [2] }], 1, false)).toEqual([38]);
      const elsewhere = await RawClient.open(server(3).boundPorts[0]!);
      try {
        const a = await elsewhere.request<Answer>(AlterPartitionReassignments, 0, { timeoutMs: 5000, topics: [] });
        expect(a.errorCode).toBe(41);
        const l = await elsewhere.request<{ errorCode: number }>(ListPartitionReassignments, 0, {
          timeoutMs: 5000,
          topics: null,
        });
        expect(l.errorCode).toBe(41);
      } finally {
        elsewhere.close();
      }
    } finally {
      raw.close();
    }
  }, 40_000);

  it('resumes a reassignment left in the topic znode, lists it, and cancels it back to the original replicas', async () => {
    await startBroker(1);
    await startBroker(2);
    // a previous controller started moving [2,1] to [2,3]; broker 3 is down, so it cannot complete
    await zk.create(
      ZkPaths.topic('stuck'),
      JSON.stringify({
        partitions: { 0: [2, 3, 1] },
        topic_id: 'stuckxxxxxxxxxxxxxxxxA',
        adding_replicas: { 0: [3] },
        removing_replicas: { 0: [1] },
        version: 3,
      }),
    );
    await zk.ensurePath(ZkPaths.partition('stuck', 0));
    await zk.create(
      ZkPaths.partitionState('stuck', 0),
      '{"controller_epoch":1,"leader":2,"version":1,"leader_epoch":0,"isr":[2,1]}',
    );
    // a failover picks it up
    const active = await controllerId();
    await stopBroker(active);
    brokers.delete(active);
    await startBroker(active);
    const now = await until(async () => {
      const id = await controllerId();
      return id !== -1 && server(id).services.controller?.isActive ? id : null;
    });
    const raw = await RawClient.open(server(now).boundPorts[0]!);
    try {
      type Listed = {
        errorCode: number;
        topics: {
          name: string;
          partitions: {
            partitionIndex: number;
            replicas: number[];
            addingReplicas: number[];
            removingReplicas: number[];
          }[];
        }[];
      };
      const list = await raw.request<Listed>(ListPartitionReassignments, 0, {
        timeoutMs: 5000,
        topics: [{ name: 'stuck', partitionIndexes: [0, 1] }],
      });
      expect(list.topics).toMatchObject([
        {
          name: 'stuck',
          partitions: [
            expect.objectContaining({
              partitionIndex: 0,
              replicas: [2, 3, 1],
              addingReplicas: [3],
              removingReplicas: [1],
            }),
          ],
        },
      ]);
      const cancel = await raw.request<{ responses: { partitions: { errorCode: number }[] }[] }>(
        AlterPartitionReassignments,
        0,
        {
          timeoutMs: 5000,
          topics: [{ name: 'stuck', partitions: [{ partitionIndex: 0, replicas: null }] }],
        },
      );
      expect(cancel.responses[0]!.partitions[0]!.errorCode).toBe(0);
      expect(await assignmentOf('stuck')).toMatchObject({
        partitions: { 0: [2, 1] },
        adding_replicas: {},
        removing_replicas: {},
      });
      const after = await raw.request<Listed>(ListPartitionReassignments, 0, { timeoutMs: 5000, topics: null });
      expect(after.topics).toEqual([]);
    } finally {
      raw.close();
    }
  }, 40_000);

  it('runs the reassignments of /admin/reassign_partitions and removes the znode when done', async () => {
    await startBroker(1);
    await startBroker(2);
    await createTopic(1, 'zr', [[1], [1]]);
    await zk.create(
      '/admin/reassign_partitions',
      '{"version":1,"partitions":[{"topic":"zr","partition":0,"replicas":[2]},{"topic":"zr","partition":1,"replicas":[1]},{"topic":"nope","partition":0,"replicas":[1]}]}',
    );
    await until(async () => !(await zk.exists('/admin/reassign_partitions')), 20_000);
    expect(await assignmentOf('zr')).toMatchObject({
      partitions: { 0: [2], 1: [1] },
      adding_replicas: {},
      removing_replicas: {},
    });
    expect(await state('zr', 0)).toMatchObject({ leader: 2, isr: [2] });
    await until(() => server(2).services.replicaManager.getPartition('zr', 0)?.isLeader);
    await until(() => server(1).services.replicaManager.getPartition('zr', 0) === undefined);
  }, 40_000);
});
