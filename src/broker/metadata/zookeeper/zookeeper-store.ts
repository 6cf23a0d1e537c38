/**
 * The cluster-mode metadata store: Kafka's ZooKeeper-mode znodes (zk-data.ts) behind MetadataStore.
 *
 * - Reads come from a cache. The cache is rebuilt by sync(): read every broker, the controller and
 *   every topic (assignment, config, partition states), diff against the cache, swap, and emit the
 *   events the diff describes. Each read sets a watch; any watch firing schedules one more sync.
 * - All ZooKeeper work runs on one serial queue (`run`): a mutation, a sync and a session renewal never
 *   interleave, so a mutation validates against the cache it will change.
 * - A mutation validates with the same topic-commands.ts checks as the embedded store, writes its
 *   znodes (a multi where it is several), then syncs, so the caller's next read sees the change.
 * - Session expiry: a new session is opened, this broker's registration re-created, the
 *   `onSessionRenewed` listeners told (the controller resigns and runs for election again) and the
 *   cache re-synced.
 *
 * The store is passive about the cluster: the controller (src/broker/controller/, one per broker,
 * active on the one holding /controller) gives topics ids and partition states, elects leaders and
 * completes deletions, through the same ZooKeeper session (`zkClient()`). Topics without an id or
 * without partition states are not shown until it has done so; CreateTopics, CreatePartitions and
 * DeleteTopics wait (outside the queue, at most PROPAGATION_WAIT_MS) until the cache shows its result,
 * as Kafka's DelayedCreatePartitions / DelayedDeleteTopics wait for the metadata cache.
 *
 * The one partition-state write the store makes is a leader's ISR change (updatePartitionState):
 * versioned, with an /isr_change_notification for the controller.
 *
 * This file holds the store's state, its queue and session; the cache reads and event diff are in
 * zk-cache.ts, the topic mutations in zk-topic-mutations.ts, the znode writes of topic creation in
 * zk-controller.ts.
 */
import { EMPTY_TOPIC_INDEX, indexTopics, type TopicIndex } from '../topic-index.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { Logger } from '../../logger.js';
import { MetadataError } from '../errors.js';
import { MetadataListeners, type MetadataListener, type Unsubscribe } from '../events.js';
import { randomKafkaUuid } from '../kafka-uuid.js';
import type { MetadataStore } from '../metadata-store.js';
import type { TopicCommandContext } from '../topic-commands.js';
import {
  applyConfigOps,
  replaceTopicConfigs,
  topicConfigSchema,
  type ConfigChangeResult,
  type TopicConfigSchema,
} from '../topic-config.js';
import type {
  AlterConfigOp,
  AlterTopicConfigResult,
  BrokerRegistration,
  ConfigEntry,
  CreatePartitionsRequest,
  CreatePartitionsResult,
  CreateTopicRequest,
  CreateTopicResult,
  DeleteTopicResult,
  MutationOptions,
  PartitionStateUpdate,
  TopicMetadata,
  TopicRef,
  UpdatePartitionStateResult,
} from '../types.js';
import { type Cache, EMPTY_CACHE, cacheEvents, getOrCreateClusterId, readCache } from './zk-cache.js';
import { ZK_BAD_VERSION, ZK_NODE_EXISTS, ZkClient, isZkError, type ZkConnectOptions } from './zk-client.js';
import { writeTopicConfig } from './zk-controller.js';
import {
  PERSISTENT_PATHS,
  ZkPaths,
  decodePartitionState,
  encodeBroker,
  encodeConfigChange,
  encodePartitionState,
} from './zk-data.js';
import { type ZkTopicStore, createPartitions, createTopics, deleteTopics } from './zk-topic-mutations.js';

export interface ZooKeeperMetadataStoreOptions extends ZkConnectOptions {
  readonly defaultNumPartitions?: number;
  readonly defaultReplicationFactor?: number;
  readonly maxReservedBrokerId?: number;
  readonly topicConfigSchema?: TopicConfigSchema;
  /** The cluster id to write to /cluster/id if there is none yet; random when absent. */
  readonly clusterId?: string;
  readonly logger?: Logger;
  readonly newUuid?: () => string;
  readonly random?: (bound: number) => number;
}

