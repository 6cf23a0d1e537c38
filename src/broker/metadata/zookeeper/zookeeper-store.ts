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
 */
import { ErrorCode } from '../../../protocol/errors.js';
import { ZERO_UUID } from '../../../protocol/primitives/uuid.js';
import { Logger } from '../../logger.js';
import { MetadataError } from '../errors.js';
import { MetadataListeners, type MetadataEvent, type MetadataListener, type Unsubscribe } from '../events.js';
import { randomKafkaUuid } from '../kafka-uuid.js';
import type { MetadataStore } from '../metadata-store.js';
import {
  freezeTopic,
  planCreatePartitions,
  planCreateTopic,
  planPartitionStateUpdate,
  withoutTopicId,
  type TopicCommandContext,
} from '../topic-commands.js';
import {
  applyConfigOps,
  replaceTopicConfigs,
  topicConfigSchema,
  type ConfigChangeResult,
  type TopicConfigSchema,
} from '../topic-config.js';
import { isInternalTopic } from '../topic-name.js';
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
  PartitionMetadata,
  PartitionStateUpdate,
  TopicMetadata,
  TopicRef,
  UpdatePartitionStateResult,
} from '../types.js';
import {
  ZK_BAD_VERSION,
  ZK_NODE_EXISTS,
  ZK_NO_NODE,
  ZkClient,
  isZkError,
  type ZkConnectOptions,
  type ZkOp,
} from './zk-client.js';
import {
  PERSISTENT_PATHS,
  ZkPaths,
  decodeBroker,
  decodeClusterId,
  decodeController,
  decodePartitionState,
  decodeTopicAssignment,
  decodeTopicConfig,
  encodeBroker,
  encodeClusterId,
  encodeConfigChange,
  encodeController,
  encodePartitionState,
  encodeTopicAssignment,
  encodeTopicConfig,
} from './zk-data.js';

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

interface Cache {
  readonly brokers: ReadonlyMap<number, BrokerRegistration>;
  readonly controllerId: number;
  readonly topics: ReadonlyMap<string, TopicMetadata>;
}

const EMPTY: Cache = { brokers: new Map(), controllerId: -1, topics: new Map() };
const NONE = { errorCode: ErrorCode.NONE, errorMessage: null } as const;

