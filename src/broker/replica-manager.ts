import { ErrorCode } from '../protocol/errors.js';
import type { LogManager } from '../log/log-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import { Purgatory } from './delayed/purgatory.js';
import { errorCodeOf } from './error-codes.js';
import type { Logger } from './logger.js';
import type { MetadataEvent, MetadataEventType } from './metadata/events.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import type { TopicMetadata } from './metadata/types.js';
import { noLeaderState, Partition, PartitionError, type PartitionReplicationOptions } from './partition.js';
import { validateRecords } from './produce/log-validator.js';
import { answerWithoutAppend } from './producer/produce-answer.js';
import { scheduleProducerExpiration } from './producer/producer-expiration.js';
import { scheduleIsrExpiration } from './replication/isr-expiration.js';
import { BrokerEndpoints } from './replication/broker-endpoints.js';
import { ReplicaFetcherManager } from './replication/replica-fetcher-manager.js';
import {
  ReplicaStateChanges,
  type ControllerRequestResult,
  type LeaderAndIsrPartitionState,
  type StopReplicaPartitionState,
} from './replication/replica-state-changes.js';
import type { BrokerEndPoint } from './replication/types.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import type { RecordError } from './produce/types.js';
import { topicSettings, type TopicSettings } from './topic-configs.js';

