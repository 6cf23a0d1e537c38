/**
 * The standalone metadata store: the whole cluster state in one file in the first log dir
 * (metadata-file.ts), held in memory as an immutable snapshot.
 *
 * Every mutation is one synchronous step: validate against the current snapshot, build the next
 * snapshot, write it crash-safely (atomic-file.ts), swap it in, then notify. If the write fails the
 * snapshot is untouched and the call rejects with METADATA_WRITE_FAILED. No await, no interleaving.
 *
 * Broker registrations are ephemeral, as Kafka's /brokers/ids znodes: memory only. The lowest
 * registered broker is the controller (standalone, that is this broker); it also performs the
 * controller's duties Kafka runs on a new partition (first live replica leads, live replicas are
 * the ISR).
 */
import { EMPTY_TOPIC_INDEX, indexTopics, type TopicIndex } from './topic-index.js';
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { Logger } from '../logger.js';
import { removeStaleTmp, writeFileAtomicSync } from './atomic-file.js';
import { MetadataError } from './errors.js';
import { MetadataListeners, type MetadataEvent, type MetadataListener, type Unsubscribe } from './events.js';
import { randomKafkaUuid } from './kafka-uuid.js';
import { METADATA_FILE_NAME, encodeMetadataFile, readMetadataFile, type MetadataSnapshot } from './metadata-file.js';
import type { MetadataStore } from './metadata-store.js';
import {
  freezeTopic,
  planCreatePartitions,
  planCreateTopic,
  planPartitionStateUpdate,
  withoutTopicId,
  type TopicCommandContext,
} from './topic-commands.js';
import {
  applyConfigOps,
  topicConfigSchema,
  replaceTopicConfigs,
  type ConfigChangeResult,
  type TopicConfigSchema,
} from './topic-config.js';
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
  ErrorResult,
  MutationOptions,
  PartitionStateUpdate,
  TopicMetadata,
  TopicRef,
  UpdatePartitionStateResult,
} from './types.js';

export interface EmbeddedMetadataStoreOptions {
  /** The directory of the metadata file: the first of log.dirs. Created if missing. */
  readonly logDir: string;
  /** num.partitions (default 1). */
  readonly defaultNumPartitions?: number;
  /** default.replication.factor (default 1). */
  readonly defaultReplicationFactor?: number;
  /** reserved.broker.max.id (default 1000): generated broker ids start above it. */
  readonly maxReservedBrokerId?: number;
  /** Topic config names, values and defaults; topicConfigSchema() (Kafka's defaults) when absent. */
  readonly topicConfigSchema?: TopicConfigSchema;
  /** The cluster id of a store created now; a random Kafka UUID when absent. Ignored when the file exists. */
  readonly clusterId?: string;
  readonly logger?: Logger;
  /** Source of topic ids and a new cluster id (tests); randomKafkaUuid by default. */
  readonly newUuid?: () => string;
  /** Random integer in [0, bound) for replica placement (tests); Math.random by default. */
  readonly random?: (bound: number) => number;
}

export class EmbeddedMetadataStore implements MetadataStore {
  /** The metadata file, `<logDir>/samsa-metadata.json`. */
  readonly file: string;
  private snapshot: MetadataSnapshot;
  private index: TopicIndex = EMPTY_TOPIC_INDEX;
  private readonly brokers = new Map<number, BrokerRegistration>();
  private currentVersion = 0;
  private closed = false;
  private readonly listeners: MetadataListeners;
  private readonly log: Logger;
  private readonly newUuid: () => string;
  private readonly configSchema: TopicConfigSchema;

  static fileIn(logDir: string): string {
    return path.join(logDir, METADATA_FILE_NAME);
  }

  /** True when `logDir` holds a metadata file (committed; a leftover .tmp does not count). */
  static existsIn(logDir: string): boolean {
    return fs.existsSync(EmbeddedMetadataStore.fileIn(logDir));
  }

  /**
   * Load the store from `logDir`, or create it there (with a new cluster id) when there is no file.
   * Throws METADATA_CORRUPT for a file that fails its checks; never starts empty over a bad file.
   */
  static open(options: EmbeddedMetadataStoreOptions): EmbeddedMetadataStore {
    return new EmbeddedMetadataStore(options);
  }

  private constructor(private readonly options: EmbeddedMetadataStoreOptions) {
    this.log = options.logger ?? new Logger('samsa.metadata.EmbeddedMetadataStore');
    this.listeners = new MetadataListeners(this.log);
    this.newUuid = options.newUuid ?? (() => randomKafkaUuid());
    this.configSchema = options.topicConfigSchema ?? topicConfigSchema();
    this.file = EmbeddedMetadataStore.fileIn(options.logDir);

    fs.mkdirSync(options.logDir, { recursive: true });
    if (removeStaleTmp(this.file))
      this.log.warn(`Removed ${this.file}.tmp, a metadata write that did not complete before a crash`);
    const loaded = readMetadataFile(this.file);
    if (loaded !== null) {
      this.snapshot = loaded;
      this.log.info(`Loaded metadata from ${this.file}: cluster id ${loaded.clusterId}, ${loaded.topics.size} topics`);
    } else {
      this.snapshot = { clusterId: options.clusterId ?? this.newUuid(), brokerSequenceId: 0, topics: new Map() };
      this.persist(this.snapshot);
      this.log.info(`Created metadata file ${this.file} for new cluster ${this.snapshot.clusterId}`);
    }
    this.reindex();
  }