export class ZooKeeperMetadataStore implements MetadataStore {
  private zk: ZkClient;
  private cache: Cache = EMPTY;
  private sortedTopics: readonly TopicMetadata[] = [];
  private topicsById = new Map<string, TopicMetadata>();
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
    return this.sortedTopics;
  }
  topic(name: string): TopicMetadata | undefined {
    return this.cache.topics.get(name);
  }
  topicById(topicId: string): TopicMetadata | undefined {
    return this.topicsById.get(topicId);
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
    return this.run(async () => {
      const results: CreateTopicResult[] = [];
      const planned = new Map(this.cache.topics);
      for (const req of requests) {
        const plan = planCreateTopic(this.context(planned), req, this.unusedTopicId(planned));
        if (!plan.ok) {
          results.push({
            errorCode: plan.errorCode,
            errorMessage: plan.errorMessage,
            name: req.name,
            topic: null,
            warning: null,
          });
          continue;
        }
        if (options.validateOnly === true) {
          results.push({ ...NONE, name: req.name, topic: withoutTopicId(plan.topic), warning: plan.warning });
          continue;
        }
        const written = await this.writeNewTopic(plan.topic);
        if (!written) {
          results.push({
            errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
            errorMessage: `Topic '${req.name}' already exists.`,
            name: req.name,
            topic: null,
            warning: null,
          });
          continue;
        }
        planned.set(plan.topic.name, plan.topic);
        results.push({ ...NONE, name: req.name, topic: plan.topic, warning: plan.warning });
      }
      await this.sync();
      return results.map((r) =>
        r.topic !== null && r.topic.topicId !== ZERO_UUID ? { ...r, topic: this.topic(r.name) ?? r.topic } : r,
      );
    });
  }

  deleteTopics(refs: readonly TopicRef[]): Promise<DeleteTopicResult[]> {
    return this.run(async () => {
      const results: DeleteTopicResult[] = [];
      for (const ref of refs) {
        const found =
          'name' in ref
            ? this.cache.topics.get(ref.name)
            : [...this.cache.topics.values()].find((t) => t.topicId === ref.topicId);
        if (found === undefined) {
          results.push(
            'name' in ref
              ? {
                  errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                  errorMessage: `Topic '${ref.name}' does not exist.`,
                  name: ref.name,
                  topicId: ZERO_UUID,
                }
              : {
                  errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
                  errorMessage: `Topic id ${ref.topicId} does not exist.`,
                  name: null,
                  topicId: ref.topicId,
                },
          );
          continue;
        }
        // Kafka's way: mark it; the controller deletes (this broker, when it is the controller).
        await this.zk.create(ZkPaths.deleteTopic(found.name), '').catch((err: unknown) => {
          if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
        });
        if (this.isController()) await this.completeDeletion(found.name);
        results.push({ ...NONE, name: found.name, topicId: found.topicId });
      }
      await this.sync();
      return results;
    });
  }

  createPartitions(
    requests: readonly CreatePartitionsRequest[],
    options: MutationOptions = {},
  ): Promise<CreatePartitionsResult[]> {
    return this.run(async () => {
      const results: CreatePartitionsResult[] = [];
      for (const req of requests) {
        const plan = planCreatePartitions(this.context(this.cache.topics), req);
        if (!plan.ok) {
          results.push({ errorCode: plan.errorCode, errorMessage: plan.errorMessage, name: req.name });
          continue;
        }
        if (options.validateOnly !== true) {
          const ops: ZkOp[] = [
            {
              op: 'set',
              path: ZkPaths.topic(req.name),
              data: encodeTopicAssignment(
                plan.topic.partitions.map((p) => p.replicas),
                plan.topic.topicId,
              ),
              version: -1,
            },
          ];
          if (this.isController())
            for (const p of plan.added) ops.push(...this.partitionCreateOps(req.name, plan.topic.partitions[p]!));
          await this.zk.multi(ops);
          await this.sync();
        }
        results.push({ ...NONE, name: req.name });
      }
      return results;
    });
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

  /** /config/topics/<t> first (as Kafka), then the assignment; the states too when this is the controller. */
  private async writeNewTopic(topic: TopicMetadata): Promise<boolean> {
    const ops: ZkOp[] = [
      {
        op: 'create',
        path: ZkPaths.topic(topic.name),
        data: encodeTopicAssignment(
          topic.partitions.map((p) => p.replicas),
          topic.topicId,
        ),
      },
    ];
    if (this.isController()) {
      ops.push({ op: 'create', path: ZkPaths.partitions(topic.name), data: '' });
      for (const p of topic.partitions) ops.push(...this.partitionCreateOps(topic.name, p));
    }
    try {
      await this.zk
        .set(ZkPaths.topicConfig(topic.name), encodeTopicConfig(topic.configs), -1)
        .catch(async (err: unknown) => {
          if (!isZkError(err, ZK_NO_NODE)) throw err;
          await this.zk.create(ZkPaths.topicConfig(topic.name), encodeTopicConfig(topic.configs));
        });
      await this.zk.multi(ops);
      return true;
    } catch (err) {
      if (isZkError(err, ZK_NODE_EXISTS)) return false;
      throw err;
    }
  }

  private partitionCreateOps(topic: string, p: PartitionState0): ZkOp[] {
    return [
      { op: 'create', path: ZkPaths.partition(topic, p.partition), data: '' },
      {
        op: 'create',
        path: ZkPaths.partitionState(topic, p.partition),
        data: encodePartitionState({
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          isr: p.isr,
          controllerEpoch: this.controllerEpoch,
        }),
      },
    ];
  }

  private async completeDeletion(name: string): Promise<void> {
    const partitions = (await this.zk.children(ZkPaths.partitions(name))) ?? [];
    for (const p of partitions) {
      await this.zk.remove(`${ZkPaths.partitions(name)}/${p}/state`);
      await this.zk.remove(`${ZkPaths.partitions(name)}/${p}`);
    }
    await this.zk.remove(ZkPaths.partitions(name));
    await this.zk.remove(ZkPaths.topic(name));
    await this.zk.remove(ZkPaths.topicConfig(name));
    await this.zk.remove(ZkPaths.deleteTopic(name));
    this.log.info(`Deleted topic ${name}`);
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
      await this.zk
        .set(ZkPaths.topicConfig(name), encodeTopicConfig(changed.configs), -1)
        .catch(async (err: unknown) => {
          if (!isZkError(err, ZK_NO_NODE)) throw err;
          await this.zk.create(ZkPaths.topicConfig(name), encodeTopicConfig(changed.configs));
        });
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
    let next = await this.readAll();
    if (this.self !== null && next.controllerId === this.self.brokerId && (await this.controllerDuties(next)))
      next = await this.readAll();
    if (next.controllerId === -1 && this.self !== null) {
      await this.elect();
      next = await this.readAll();
    }
    this.swap(next);
  }

  private async readAll(): Promise<Cache> {
    const zk = this.zk;
    const brokers = new Map<number, BrokerRegistration>();
    for (const id of (await zk.children(ZkPaths.brokerIds, this.watch)) ?? []) {
      const node = await zk.get(ZkPaths.broker(Number(id)));
      if (node === null) continue;
      const info = decodeBroker(Number(id), node.data);
      brokers.set(info.brokerId, Object.freeze({ ...info, endpoints: Object.freeze([...info.endpoints]) }));
    }
    const controllerNode = await zk.get(ZkPaths.controller, this.watch);
    const controllerId = controllerNode === null ? -1 : decodeController(controllerNode.data);
    await zk.children(ZkPaths.deleteTopics, this.watch);
    await zk.children(ZkPaths.configChanges, this.watch);
    const topics = new Map<string, TopicMetadata>();
    for (const name of (await zk.children(ZkPaths.topics, this.watch)) ?? []) {
      const topic = await this.readTopic(name);
      if (topic !== null) topics.set(name, topic);
    }
    return { brokers, controllerId, topics };
  }

  /** A topic as the cache holds it: the partitions with a state; null while it lacks an id or any state. */
  private async readTopic(name: string): Promise<TopicMetadata | null> {
    const node = await this.zk.get(ZkPaths.topic(name), this.watch);
    if (node === null) return null;
    const assignment = decodeTopicAssignment(name, node.data);
    if (assignment.topicId === null) return null;
    const partitions: PartitionMetadata[] = [];
    for (const [p, replicas] of assignment.replicas.entries()) {
      const state = await this.zk.get(ZkPaths.partitionState(name, p), this.watch);
      // Partitions the controller has not given a state yet are not shown (a topic with none is not).
      if (state === null) break;
      const s = decodePartitionState(state.data);
      partitions.push(
        Object.freeze({
          partition: p,
          replicas: Object.freeze([...replicas]),
          leader: s.leader,
          leaderEpoch: s.leaderEpoch,
          isr: Object.freeze([...s.isr]),
          partitionEpoch: state.version,
        }),
      );
    }
    if (partitions.length === 0) return null;
    const config = await this.zk.get(ZkPaths.topicConfig(name));
    return freezeTopic({
      name,
      topicId: assignment.topicId,
      isInternal: isInternalTopic(name),
      partitions,
      configs: config === null ? new Map() : decodeTopicConfig(config.data),
    });
  }

  /** The minimal controller: ids for id-less topics, states for new partitions, marked deletions. True if it wrote. */
  private async controllerDuties(current: Cache): Promise<boolean> {
    let wrote = false;
    for (const name of (await this.zk.children(ZkPaths.deleteTopics)) ?? []) {
      await this.completeDeletion(name);
      wrote = true;
    }
    const live = new Set(current.brokers.keys());
    for (const name of (await this.zk.children(ZkPaths.topics)) ?? []) {
      const known = current.topics.get(name);
      const node = await this.zk.get(ZkPaths.topic(name));
      if (node === null) continue;
      const assignment = decodeTopicAssignment(name, node.data);
      if (known !== undefined && known.partitions.length === assignment.replicas.length) continue;
      try {
        if (assignment.topicId === null) {
          const topicId = this.unusedTopicId(current.topics);
          await this.zk.set(ZkPaths.topic(name), encodeTopicAssignment(assignment.replicas, topicId), node.version);
          this.log.info(`Assigned topic id ${topicId} to topic ${name}`);
        }
        await this.zk.ensurePath(ZkPaths.partitions(name));
        for (const [p, replicas] of assignment.replicas.entries()) {
          if (await this.zk.exists(ZkPaths.partitionState(name, p))) continue;
          const isr = replicas.filter((id) => live.has(id));
          await this.zk.ensurePath(ZkPaths.partition(name, p));
          await this.zk.create(
            ZkPaths.partitionState(name, p),
            encodePartitionState({ leader: isr[0] ?? -1, leaderEpoch: 0, isr, controllerEpoch: this.controllerEpoch }),
          );
        }
        wrote = true;
      } catch (err) {
        // Another writer got there first; the next sync sees its result.
        if (!isZkError(err, ZK_BAD_VERSION) && !isZkError(err, ZK_NODE_EXISTS)) throw err;
      }
    }
    return wrote;
  }

  private swap(next: Cache): void {
    const prev = this.cache;
    const events: MetadataEvent[] = [];
    for (const [id, b] of next.brokers) if (!prev.brokers.has(id)) events.push({ type: 'brokerRegistered', broker: b });
    for (const id of prev.brokers.keys())
      if (!next.brokers.has(id)) events.push({ type: 'brokerUnregistered', brokerId: id });
    if (prev.controllerId !== next.controllerId)
      events.push({ type: 'controllerChanged', controllerId: next.controllerId });
    for (const [name, old] of prev.topics) {
      const now = next.topics.get(name);
      if (now === undefined || now.topicId !== old.topicId) events.push({ type: 'topicDeleted', topic: old });
    }
    for (const [name, topic] of next.topics) {
      const old = prev.topics.get(name);
      if (old === undefined || old.topicId !== topic.topicId) {
        events.push({ type: 'topicCreated', topic });
        continue;
      }
      if (topic.partitions.length > old.partitions.length)
        events.push({
          type: 'partitionsCreated',
          topic,
          partitions: topic.partitions.slice(old.partitions.length).map((p) => p.partition),
        });
      if (!sameMap(old.configs, topic.configs)) events.push({ type: 'topicConfigChanged', topic });
      for (const p of old.partitions) {
        const q = topic.partitions[p.partition];
        if (q !== undefined && q.partitionEpoch !== p.partitionEpoch)
          events.push({ type: 'partitionStateChanged', topic, partition: q });
      }
    }
    this.cache = next;
    const all = [...next.topics.values()];
    this.topicsById = new Map(all.map((t) => [t.topicId, t]));
    this.sortedTopics = Object.freeze(all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    const base = this.currentVersion;
    this.currentVersion += events.length;
    events.forEach((e, i) => this.listeners.emit(e, base + i + 1));
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

type PartitionState0 = Pick<PartitionMetadata, 'partition' | 'leader' | 'leaderEpoch' | 'isr'>;

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Kafka's getOrGenerateClusterId: the id in /cluster/id, or `proposed` written there. */
async function getOrCreateClusterId(zk: ZkClient, proposed: string): Promise<string> {
  const node = await zk.get(ZkPaths.clusterId);
  if (node !== null) return decodeClusterId(node.data);
  await zk.ensurePath('/cluster');
  try {
    await zk.create(ZkPaths.clusterId, encodeClusterId(proposed));
    return proposed;
  } catch (err) {
    if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
    const raced = await zk.get(ZkPaths.clusterId);
    return decodeClusterId(raced!.data);
  }
}