/** The outcome of producing to one partition, in the terms of a Produce response. */
export interface PartitionProduceResult {
  readonly errorCode: number;
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  readonly recordErrors: readonly RecordError[];
  readonly errorMessage: string | null;
  /** The last offset appended (or of a duplicate's original batch): what acks=-1 waits to see replicated. */
  readonly lastOffset?: number;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * The partitions this broker hosts (Kafka's ReplicaManager) and the single path through which they are
 * written and read.
 *
 * Invariants: the set of partitions follows the metadata store, applied from its events in order;
 * every append is validated, appended and acknowledged synchronously in one call, so appends from one
 * connection keep their order; an append wakes the delayed fetches watching that partition.
 */
export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private readonly settings = new Map<string, TopicSettings>();
  readonly fetchPurgatory = new Purgatory();
  /** acks=-1 produces waiting for the ISR (produce/delayed-produce.ts). */
  readonly producePurgatory = new Purgatory();
  private unsubscribe: (() => void) | null = null;
  private stopProducerExpiration: (() => void) | null = null;
  private stopIsrExpiration: (() => void) | null = null;
  /** Cluster mode: roles come only from the controller (LeaderAndIsr, StopReplica), not the store. */
  readonly rolesFromController: boolean;
  /** Where leaders are reached (replication/broker-endpoints.ts). */
  readonly brokerEndpoints: BrokerEndpoints;
  readonly replicaFetcherManager: ReplicaFetcherManager;
  /** LeaderAndIsr / StopReplica and the controller-epoch fence (replication/replica-state-changes.ts). */
  readonly stateChanges: ReplicaStateChanges;

  constructor(
    readonly brokerId: number,
    private readonly config: BrokerConfig,
    readonly logManager: LogManager,
    readonly metadata: MetadataStore,
    private readonly log: Logger,
  ) {
    this.rolesFromController = config.zookeeperConnect !== null;
    this.brokerEndpoints = new BrokerEndpoints(config.interBrokerListener.name, metadata);
    this.replicaFetcherManager = new ReplicaFetcherManager({
      brokerId,
      numFetchers: config.get('num.replica.fetchers'),
      backoffMs: config.get('replica.fetch.backoff.ms'),
      settings: {
        maxWaitMs: config.get('replica.fetch.wait.max.ms'),
        minBytes: config.get('replica.fetch.min.bytes'),
        responseMaxBytes: config.get('replica.fetch.response.max.bytes'),
        partitionMaxBytes: config.get('replica.fetch.max.bytes'),
        requestTimeoutMs: config.get('replica.socket.timeout.ms'),
        connectTimeoutMs: Math.max(config.get('replica.fetch.backoff.ms'), 500),
      },
      logger: log.child('ReplicaFetcherManager'),
      onAppended: (key) => this.fetchPurgatory.checkAndComplete(key),
    });
    this.stateChanges = new ReplicaStateChanges(
      {
        brokerId,
        getPartition: (topic, partition) => this.getPartition(topic, partition),
        createPartition: (topic, partition, topicId, replicas) =>
          this.createPartition(topic, partition, topicId, replicas),
        deletePartition: (topic, partition) => this.deletePartition(topic, partition),
        completeDelayedRequests: (topic, partition) => {
          const key = partitionKey(topic, partition);
          this.producePurgatory.checkAndComplete(key);
          this.fetchPurgatory.checkAndComplete(key);
        },
      },
      this.replicaFetcherManager,
      this.brokerEndpoints,
      log.child('StateChange'),
    );
  }

  /** Opens the partitions of every topic this broker hosts and follows the metadata from now on. */
  startup(): void {
    if (!this.rolesFromController) for (const topic of this.metadata.topics()) this.addTopic(topic, null);
    this.unsubscribe = this.metadata.subscribe((event) => this.onMetadata(event));
    this.stopProducerExpiration = scheduleProducerExpiration(
      () => this.partitions.values(),
      this.config.get('producer.id.expiration.check.interval.ms'),
    );
    this.stopIsrExpiration = scheduleIsrExpiration(
      () => this.partitions.values(),
      this.config.get('replica.lag.time.max.ms'),
    );
  }

  shutdown(): void {
    this.unsubscribe?.();
    this.stopProducerExpiration?.();
    this.stopIsrExpiration?.();
    // Stops every fetch loop at once (no log write after this call); the connections close behind.
    void this.replicaFetcherManager.shutdown();
    this.fetchPurgatory.expireAll();
    this.producePurgatory.expireAll();
  }

  /**
   * What every Partition is constructed with: where it writes ISR changes, the lag limit, and the
   * delayed requests it wakes when its high watermark moves.
   */
  partitionReplicationOptions(): PartitionReplicationOptions {
    return {
      isrWriter: this.metadata,
      replicaLagTimeMaxMs: this.config.get('replica.lag.time.max.ms'),
      delayedOperations: this,
    };
  }

  /** Kafka's tryCompleteDelayedRequests: the high watermark of `p` moved, or its leadership did. */
  tryCompleteDelayedRequests(p: Partition): void {
    const key = partitionKey(p.topic, p.partition);
    this.producePurgatory.checkAndComplete(key);
    this.fetchPurgatory.checkAndComplete(key);
  }

  /** LeaderAndIsr (cluster mode): see replication/replica-state-changes.ts. */
  becomeLeaderOrFollower(
    controllerId: number,
    controllerEpoch: number,
    states: readonly LeaderAndIsrPartitionState[],
    topicIds: ReadonlyMap<string, string>,
    liveLeaders: readonly BrokerEndPoint[],
  ): ControllerRequestResult {
    return this.stateChanges.becomeLeaderOrFollower(controllerId, controllerEpoch, states, topicIds, liveLeaders);
  }

  /** StopReplica (cluster mode): see replication/replica-state-changes.ts. */
  stopReplicas(
    controllerId: number,
    controllerEpoch: number,
    states: readonly StopReplicaPartitionState[],
  ): ControllerRequestResult {
    return this.stateChanges.stopReplicas(controllerId, controllerEpoch, states);
  }

  /** A partition the controller names, with no role yet; its topic id from the request or the store. */
  private createPartition(topic: string, partition: number, topicId: string, replicas: readonly number[]): Partition {
    const id = topicId !== ZERO_UUID ? topicId : (this.metadata.topic(topic)?.topicId ?? ZERO_UUID);
    const log = this.logManager.getOrCreateLog(topic, partition, this.settingsOf(topic).log);
    const producerState = { producerIdExpirationMs: this.config.get('producer.id.expiration.ms'), logger: this.log };
    const p = new Partition(
      topic,
      partition,
      id,
      log,
      this.brokerId,
      noLeaderState(partition, replicas),
      producerState,
      this.partitionReplicationOptions(),
    );
    this.partitions.set(partitionKey(topic, partition), p);
    return p;
  }

  /** StopReplica with deletePartition: forgets the partition and deletes its log (hosted or not). */
  private deletePartition(topic: string, partition: number): void {
    this.partitions.delete(partitionKey(topic, partition));
    this.settings.delete(topic);
    this.logManager.deleteLog(topic, partition);
  }

  getPartition(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(partitionKey(topic, partition));
  }

  /** As getPartition, by a key made once with partitionKey (for hot paths that keep the key). */
  getPartitionByKey(key: string): Partition | undefined {
    return this.partitions.get(key);
  }

  allPartitions(): IterableIterator<Partition> {
    return this.partitions.values();
  }

  settingsOf(topic: string): TopicSettings {
    let s = this.settings.get(topic);
    if (!s) {
      s = topicSettings(this.config, this.metadata.topic(topic)?.configs ?? new Map());
      this.settings.set(topic, s);
    }
    return s;
  }

  private onMetadata(event: MetadataEvent): void {
    if (this.rolesFromController && CONTROLLER_OWNED_EVENTS.has(event.type)) return;
    switch (event.type) {
      case 'topicCreated':
        this.addTopic(event.topic, null);
        break;
      case 'partitionsCreated':
        this.addTopic(event.topic, new Set(event.partitions));
        break;
      case 'topicDeleted':
        this.removeTopic(event.topic);
        break;
      case 'topicConfigChanged': {
        this.settings.delete(event.topic.name);
        const settings = this.settingsOf(event.topic.name);
        for (const p of event.topic.partitions)
          this.getPartition(event.topic.name, p.partition)?.log.updateConfig(settings.log);
        break;
      }
      case 'partitionStateChanged':
        this.getPartition(event.topic.name, event.partition.partition)?.updateState(event.partition);
        // Fetches and produces waiting on a partition whose leadership moved answer now (Kafka's Case A/B/E).
        this.fetchPurgatory.checkAndComplete(partitionKey(event.topic.name, event.partition.partition));
        this.producePurgatory.checkAndComplete(partitionKey(event.topic.name, event.partition.partition));
        break;
      default:
        break;
    }
  }

  private addTopic(topic: TopicMetadata, only: ReadonlySet<number> | null): void {
    const settings = this.settingsOf(topic.name);
    for (const p of topic.partitions) {
      if (only !== null && !only.has(p.partition)) continue;
      if (!p.replicas.includes(this.brokerId)) continue;
      const key = partitionKey(topic.name, p.partition);
      if (this.partitions.has(key)) continue;
      const log = this.logManager.getOrCreateLog(topic.name, p.partition, settings.log);
      const producerState = { producerIdExpirationMs: this.config.get('producer.id.expiration.ms'), logger: this.log };
      this.partitions.set(
        key,
        new Partition(
          topic.name,
          p.partition,
          topic.topicId,
          log,
          this.brokerId,
          p,
          producerState,
          this.partitionReplicationOptions(),
        ),
      );
    }
  }

  private removeTopic(topic: TopicMetadata): void {
    this.settings.delete(topic.name);
    for (const p of topic.partitions) {
      const key = partitionKey(topic.name, p.partition);
      if (!this.partitions.delete(key)) continue;
      try {
        this.logManager.deleteLog(topic.name, p.partition);
      } catch (err) {
        this.log.error(`Failed to delete the log of ${key}: ${String(err)}`);
      }
      this.fetchPurgatory.checkAndComplete(key);
      this.producePurgatory.checkAndComplete(key);
    }
  }

  /**
   * Validates and appends one partition's records from a Produce request as leader. Never throws: every
   * failure is an error code for that partition.
   */
  appendRecords(
    topic: string,
    partition: number,
    records: Buffer | null,
    requiredAcks: number,
    produceVersion: number,
  ): PartitionProduceResult {
    const p = this.getPartition(topic, partition);
    if (p === undefined) return failure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
    const settings = this.settingsOf(topic);
    try {
      p.checkAppend(requiredAcks, settings.minInsyncReplicas);
      const validated = validateRecords({
        records: records ?? Buffer.alloc(0),
        produceVersion,
        config: settings.validator,
        now: Date.now(),
        isFromClient: true,
        topicPartition: p.name,
      });
      if (!validated.ok) {
        this.log.debug(`Rejected produce to ${p.name}: ${validated.message}`);
        return {
          ...failure(validated.errorCode, validated.responseErrorMessage),
          recordErrors: validated.recordErrors,
        };
      }
      if (validated.records.length === 0)
        return { ...failure(ErrorCode.NONE, null), logStartOffset: p.log.logStartOffset };
      const producerCheck = p.producerStateManager.prepareAppend(validated);
      if (producerCheck.kind !== 'append') return answerWithoutAppend(producerCheck, p, this.log);
      const info = p.appendRecordsToLeader(validated.records);
      p.producerStateManager.completeAppend(validated, info);
      const key = partitionKey(topic, partition);
      this.fetchPurgatory.checkAndComplete(key);
      this.producePurgatory.checkAndComplete(key);
      return {
        errorCode: ErrorCode.NONE,
        baseOffset: info.baseOffset,
        logAppendTimeMs: info.logAppendTime,
        logStartOffset: info.logStartOffset,
        recordErrors: [],
        errorMessage: null,
        lastOffset: info.lastOffset,
      };
    } catch (err) {
      if (err instanceof PartitionError) return failure(err.errorCode, err.message);
      const code = errorCodeOf(err);
      if (code === ErrorCode.UNKNOWN_SERVER_ERROR) this.log.error(`Append to ${p.name} failed: ${String(err)}`);
      return failure(code, null);
    }
  }
}

/** Cluster mode: the controller, not the store's events, creates, deletes and moves partitions. */
const CONTROLLER_OWNED_EVENTS: ReadonlySet<MetadataEventType> = new Set([
  'topicCreated',
  'partitionsCreated',
  'topicDeleted',
  'partitionStateChanged',
]);

function failure(errorCode: number, errorMessage: string | null): PartitionProduceResult {
  return { errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage };
}