  // ---- reads -----------------------------------------------------------------------------------

  get clusterId(): string {
    return this.snapshot.clusterId;
  }

  get version(): number {
    return this.currentVersion;
  }

  controllerId(): number {
    let lowest = -1;
    for (const id of this.brokers.keys()) if (lowest === -1 || id < lowest) lowest = id;
    return lowest;
  }

  liveBrokers(): readonly BrokerRegistration[] {
    return [...this.brokers.values()].sort((a, b) => a.brokerId - b.brokerId);
  }

  broker(brokerId: number): BrokerRegistration | undefined {
    return this.brokers.get(brokerId);
  }

  topics(): readonly TopicMetadata[] {
    return this.index.sorted;
  }

  topic(name: string): TopicMetadata | undefined {
    return this.snapshot.topics.get(name);
  }

  topicById(topicId: string): TopicMetadata | undefined {
    return this.index.byId.get(topicId);
  }

  subscribe(listener: MetadataListener): Unsubscribe {
    return this.listeners.subscribe(listener);
  }

  // ---- brokers ---------------------------------------------------------------------------------

  generateBrokerId(): Promise<number> {
    return settle(() => {
      this.checkOpen();
      const brokerSequenceId = this.snapshot.brokerSequenceId + 1;
      this.commit({ ...this.snapshot, brokerSequenceId }, []);
      return brokerSequenceId + (this.options.maxReservedBrokerId ?? 1000);
    });
  }

  registerBroker(registration: BrokerRegistration): Promise<void> {
    return settle(() => {
      this.checkOpen();
      const controller = this.controllerId();
      this.brokers.set(registration.brokerId, Object.freeze({ ...registration }));
      const events: MetadataEvent[] = [{ type: 'brokerRegistered', broker: registration }];
      if (this.controllerId() !== controller)
        events.push({ type: 'controllerChanged', controllerId: this.controllerId() });
      this.announce(events);
    });
  }

  unregisterBroker(brokerId: number): Promise<void> {
    return settle(() => {
      this.checkOpen();
      if (!this.brokers.has(brokerId)) return;
      const controller = this.controllerId();
      this.brokers.delete(brokerId);
      const events: MetadataEvent[] = [{ type: 'brokerUnregistered', brokerId }];
      if (this.controllerId() !== controller)
        events.push({ type: 'controllerChanged', controllerId: this.controllerId() });
      this.announce(events);
    });
  }

  // ---- topics ----------------------------------------------------------------------------------

  createTopics(requests: readonly CreateTopicRequest[], options: MutationOptions = {}): Promise<CreateTopicResult[]> {
    return settle(() => {
      this.checkOpen();
      const topics = new Map(this.snapshot.topics);
      const events: MetadataEvent[] = [];
      const results = requests.map((req): CreateTopicResult => {
        const planned = planCreateTopic(this.context(topics), req, this.unusedTopicId(topics));
        if (!planned.ok) return { ...errorOf(planned), name: req.name, topic: null, warning: null };
        const { topic, warning } = planned;
        if (options.validateOnly === true) return { ...NONE, name: req.name, topic: withoutTopicId(topic), warning };
        topics.set(topic.name, topic);
        events.push({ type: 'topicCreated', topic });
        return { ...NONE, name: req.name, topic, warning };
      });
      if (events.length > 0) this.commit({ ...this.snapshot, topics }, events);
      return results;
    });
  }

  deleteTopics(refs: readonly TopicRef[]): Promise<DeleteTopicResult[]> {
    return settle(() => {
      this.checkOpen();
      const topics = new Map(this.snapshot.topics);
      const events: MetadataEvent[] = [];
      const results = refs.map((ref): DeleteTopicResult => {
        const byName = 'name' in ref;
        const found = byName ? topics.get(ref.name) : [...topics.values()].find((t) => t.topicId === ref.topicId);
        if (found === undefined)
          return byName
            ? {
                ...failure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${ref.name}' does not exist.`),
                name: ref.name,
                topicId: ZERO_UUID,
              }
            : {
                ...failure(ErrorCode.UNKNOWN_TOPIC_ID, `Topic id ${ref.topicId} does not exist.`),
                name: null,
                topicId: ref.topicId,
              };
        topics.delete(found.name);
        events.push({ type: 'topicDeleted', topic: found });
        return { ...NONE, name: found.name, topicId: found.topicId };
      });
      if (events.length > 0) this.commit({ ...this.snapshot, topics }, events);
      return results;
    });
  }

