import { ErrorCode } from '../../protocol/errors.js';
import { DescribeTopicPartitions } from '../../protocol/messages/75-describe-topic-partitions.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { AUTHORIZED_OPERATIONS_OMITTED, TOPIC_OPERATIONS } from '../authorized-operations.js';
import { defineHandler, type Handler } from '../handler.js';
import { invalidTopicNameReason, isInternalTopic } from '../metadata/topic-name.js';
import type { TopicMetadata } from '../metadata/types.js';
import type { BrokerServices } from '../services.js';

/**
 * DescribeTopicPartitions (75), v0 (KIP-966, Kafka 3.9): topic metadata paged by partitions.
 *
 * As Kafka's DescribeTopicPartitionsRequestHandler and KRaftMetadataCache: topics are the named ones
 * (or, for an empty list, all) at or after the cursor's topic, deduplicated and sorted by name. At
 * most max(min(2000, response_partition_limit), 1) partitions are returned (2000 is Kafka's
 * max.request.partition.size.limit default, which Samsa does not make configurable); the cursor's
 * topic starts at the cursor's partition. When the limit cuts a topic, next_cursor names the first
 * partition left out; when it is reached at a topic boundary, next_cursor names the next topic at 0.
 * Named topics that do not exist are listed with UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION
 * for an illegal name); in the all-topics form there are none. A cursor whose topic is not among the
 * named ones, or with a negative partition, fails the request with INVALID_REQUEST for every topic.
 * Samsa has no ELR (KIP-966): eligible and last-known ELR lists are empty.
 */
type Response = ResponseInput<typeof DescribeTopicPartitions>;
type TopicResult = NonNullable<Response['topics']>[number];
type PartitionResult = NonNullable<TopicResult['partitions']>[number];

const MAX_REQUEST_PARTITION_SIZE_LIMIT = 2000;

export function describeTopicPartitionsHandler(s: BrokerServices): Handler<typeof DescribeTopicPartitions> {
  return defineHandler(DescribeTopicPartitions, '0', (_ctx, request) => {
    const cursor = request.cursor;
    const from = cursor?.topicName ?? '';
    const fetchAll = request.topics.length === 0;
    const names = new Set(
      (fetchAll ? s.metadata.topics().map((t) => t.name) : request.topics.map((t) => t.name)).filter((n) => n >= from),
    );
    if (cursor !== null && ((!fetchAll && !names.has(cursor.topicName)) || cursor.partitionIndex < 0)) {
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          ...unknownTopic(t.name, ErrorCode.INVALID_REQUEST, false),
          topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        })),
        nextCursor: null,
      };
    }
    const live = new Set(s.metadata.liveBrokers().map((b) => b.brokerId));
    let remaining = Math.max(Math.min(MAX_REQUEST_PARTITION_SIZE_LIMIT, request.responsePartitionLimit), 1);
    const topics: TopicResult[] = [];
    let nextCursor: Response['nextCursor'] = null;
    for (const name of [...names].sort(compareNames)) {
      if (remaining === 0) {
        nextCursor = { topicName: name, partitionIndex: 0 };
        break;
      }
      const topic = s.metadata.topic(name);
      if (topic === undefined) {
        if (!fetchAll) {
          const code =
            invalidTopicNameReason(name) === null
              ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
              : ErrorCode.INVALID_TOPIC_EXCEPTION;
          topics.push(unknownTopic(name, code, isInternalTopic(name)));
        }
        continue;
      }
      const start = cursor !== null && name === cursor.topicName ? cursor.partitionIndex : 0;
      const end = Math.min(topic.partitions.length, start + remaining);
      const partitions = describePartitions(topic, start, end, live);
      topics.push({
        errorCode: ErrorCode.NONE,
        name,
        topicId: topic.topicId,
        isInternal: topic.isInternal,
        partitions,
        topicAuthorizedOperations: TOPIC_OPERATIONS,
      });
      if (end < topic.partitions.length) {
        nextCursor = { topicName: name, partitionIndex: end };
        break;
      }
      remaining -= partitions.length;
    }
    return { throttleTimeMs: 0, topics, nextCursor };
  });
}

/** Java's String.compareTo on these ASCII names: by UTF-16 code unit. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describePartitions(
  topic: TopicMetadata,
  start: number,
  end: number,
  live: ReadonlySet<number>,
): PartitionResult[] {
  const out: PartitionResult[] = [];
  for (let p = start; p < end; p++) {
    const partition = topic.partitions[p]!;
    out.push({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: live.has(partition.leader) ? partition.leader : -1,
      leaderEpoch: partition.leaderEpoch,
      replicaNodes: [...partition.replicas],
      isrNodes: [...partition.isr],
      eligibleLeaderReplicas: [],
      lastKnownElr: [],
      offlineReplicas: partition.replicas.filter((id) => !live.has(id)),
    });
  }
  return out;
}

function unknownTopic(name: string, errorCode: number, isInternal: boolean): TopicResult {
  return {
    errorCode,
    name,
    topicId: ZERO_UUID,
    isInternal,
    partitions: [],
    topicAuthorizedOperations: TOPIC_OPERATIONS,
  };
}
