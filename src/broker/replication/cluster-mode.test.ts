import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogManager } from '../../log/log-manager.js';
import { makeTmpDir, removeTmpDir } from '../../log/testing/test-batches.js';
import { ErrorCode } from '../../protocol/errors.js';
import { BrokerConfig } from '../config/broker-config.js';
import { Logger } from '../logger.js';
import { EmbeddedMetadataStore } from '../metadata/embedded-store.js';
import { ReplicaManager } from '../replica-manager.js';
import { ReplicaFetcherManager } from './replica-fetcher-manager.js';

// A ReplicaManager whose config has zookeeper.connect (cluster mode) over an embedded store standing in
// for the ZooKeeper store's events: the store's topic events must not create or move partitions.
let dir: string;
let store: EmbeddedMetadataStore;
let logManager: LogManager;
let rm: ReplicaManager;

function quiet(): Logger {
  const l = new Logger('test');
  return Object.assign(l, { info: () => undefined, warn: () => undefined, debug: () => undefined });
}

function open(zookeeper: boolean): void {
  const zk = zookeeper ? 'zookeeper.connect=127.0.0.1:1\n' : '';
  const config = BrokerConfig.parse(`broker.id=1\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n${zk}`);
  store = EmbeddedMetadataStore.open({ logDir: dir, logger: quiet() });
  logManager = LogManager.open({
    logDirs: [dir],
    flushSchedulerIntervalMs: 2 ** 40,
    flushOffsetCheckpointIntervalMs: 60_000,
    flushStartOffsetCheckpointIntervalMs: 60_000,
    recoveryProgressIntervalMs: 3_000,
  });
  rm = new ReplicaManager(1, config, logManager, store, quiet());
  opened = true;
}

beforeEach(() => {
  dir = makeTmpDir('samsa-cluster-mode-');
});

let opened = false;

afterEach(async () => {
  if (opened) {
    rm.shutdown();
    await logManager.shutdown();
    await store.close();
    opened = false;
  }
  removeTmpDir(dir);
});

async function createTopic(): Promise<string> {
  await store.registerBroker({ brokerId: 1, host: '127.0.0.1', port: 9092, rack: null, endpoints: [] });
  const [r] = await store.createTopics([
    { name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
  ]);
  return r!.topic!.topicId;
}

const state = (leaderEpoch: number) => ({
  topic: 't',
  partition: 0,
  controllerEpoch: 1,
  leader: 1,
  leaderEpoch,
  isr: [1],
  partitionEpoch: leaderEpoch,
  replicas: [1],
  isNew: true,
});

describe('ReplicaManager roles by mode', () => {
  it('cluster mode: store events create nothing; LeaderAndIsr does; config changes still apply', async () => {
    open(true);
    rm.startup();
    expect(rm.rolesFromController).toBe(true);
    const topicId = await createTopic();
    expect(rm.getPartition('t', 0)).toBeUndefined();
    const r = rm.becomeLeaderOrFollower(1, 1, [state(0)], new Map([['t', topicId]]), []);
    expect(r.partitions).toEqual([{ topic: 't', partition: 0, errorCode: ErrorCode.NONE }]);
    const p = rm.getPartition('t', 0)!;
    expect(p.isLeader).toBe(true);
    expect(p.topicId).toBe(topicId);
    await store.alterTopicConfigs('t', [{ name: 'retention.ms', value: '1234' }]);
    expect(p.log.config.retentionMs).toBe(1234);
    await store.deleteTopics([{ name: 't' }]);
    expect(rm.getPartition('t', 0)).toBe(p); // only StopReplica removes it
  });

  it('tells leadership listeners what a LeaderAndIsr changed, once', async () => {
    open(true);
    rm.startup();
    await createTopic();
    const seen: [string[], string[]][] = [];
    const off = rm.stateChanges.onLeadershipChange((led, resigned) =>
      seen.push([led.map((p) => p.name), resigned.map((p) => `${p.topic}-${p.partition}`)]),
    );
    rm.becomeLeaderOrFollower(1, 1, [state(0)], new Map(), []);
    rm.becomeLeaderOrFollower(1, 1, [state(0)], new Map(), []); // stale: no change, no call
    rm.stopReplicas(1, 1, [{ topic: 't', partition: 0, leaderEpoch: -1, deletePartition: false }]);
    off();
    rm.becomeLeaderOrFollower(1, 1, [state(1)], new Map(), []);
    expect(seen).toEqual([
      [['t-0'], []],
      [[], ['t-0']],
    ]);
  });

  it('a topic id not in the request comes from the store', async () => {
    open(true);
    rm.startup();
    const topicId = await createTopic();
    rm.becomeLeaderOrFollower(1, 1, [state(0)], new Map(), []);
    expect(rm.getPartition('t', 0)?.topicId).toBe(topicId);
  });

  it('standalone: the store’s events still create partitions', async () => {
    open(false);
    rm.startup();
    expect(rm.rolesFromController).toBe(false);
    await createTopic();
    expect(rm.getPartition('t', 0)?.isLeader).toBe(true);
  });
});

describe('ReplicaFetcherManager', () => {
  it('assigns partitions to fetchers with Kafka’s hash', () => {
    const m = new ReplicaFetcherManager({
      brokerId: 1,
      numFetchers: 3,
      backoffMs: 10,
      settings: {
        maxWaitMs: 10,
        minBytes: 1,
        responseMaxBytes: 1 << 20,
        partitionMaxBytes: 1 << 20,
        requestTimeoutMs: 1000,
        connectTimeoutMs: 100,
      },
      logger: quiet(),
    });
    // Utils.abs(31 * "orders".hashCode + p) % 3, with "orders".hashCode = -1008770331.
    expect(m.fetcherId('orders', 0)).toBe(((31 * -1008770331) & 0x7fffffff) % 3);
    expect([0, 1, 2, 3, 4, 5].map((p) => m.fetcherId('orders', p))).toEqual(
      [0, 1, 2, 3, 4, 5].map((p) => ((31 * -1008770331 + p) & 0x7fffffff) % 3),
    );
  });
});