/** After a failed sync (a connection loss), the next try. */
const SYNC_RETRY_MS = 1000;

const NONE = { errorCode: ErrorCode.NONE, errorMessage: null } as const;

/** How long a topic mutation waits for the controller's result to show in the cache. */
const PROPAGATION_WAIT_MS = 10_000;
/** A leader's ISR change notification, read by the controller (Kafka's IsrChangeNotificationZNode). */
const ISR_CHANGE_PREFIX = '/isr_change_notification/isr_change_';

export class ZooKeeperMetadataStore implements MetadataStore {
  private zk: ZkClient;
  private cache: Cache = EMPTY_CACHE;
  private index: TopicIndex = EMPTY_TOPIC_INDEX;
  private currentVersion = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private syncScheduled = false;
  private closed = false;
  /** This broker's registration, re-created after a session expiry. */
  private self: BrokerRegistration | null = null;
  /** czxid of this broker's /brokers/ids/<id>: its broker epoch; -1 while unregistered. */
  private epoch = -1;
  private readonly sessionListeners: (() => void)[] = [];
  private readonly listeners: MetadataListeners;
  private readonly log: Logger;
  private readonly newUuid: () => string;
  private readonly configSchema: TopicConfigSchema;
  /** One watcher for every znode: any change schedules a sync. */
  private readonly watch = (): void => this.scheduleSync();

  private constructor(
    private readonly options: ZooKeeperMetadataStoreOptions,
    zk: ZkClient,
    readonly clusterId: string,
  ) {
    this.zk = zk;
    this.log = options.logger ?? new Logger('samsa.metadata.ZooKeeperMetadataStore');
    this.listeners = new MetadataListeners(this.log);
    this.newUuid = options.newUuid ?? (() => randomKafkaUuid());
    this.configSchema = options.topicConfigSchema ?? topicConfigSchema();
  }

