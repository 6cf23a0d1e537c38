import { ErrorCode } from '../../protocol/errors.js';
import { Metadata } from '../../protocol/messages/03-metadata.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { AUTHORIZED_OPERATIONS_OMITTED, CLUSTER_OPERATIONS, TOPIC_OPERATIONS } from '../authorized-operations.js';
import { defineHandler, type Handler } from '../handler.js';
import type { PartitionMetadata, TopicMetadata } from '../metadata/types.js';
import type { BrokerServices } from '../services.js';

/**
 * Metadata (3), v0-13. v1: null topics means all, rack, controller, isInternal; v2: cluster id; v4:
 * allow_auto_topic_creation; v5: offline replicas; v7: leader epochs; v8: authorized operations; v9:
 * flexible; v10: topic ids; v11 drops cluster authorized operations (DescribeCluster has them).
 * v0 asks for all topics with an empty list. Unknown topics are created when auto.create.topics.enable
 * and the request allow it (always below v4), with num.partitions and default.replication.factor.
 *
 * Partitions, as Kafka's MetadataCache.getPartitionMetadata: a leader that is not a live broker is
 * answered as leader -1 with LEADER_NOT_AVAILABLE (until the controller elects another); replicas on
 * dead brokers are listed as offline (v5+). For v0 only, replicas and ISR members on dead brokers are
 * left out and the partition says REPLICA_NOT_AVAILABLE: 0.8's clients look every listed id up among
 * the response's brokers and fail on one that is missing.
 */
type Response = ResponseInput<typeof Metadata>;
type TopicEntry = NonNullable<Response['topics']>[number];

export function metadataHandler(s: BrokerServices): Handler<typeof Metadata> {
  return defineHandler(Metadata, '0-13', async (ctx, request) => {
    const v = ctx.apiVersion;
    const wanted = request.topics === null || (v === 0 && request.topics.length === 0) ? null : request.topics;
    const topics: TopicEntry[] = [];
    const live = new Set(s.metadata.liveBrokers().map((b) => b.brokerId));
    const describeTopic = (t: TopicMetadata): TopicEntry =>
      topicEntry(t, live, v === 0, request.includeTopicAuthorizedOperations);
    if (wanted === null) {
      for (const t of s.metadata.topics()) topics.push(describeTopic(t));
    } else {
      const autoCreate = s.config.get('auto.create.topics.enable') && (v < 4 || request.allowAutoTopicCreation);
      for (const entry of wanted) {
        const byId = entry.name === null;
        const t = byId ? s.metadata.topicById(entry.topicId) : s.metadata.topic(entry.name!);
        if (t !== undefined) topics.push(describeTopic(t));
        else if (byId) topics.push(unknown(ErrorCode.UNKNOWN_TOPIC_ID, null, entry.topicId));
        else if (autoCreate) topics.push(await createTopic(s, entry.name!, describeTopic));
        else topics.push(unknown(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, entry.name!, ZERO_UUID));
      }
    }
    return {
      throttleTimeMs: 0,
      brokers: s.metadata.liveBrokers().map((b) => {
        const endpoint = b.endpoints.find((e) => e.listenerName === ctx.listenerName) ?? b.endpoints[0];
        return { nodeId: b.brokerId, host: endpoint?.host ?? b.host, port: endpoint?.port ?? b.port, rack: b.rack };
      }),
      clusterId: s.metadata.clusterId,
      controllerId: s.metadata.controllerId(),
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? CLUSTER_OPERATIONS
        : AUTHORIZED_OPERATIONS_OMITTED,
    };
  });
}

/** One topic of a Metadata response; exported for its tests. */
export function topicEntry(
  t: TopicMetadata,
  live: ReadonlySet<number>,
  leaveOutDead: boolean,
  includeOperations: boolean,
): TopicEntry {
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: t.isInternal,
    partitions: t.partitions.map((p) => partitionEntry(p, live, leaveOutDead)),
    topicAuthorizedOperations: includeOperations ? TOPIC_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED,
  };
}

const NO_REPLICAS: readonly number[] = [];

/**
 * One partition of a Metadata response. The common case, every replica on a live broker, answers the
 * metadata's own (immutable) arrays without copying: a full Metadata of 10,000 partitions is built for
 * every client that starts.
 */
function partitionEntry(p: PartitionMetadata, live: ReadonlySet<number>, leaveOutDead: boolean) {
  const leaderLive = live.has(p.leader);
  if (leaderLive && p.replicas.every((r) => live.has(r)))
    return {
      errorCode: ErrorCode.NONE,
      partitionIndex: p.partition,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: NO_REPLICAS,
    };
  const replicaNodes = leaveOutDead ? p.replicas.filter((r) => live.has(r)) : p.replicas;
  const offlineReplicas = p.replicas.filter((r) => !live.has(r));
  if (!leaderLive)
    return {
      errorCode: ErrorCode.LEADER_NOT_AVAILABLE,
      partitionIndex: p.partition,
      leaderId: -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes,
      isrNodes: p.isr,
      offlineReplicas,
    };
  const isrNodes = leaveOutDead ? p.isr.filter((r) => live.has(r)) : p.isr;
  const missing = replicaNodes.length < p.replicas.length || isrNodes.length < p.isr.length;
  return {
    errorCode: missing ? ErrorCode.REPLICA_NOT_AVAILABLE : ErrorCode.NONE,
    partitionIndex: p.partition,
    leaderId: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicaNodes,
    isrNodes,
    offlineReplicas,
  };
}

function unknown(errorCode: number, name: string | null, topicId: string): TopicEntry {
  return { errorCode, name, topicId, isInternal: false, partitions: [] };
}

async function createTopic(
  s: BrokerServices,
  name: string,
  describeTopic: (t: TopicMetadata) => TopicEntry,
): Promise<TopicEntry> {
  const [result] = await s.metadata.createTopics([
    { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] },
  ]);
  if (result === undefined || result.topic === null) {
    const code = result?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
    // A concurrent creation won the race: describe what exists.
    const existing = code === ErrorCode.TOPIC_ALREADY_EXISTS ? s.metadata.topic(name) : undefined;
    if (existing) return describeTopic(existing);
    return unknown(code === ErrorCode.INVALID_TOPIC_EXCEPTION ? code : ErrorCode.LEADER_NOT_AVAILABLE, name, ZERO_UUID);
  }
  s.log.info(`Auto-created topic ${name} with ${result.topic.partitions.length} partition(s)`);
  return describeTopic(result.topic);
}
