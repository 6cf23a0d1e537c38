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
 * - Session expiry: a new session is opened, this broker's registration re-created, the controller
 *   re-elected and the cache re-synced.
 *
 * Controller (single-broker groundwork; see docs/cluster.md for the design of the full one): the broker
 * that creates the ephemeral /controller bumps /controller_epoch and, while it holds /controller, does
 * in sync(): gives a topic written without a topic id (0.8.2's `kafka-topics.sh --zookeeper`) one,
 * writes the state of partitions that have none (first live replica leads, live replicas are the ISR),
 * and completes deletions marked under /admin/delete_topics. Topics without an id or without partition
 * states are not shown until the controller has done so.
 *
 * This file holds the store's state, its queue, session and election; the cache reads and event diff
 * are in zk-cache.ts, the topic mutations in zk-topic-mutations.ts, the znode writes of mutations and
 * of the controller in zk-controller.ts.
 */
import { EMPTY_TOPIC_INDEX, indexTopics, type TopicIndex } from '../topic-index.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { Logger } from '../../logger.js';
import { MetadataError } from '../errors.js';
import { MetadataListeners, type MetadataListener, type Unsubscribe } from '../events.js';
import { randomKafkaUuid } from '../kafka-uuid.js';
import type { MetadataStore } from '../metadata-store.js';
import { planPartitionStateUpdate, type TopicCommandContext } from '../topic-commands.js';
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
import { controllerDuties, writeTopicConfig } from './zk-controller.js';
import {
  PERSISTENT_PATHS,
  ZkPaths,
  encodeBroker,
  encodeConfigChange,
  encodeController,
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

const NONE = { errorCode: ErrorCode.NONE, errorMessage: null } as const;

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
  private controllerEpoch = 0;
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
      await this.elect();
      await this.sync();
    });
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

  createTopics(requests: readonly CreateTopicRequest[], options: MutationOptions = {}): Promise<CreateTopicResult[]> {
    return this.run(() => createTopics(this.topicStore(), requests, options));
  }

  deleteTopics(refs: readonly TopicRef[]): Promise<DeleteTopicResult[]> {
    return this.run(() => deleteTopics(this.topicStore(), refs));
  }

  createPartitions(
    requests: readonly CreatePartitionsRequest[],
    options: MutationOptions = {},
  ): Promise<CreatePartitionsResult[]> {
    return this.run(() => createPartitions(this.topicStore(), requests, options));
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

  /** A conditional write of the state znode: expectedPartitionEpoch is its data version. */
  updatePartitionState(
    topic: string,
    partition: number,
    update: PartitionStateUpdate,
    expectedPartitionEpoch: number,
  ): Promise<UpdatePartitionStateResult> {
    return this.run(async (): Promise<UpdatePartitionStateResult> => {
      const plan = planPartitionStateUpdate(this.cache.topics.get(topic), partition, update, expectedPartitionEpoch);
      if (!plan.ok) return { errorCode: plan.errorCode, errorMessage: plan.errorMessage, partition: null };
      try {
        await this.zk.set(
          ZkPaths.partitionState(topic, partition),
          encodePartitionState({ ...update, controllerEpoch: this.controllerEpoch }),
          expectedPartitionEpoch,
        );
      } catch (err) {
        if (!isZkError(err, ZK_BAD_VERSION)) throw err;
        await this.sync();
        return {
          errorCode: ErrorCode.INVALID_UPDATE_VERSION,
          errorMessage: `Partition ${topic}-${partition} is no longer at partition epoch ${expectedPartitionEpoch}.`,
          partition: null,
        };
      }
      await this.sync();
      return { ...NONE, partition: this.topic(topic)?.partitions[partition] ?? plan.partition };
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
    }).catch((err: unknown) => this.log.error(`Metadata sync from ZooKeeper failed: ${String(err)}`));
  }

  private onSessionExpired(): void {
    this.log.warn('ZooKeeper session expired: opening a new session and registering again');
    void this.run(async () => {
      this.zk.close();
      this.zk = await ZkClient.connect(this.options, () => this.onSessionExpired());
      if (this.self !== null) {
        await this.createRegistration();
        await this.elect();
      }
      await this.sync();
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
    } catch (err) {
      if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
      throw new MetadataError(
        'ZOOKEEPER_ERROR',
        `Error while creating ephemeral at ${path}, node already exists: broker.id ${self.brokerId} is registered by ` +
          "another broker (or by this broker's previous session, which expires within zookeeper.session.timeout.ms)",
      );
    }
  }

  /** Try to become controller: create the ephemeral /controller, then bump /controller_epoch. */
  private async elect(): Promise<void> {
    if (this.self === null) return;
    await this.zk.get(ZkPaths.controller, this.watch);
    try {
      await this.zk.create(ZkPaths.controller, encodeController(this.self.brokerId, Date.now()), 'ephemeral');
    } catch (err) {
      if (isZkError(err, ZK_NODE_EXISTS)) return;
      throw err;
    }
    const epoch = await this.zk.get(ZkPaths.controllerEpoch);
    if (epoch === null) {
      await this.zk.create(ZkPaths.controllerEpoch, '1');
      this.controllerEpoch = 1;
    } else {
      this.controllerEpoch = Number(epoch.data) + 1;
      await this.zk.set(ZkPaths.controllerEpoch, String(this.controllerEpoch), epoch.version);
    }
    this.log.info(`Broker ${this.self.brokerId} is the controller (epoch ${this.controllerEpoch})`);
  }

  private isController(): boolean {
    return this.self !== null && this.cache.controllerId === this.self.brokerId;
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

  /**
   * Read everything (setting watches), do the controller's duties if this broker holds /controller,
   * then swap the cache and emit what changed.
   */
  private async sync(): Promise<void> {
    let next = await readCache(this.zk, this.watch);
    if (this.self !== null && next.controllerId === this.self.brokerId && (await this.controllerDuties(next)))
      next = await readCache(this.zk, this.watch);
    if (next.controllerId === -1 && this.self !== null) {
      await this.elect();
      next = await readCache(this.zk, this.watch);
    }
    this.swap(next);
  }

  /** zk-controller.ts's duties, with this store's controller epoch and topic ids. True if it wrote. */
  private controllerDuties(current: Cache): Promise<boolean> {
    return controllerDuties(this.zk, current, this.controllerEpoch, () => this.unusedTopicId(current.topics), this.log);
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
      controllerEpoch: () => this.controllerEpoch,
      cachedTopics: () => this.cache.topics,
      topic: (name) => this.topic(name),
      isController: () => this.isController(),
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
