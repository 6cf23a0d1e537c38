/**
 * The values the metadata store holds and hands out. Everything here is immutable: a mutation builds a
 * new TopicMetadata rather than editing one, so a reader may keep what it got (for a Metadata response
 * under construction, say) while the store moves on.
 *
 * Broker ids, partition ids and epochs are int32 as on the wire; -1 means "none" for a leader.
 */

/** One listener of a broker: `PLAINTEXT://host:9092` is { listenerName: 'PLAINTEXT', ... }. */
export interface BrokerEndpoint {
  readonly listenerName: string;
  readonly securityProtocol: string;
  readonly host: string;
  readonly port: number;
}

/**
 * A live broker, as in Kafka's ephemeral `/brokers/ids/<id>` znode. host and port are those of the
 * first PLAINTEXT endpoint (what 0.8.2 clients read); endpoints lists every listener.
 */
export interface BrokerRegistration {
  readonly brokerId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  readonly endpoints: readonly BrokerEndpoint[];
}

/**
 * The leadership state of one partition, as in `/brokers/topics/<T>/partitions/<P>/state`.
 * partitionEpoch grows by one with every change of this state (in ZooKeeper mode it is the znode's
 * version); a writer names the epoch it read, and a stale writer is refused.
 */
export interface PartitionState {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly partitionEpoch: number;
}

export interface PartitionMetadata extends PartitionState {
  readonly partition: number;
  /** The assigned replicas; the first is the preferred leader. */
  readonly replicas: readonly number[];
}

export interface TopicMetadata {
  readonly name: string;
  /** 22-character Kafka UUID, never the zero UUID for a topic that exists. */
  readonly topicId: string;
  readonly isInternal: boolean;
  /** Indexed by partition id: partitions[p].partition === p. */
  readonly partitions: readonly PartitionMetadata[];
  /** Per-topic config overrides only (the topic's `/config/topics/<T>`); defaults live in the broker config. */
  readonly configs: ReadonlyMap<string, string>;
}

// ---- requests and results ----------------------------------------------------------------------

/** Kafka's result shape: errorCode 0 (NONE) with a null message, or a code and Kafka-like message. */
export interface ErrorResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
}

export interface ReplicaAssignmentEntry {
  readonly partitionIndex: number;
  readonly brokerIds: readonly number[];
}

/** One topic of a CreateTopics request. -1 for numPartitions or replicationFactor means the broker default. */
export interface CreateTopicRequest {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Explicit replica lists; when non-empty, numPartitions and replicationFactor must be -1. */
  readonly assignments: readonly ReplicaAssignmentEntry[];
  readonly configs: readonly ConfigEntry[];
}

export interface CreateTopicResult extends ErrorResult {
  readonly name: string;
  /**
   * The topic as created (or, with validateOnly, as it would be, with the zero UUID as its id);
   * null on error.
   */
  readonly topic: TopicMetadata | null;
  /** Kafka's '.'/'_' metric-name warning for a topic that was created; null otherwise. */
  readonly warning: string | null;
}

/** DeleteTopics names a topic by name (v0+) or by id (v6+). */
export type TopicRef = { readonly name: string } | { readonly topicId: string };

export interface DeleteTopicResult extends ErrorResult {
  /** The topic's name; null for an unknown topic id. */
  readonly name: string | null;
  /** The topic's id; the zero UUID for an unknown name. */
  readonly topicId: string;
}

export interface CreatePartitionsRequest {
  readonly name: string;
  /** The new total partition count. */
  readonly count: number;
  /** Replica lists for the new partitions only, in partition order; null to assign automatically. */
  readonly assignments: readonly (readonly number[])[] | null;
}

export interface CreatePartitionsResult extends ErrorResult {
  readonly name: string;
}

export type AlterConfigOpType = 'SET' | 'DELETE' | 'APPEND' | 'SUBTRACT';

/** Kafka's IncrementalAlterConfigs operation codes, in wire order: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT. */
export const ALTER_CONFIG_OP_TYPES: readonly AlterConfigOpType[] = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

export interface AlterConfigOp {
  readonly name: string;
  readonly op: AlterConfigOpType;
  readonly value: string | null;
}

export interface AlterTopicConfigResult extends ErrorResult {
  readonly name: string;
  /** The overrides after the change (or as they would be, with validateOnly); null on error. */
  readonly configs: ReadonlyMap<string, string> | null;
}

export interface PartitionStateUpdate {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** ZooKeeper mode: the controller_epoch to write in the state znode; absent keeps the znode's. */
  readonly controllerEpoch?: number;
}

export interface UpdatePartitionStateResult extends ErrorResult {
  /** The partition after the update; null on error. */
  readonly partition: PartitionMetadata | null;
}

export interface MutationOptions {
  /** Check the request and report what would happen, changing nothing (CreateTopics validate_only). */
  readonly validateOnly?: boolean;
}