  /** Connect, create Kafka's persistent paths, read or create /cluster/id, and load the cache. */
  static async open(options: ZooKeeperMetadataStoreOptions): Promise<ZooKeeperMetadataStore> {
    let store: ZooKeeperMetadataStore | undefined;
    const zk = await ZkClient.connect(options, () => store?.onSessionExpired());
    try {
      for (const p of PERSISTENT_PATHS) await zk.ensurePath(p);
      const clusterId = await getOrCreateClusterId(zk, options.clusterId ?? randomKafkaUuid());
      store = new ZooKeeperMetadataStore(options, zk, clusterId);
      await store.run(() => store!.sync());
      return store;
    } catch (err) {
      zk.close();
      throw err;
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  get version(): number {
    return this.currentVersion;
  }
  controllerId(): number {
    return this.cache.controllerId;
  }
  liveBrokers(): readonly BrokerRegistration[] {
    return [...this.cache.brokers.values()].sort((a, b) => a.brokerId - b.brokerId);
  }
  broker(brokerId: number): BrokerRegistration | undefined {
    return this.cache.brokers.get(brokerId);
  }
  topics(): readonly TopicMetadata[] {
    return this.index.sorted;
  }
  topic(name: string): TopicMetadata | undefined {
    return this.cache.topics.get(name);
  }
  topicById(topicId: string): TopicMetadata | undefined {
    return this.index.byId.get(topicId);
  }
  subscribe(listener: MetadataListener): Unsubscribe {
    return this.listeners.subscribe(listener);
  }

  // ---- brokers ---------------------------------------------------------------------------------

  /** Kafka's generateBrokerSequenceId: an unconditional write to /brokers/seqid; its new data version. */
  generateBrokerId(): Promise<number> {
    return this.run(async () => {
      const version = await this.zk.set(ZkPaths.brokerSeqId, '', -1);
      return version + (this.options.maxReservedBrokerId ?? 1000);
    });
  }

  registerBroker(registration: BrokerRegistration): Promise<void> {
    return this.run(async () => {
      this.self = Object.freeze({ ...registration });
      await this.createRegistration();
      await this.sync();
    });
  }

  /** This broker's epoch (czxid of its registration), -1 while unregistered. */
  brokerEpoch(): number {
    return this.epoch;
  }

  /** The current ZooKeeper session's client (a new one after a session expiry): the controller's way in. */
  zkClient(): ZkClient {
    return this.zk;
  }

  /** Called after a session expiry, once this broker is registered again in the new session. */
  onSessionRenewed(listener: () => void): void {
    this.sessionListeners.push(listener);
  }

  /** Re-reads everything now (UpdateMetadata from the controller); resolves once the cache is current. */
  refresh(): Promise<void> {
    return this.run(() => this.sync());
  }

  unregisterBroker(brokerId: number): Promise<void> {
    return this.run(async () => {
      await this.zk.remove(ZkPaths.broker(brokerId));
      if (this.self?.brokerId === brokerId) {
        this.self = null;
        if (this.cache.controllerId === brokerId) await this.zk.remove(ZkPaths.controller);
      }
      await this.sync();
    });
  }

  // ---- topics ----------------------------------------------------------------------------------

  async createTopics(
    requests: readonly CreateTopicRequest[],
    options: MutationOptions = {},
  ): Promise<CreateTopicResult[]> {
    const results = await this.run(() => createTopics(this.topicStore(), requests, options));
    if (options.validateOnly === true) return results;
    const created = results.filter((r) => r.errorCode === ErrorCode.NONE && r.topic !== null);
    await this.waitFor(() =>
      created.every((r) => (this.topic(r.name)?.partitions.length ?? 0) >= r.topic!.partitions.length),
    );
    return results.map((r) => (created.includes(r) ? { ...r, topic: this.topic(r.name) ?? r.topic } : r));
  }

  async deleteTopics(refs: readonly TopicRef[]): Promise<DeleteTopicResult[]> {
    const results = await this.run(() => deleteTopics(this.topicStore(), refs));
    const deleted = results.filter((r) => r.errorCode === ErrorCode.NONE && r.name !== null);
    await this.waitFor(() => deleted.every((r) => this.topic(r.name!)?.topicId !== r.topicId));
    return results;
  }

  async createPartitions(
    requests: readonly CreatePartitionsRequest[],
    options: MutationOptions = {},
  ): Promise<CreatePartitionsResult[]> {
    const results = await this.run(() => createPartitions(this.topicStore(), requests, options));
    if (options.validateOnly === true) return results;
    await this.waitFor(() =>
      requests.every(
        (req, i) =>
          results[i]?.errorCode !== ErrorCode.NONE || (this.topic(req.name)?.partitions.length ?? 0) >= req.count,
      ),
    );
    return results;
  }

  alterTopicConfigs(
    name: string,
    entries: readonly ConfigEntry[],
    options: MutationOptions = {},
  ): Promise<AlterTopicConfigResult> {
    return this.run(() => this.changeConfigs(name, () => replaceTopicConfigs(this.configSchema, entries), options));
  }

  incrementalAlterTopicConfigs(
    name: string,
    ops: readonly AlterConfigOp[],
    options: MutationOptions = {},
  ): Promise<AlterTopicConfigResult> {
    return this.run(() =>
      this.changeConfigs(name, (current) => applyConfigOps(this.configSchema, current, ops), options),
    );
  }

  /**
   * A leader's ISR change (Kafka's ZooKeeper-mode Partition.updateIsr): the state znode written only
   * if still at expectedPartitionEpoch (its data version), keeping its controller_epoch unless the
   * caller names one, together with /isr_change_notification/isr_change_<seq> in one multi. The
   * result's partitionEpoch is the znode's new version.
   */
  updatePartitionState(
    topic: string,
    partition: number,
    update: PartitionStateUpdate,
    expectedPartitionEpoch: number,
  ): Promise<UpdatePartitionStateResult> {
    return this.run(async (): Promise<UpdatePartitionStateResult> => {
      const fail = (errorCode: number, errorMessage: string): UpdatePartitionStateResult => ({
        errorCode,
        errorMessage,
        partition: null,
      });
      const path = ZkPaths.partitionState(topic, partition);
      const node = await this.zk.get(path);
      if (node === null)
        return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
      const stale = fail(
        ErrorCode.INVALID_UPDATE_VERSION,
        `Partition ${topic}-${partition} is no longer at partition epoch ${expectedPartitionEpoch}.`,
      );
      if (node.version !== expectedPartitionEpoch) return stale;
      const current = decodePartitionState(node.data);
      const cached = this.cache.topics.get(topic)?.partitions[partition];
      const replicas = cached?.replicas ?? update.isr;
      if (update.leaderEpoch < current.leaderEpoch)
        return fail(
          ErrorCode.FENCED_LEADER_EPOCH,
          `Leader epoch ${update.leaderEpoch} is older than the current ${current.leaderEpoch} of ${topic}-${partition}.`,
        );
      if (
        new Set(update.isr).size !== update.isr.length ||
        !update.isr.every((id) => replicas.includes(id)) ||
        (update.leader !== -1 && !update.isr.includes(update.leader))
      )
        return fail(
          ErrorCode.INVALID_REQUEST,
          `Leader ${update.leader} and ISR [${update.isr.join(',')}] do not fit the replicas ` +
            `[${replicas.join(',')}] of ${topic}-${partition}.`,
        );
      const controllerEpoch = update.controllerEpoch ?? current.controllerEpoch;
      let version: number;
      try {
        const results = await this.zk.multi([
          {
            op: 'set',
            path,
            data: encodePartitionState({
              leader: update.leader,
              leaderEpoch: update.leaderEpoch,
              isr: update.isr,
              controllerEpoch,
            }),
            version: expectedPartitionEpoch,
          },
          {
            op: 'create',
            path: ISR_CHANGE_PREFIX,
            data: JSON.stringify({ version: 1, partitions: [{ topic, partition }] }),
            mode: 'sequential',
          },
        ]);
        version = results[0]?.version ?? expectedPartitionEpoch + 1;
      } catch (err) {
        if (!isZkError(err, ZK_BAD_VERSION)) throw err;
        await this.sync();
        return stale;
      }
      await this.sync();
      const now = this.cache.topics.get(topic)?.partitions[partition];
      return {
        ...NONE,
        partition: Object.freeze({
          partition,
          replicas: now?.replicas ?? replicas,
          leader: update.leader,
          leaderEpoch: update.leaderEpoch,
          isr: Object.freeze([...update.isr]),
          partitionEpoch: version,
        }),
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => {});
    this.zk.close();
  }

  // ---- ZooKeeper work --------------------------------------------------------------------------

  /** Run `work` after everything queued before it; the store's only way into ZooKeeper. */
  private run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.closed) throw new MetadataError('METADATA_STORE_CLOSED', 'The ZooKeeper metadata store is closed');
      return work();
    });
    this.queue = next.catch(() => {});
    return next.catch((err: unknown) => {
      if (err instanceof MetadataError) throw err;
      throw new MetadataError('ZOOKEEPER_ERROR', `ZooKeeper request failed: ${String(err)}`, { cause: err });
    });
  }

