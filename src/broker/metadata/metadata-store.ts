/**
 * The metadata store the broker uses in both modes: EmbeddedMetadataStore (standalone, a file in the
 * first log dir) and, later, the ZooKeeper store (Kafka's znodes).
 *
 * - Reads are synchronous and come from memory: the embedded store's state, or the ZooKeeper store's
 *   watch-fed cache. They return immutable values.
 * - Mutations return promises because ZooKeeper writes are remote. The embedded store performs the
 *   whole change synchronously inside the call (validate, build the new state, write it to disk, swap
 *   it in, notify) and returns a settled promise; nothing interleaves with a change.
 * - Refusals are Kafka error codes in the results (ErrorCode from src/protocol/errors.ts). A promise
 *   rejects only with a MetadataError: the store could not persist (the state did not change), or it
 *   was closed.
 * - Every applied change raises `version` by one and is announced to subscribers (events.ts).
 */
import type { MetadataListener, Unsubscribe } from './events.js';
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
} from './types.js';

export interface MetadataStore {
  /** The cluster id: a 22-character Kafka UUID, fixed for the life of the cluster. */
  readonly clusterId: string;
  /** Grows by one with every applied change; 0 after load. */
  readonly version: number;

  /** The active controller's broker id, or -1 when there is none. */
  controllerId(): number;
  /** Registered (live) brokers, ascending by id. */
  liveBrokers(): readonly BrokerRegistration[];
  broker(brokerId: number): BrokerRegistration | undefined;
  /** Every topic, ascending by name. */
  topics(): readonly TopicMetadata[];
  topic(name: string): TopicMetadata | undefined;
  topicById(topicId: string): TopicMetadata | undefined;

  subscribe(listener: MetadataListener): Unsubscribe;

  /** A new broker id above reserved.broker.max.id, from a sequence kept in the store (Kafka's /brokers/seqid). */
  generateBrokerId(): Promise<number>;
  /** Announce this broker as live (an ephemeral registration: it is not kept across restarts). */
  registerBroker(registration: BrokerRegistration): Promise<void>;
  unregisterBroker(brokerId: number): Promise<void>;

  /** CreateTopics; one result per request, in order. A request sees the topics created before it. */
  createTopics(requests: readonly CreateTopicRequest[], options?: MutationOptions): Promise<CreateTopicResult[]>;
  /** DeleteTopics by name or topic id; one result per reference, in order. */
  deleteTopics(refs: readonly TopicRef[]): Promise<DeleteTopicResult[]>;
  createPartitions(
    requests: readonly CreatePartitionsRequest[],
    options?: MutationOptions,
  ): Promise<CreatePartitionsResult[]>;
  /** AlterConfigs: the given entries replace all of the topic's overrides. */
  alterTopicConfigs(
    name: string,
    entries: readonly ConfigEntry[],
    options?: MutationOptions,
  ): Promise<AlterTopicConfigResult>;
  /** IncrementalAlterConfigs: SET, DELETE, APPEND, SUBTRACT on the topic's overrides. */
  incrementalAlterTopicConfigs(
    name: string,
    ops: readonly AlterConfigOp[],
    options?: MutationOptions,
  ): Promise<AlterTopicConfigResult>;
  /** Change leader / leaderEpoch / ISR if the partition is still at expectedPartitionEpoch. */
  updatePartitionState(
    topic: string,
    partition: number,
    update: PartitionStateUpdate,
    expectedPartitionEpoch: number,
  ): Promise<UpdatePartitionStateResult>;

  close(): Promise<void>;
}