  createPartitions(
    requests: readonly CreatePartitionsRequest[],
    options: MutationOptions = {},
  ): Promise<CreatePartitionsResult[]> {
    return settle(() => {
      this.checkOpen();
      const topics = new Map(this.snapshot.topics);
      const events: MetadataEvent[] = [];
      const results = requests.map((req): CreatePartitionsResult => {
        const planned = planCreatePartitions(this.context(topics), req);
        if (!planned.ok) return { ...errorOf(planned), name: req.name };
        if (options.validateOnly !== true) {
          topics.set(req.name, planned.topic);
          events.push({ type: 'partitionsCreated', topic: planned.topic, partitions: planned.added });
        }
        return { ...NONE, name: req.name };
      });
      if (events.length > 0) this.commit({ ...this.snapshot, topics }, events);
      return results;
    });
  }

  alterTopicConfigs(
    name: string,
    entries: readonly ConfigEntry[],
    options: MutationOptions = {},
  ): Promise<AlterTopicConfigResult> {
    return settle(() => this.changeConfigs(name, () => replaceTopicConfigs(this.configSchema, entries), options));
  }

  incrementalAlterTopicConfigs(
    name: string,
    ops: readonly AlterConfigOp[],
    options: MutationOptions = {},
  ): Promise<AlterTopicConfigResult> {
    return settle(() =>
      this.changeConfigs(name, (current) => applyConfigOps(this.configSchema, current, ops), options),
    );
  }

  updatePartitionState(
    topic: string,
    partition: number,
    update: PartitionStateUpdate,
    expectedPartitionEpoch: number,
  ): Promise<UpdatePartitionStateResult> {
    return settle((): UpdatePartitionStateResult => {
      this.checkOpen();
      const planned = planPartitionStateUpdate(
        this.snapshot.topics.get(topic),
        partition,
        update,
        expectedPartitionEpoch,
      );
      if (!planned.ok) return { ...errorOf(planned), partition: null };
      const topics = new Map(this.snapshot.topics).set(topic, planned.topic);
      this.commit({ ...this.snapshot, topics }, [
        { type: 'partitionStateChanged', topic: planned.topic, partition: planned.partition },
      ]);
      return { ...NONE, partition: planned.partition };
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  // ---- internals -------------------------------------------------------------------------------

  private changeConfigs(
    name: string,
    change: (current: ReadonlyMap<string, string>) => ConfigChangeResult,
    options: MutationOptions,
  ): AlterTopicConfigResult {
    this.checkOpen();
    const topic = this.snapshot.topics.get(name);
    if (topic === undefined)
      return {
        ...failure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`),
        name,
        configs: null,
      };
    const changed = change(topic.configs);
    if (!changed.ok) return { ...errorOf(changed), name, configs: null };
    if (options.validateOnly !== true && !sameConfigs(topic.configs, changed.configs)) {
      const next = freezeTopic({ ...topic, configs: changed.configs });
      this.commit({ ...this.snapshot, topics: new Map(this.snapshot.topics).set(name, next) }, [
        { type: 'topicConfigChanged', topic: next },
      ]);
    }
    return { ...NONE, name, configs: changed.configs };
  }

  private context(topics: ReadonlyMap<string, TopicMetadata>): TopicCommandContext {
    return {
      topics,
      liveBrokerIds: [...this.brokers.keys()].sort((a, b) => a - b),
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

  /** Write `next`, make it current, then tell the listeners. The write failing changes nothing. */
  private commit(next: MetadataSnapshot, events: readonly MetadataEvent[]): void {
    this.persist(next);
    this.snapshot = next;
    this.reindex();
    this.announce(events);
  }

  private announce(events: readonly MetadataEvent[]): void {
    const base = this.currentVersion;
    this.currentVersion += events.length;
    events.forEach((event, i) => this.listeners.emit(event, base + i + 1));
  }

  private persist(snapshot: MetadataSnapshot): void {
    try {
      writeFileAtomicSync(this.file, encodeMetadataFile(snapshot));
    } catch (err) {
      throw new MetadataError('METADATA_WRITE_FAILED', `Could not write metadata file ${this.file}: ${String(err)}`, {
        cause: err,
      });
    }
  }

  private reindex(): void {
    this.index = indexTopics(this.snapshot.topics.values());
  }

  private checkOpen(): void {
    if (this.closed) throw new MetadataError('METADATA_STORE_CLOSED', `Metadata store ${this.file} is closed`);
  }
}

const NONE = { errorCode: ErrorCode.NONE, errorMessage: null } as const;

function failure(errorCode: number, errorMessage: string): ErrorResult {
  return { errorCode, errorMessage };
}

function errorOf(result: ErrorResult): ErrorResult {
  return { errorCode: result.errorCode, errorMessage: result.errorMessage };
}

function sameConfigs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Run a synchronous change and hand back its outcome as a settled promise. */
function settle<T>(change: () => T): Promise<T> {
  try {
    return Promise.resolve(change());
  } catch (err) {
    return Promise.reject(err);
  }
}