  private scheduleSync(): void {
    if (this.syncScheduled || this.closed) return;
    this.syncScheduled = true;
    void this.run(() => {
      this.syncScheduled = false;
      return this.sync();
    }).catch((err: unknown) => {
      if (this.closed) return;
      // A failed read left its watch unset: without another sync the cache would stay stale.
      this.log.error(`Metadata sync from ZooKeeper failed: ${String(err)}; retrying in ${SYNC_RETRY_MS} ms`);
      setTimeout(() => this.scheduleSync(), SYNC_RETRY_MS).unref();
    });
  }

  private onSessionExpired(): void {
    this.log.warn('ZooKeeper session expired: opening a new session and registering again');
    void this.run(async () => {
      this.zk.close();
      this.zk = await ZkClient.connect(this.options, () => this.onSessionExpired());
      if (this.self !== null) await this.createRegistration();
      await this.sync();
      for (const listener of this.sessionListeners) listener();
    }).catch((err: unknown) => {
      this.log.error(`Could not renew the ZooKeeper session: ${String(err)}; retrying`);
      if (!this.closed) setTimeout(() => this.onSessionExpired(), 1000).unref();
    });
  }

  private async createRegistration(): Promise<void> {
    const self = this.self;
    if (self === null) return;
    const path = ZkPaths.broker(self.brokerId);
    try {
      await this.zk.create(path, encodeBroker(self, Date.now()), 'ephemeral');
      this.epoch = (await this.zk.getStat(path))?.czxid ?? -1;
    } catch (err) {
      if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
      throw new MetadataError(
        'ZOOKEEPER_ERROR',
        `Error while creating ephemeral at ${path}, node already exists: broker.id ${self.brokerId} is registered by ` +
          "another broker (or by this broker's previous session, which expires within zookeeper.session.timeout.ms)",
      );
    }
  }

  private async changeConfigs(
    name: string,
    change: (current: ReadonlyMap<string, string>) => ConfigChangeResult,
    options: MutationOptions,
  ): Promise<AlterTopicConfigResult> {
    const topic = this.cache.topics.get(name);
    if (topic === undefined)
      return {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `Topic '${name}' does not exist.`,
        name,
        configs: null,
      };
    const changed = change(topic.configs);
    if (!changed.ok) return { errorCode: changed.errorCode, errorMessage: changed.errorMessage, name, configs: null };
    if (options.validateOnly !== true) {
      await writeTopicConfig(this.zk, name, changed.configs);
      await this.zk.create(ZkPaths.configChangePrefix, encodeConfigChange(name), 'sequential');
      await this.sync();
    }
    return { ...NONE, name, configs: changed.configs };
  }

  /** Read everything (setting watches), then swap the cache and emit what changed. */
  private async sync(): Promise<void> {
    this.swap(await readCache(this.zk, this.watch));
  }

  /** Resolves once `done` holds for the cache, or after PROPAGATION_WAIT_MS (the caller answers anyway). */
  private async waitFor(done: () => boolean): Promise<void> {
    const deadline = Date.now() + PROPAGATION_WAIT_MS;
    while (!done() && !this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  private swap(next: Cache): void {
    const events = cacheEvents(this.cache, next);
    this.cache = next;
    this.index = indexTopics(next.topics.values());
    const base = this.currentVersion;
    this.currentVersion += events.length;
    events.forEach((e, i) => this.listeners.emit(e, base + i + 1));
  }

  /** The live view of this store that zk-topic-mutations.ts works on (made inside `run`). */
  private topicStore(): ZkTopicStore {
    return {
      zk: this.zk,
      log: this.log,
      cachedTopics: () => this.cache.topics,
      topic: (name) => this.topic(name),
      context: (topics) => this.context(topics),
      unusedTopicId: (topics) => this.unusedTopicId(topics),
      sync: () => this.sync(),
    };
  }

  private context(topics: ReadonlyMap<string, TopicMetadata>): TopicCommandContext {
    return {
      topics,
      liveBrokerIds: [...this.cache.brokers.keys()].sort((a, b) => a - b),
      defaultNumPartitions: this.options.defaultNumPartitions ?? 1,
      defaultReplicationFactor: this.options.defaultReplicationFactor ?? 1,
      configSchema: this.configSchema,
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    };
  }

  private unusedTopicId(topics: ReadonlyMap<string, TopicMetadata>): string {
    const used = new Set([...topics.values()].map((t) => t.topicId));
    for (;;) {
      const id = this.newUuid();
      if (!used.has(id)) return id;
    }
  }
}
