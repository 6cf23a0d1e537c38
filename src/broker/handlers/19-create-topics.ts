import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { describeTopicConfigs } from '../config/describe.js';
import { defineHandler, type Handler } from '../handler.js';
import type { CreateTopicResult } from '../metadata/types.js';
import type { BrokerServices } from '../services.js';

/**
 * CreateTopics (19), v0-7. v1 validate_only and error messages; v2 throttle time; v4 -1 for
 * num_partitions / replication_factor means the broker's num.partitions / default.replication.factor
 * (KIP-464; the broker accepts -1 at every version, as Kafka's does); v5 flexible, and the response
 * carries the created topic's configs, partition count and replication factor (KIP-525); v6 quota
 * errors; v7 the topic id.
 *
 * The metadata store checks and persists (Kafka's name rules, TOPIC_ALREADY_EXISTS, '.'/'_'
 * collisions, assignments, INVALID_CONFIG with Kafka's messages). Before it, as in KafkaApis: a name
 * given twice is INVALID_REQUEST for every copy, and `__cluster_metadata` may not be created.
 * Standalone, a created topic has its leaders at once, so there is nothing to wait for; a timeout of
 * 0 or less still answers REQUEST_TIMED_OUT for each topic it created, as ZooKeeper-mode Kafka does
 * ("created, but not waited for"). validate_only reports what would happen, with the zero topic id.
 */
type Response = ResponseInput<typeof CreateTopics>;
type TopicResult = NonNullable<Response['topics']>[number];

const CLUSTER_METADATA_TOPIC_NAME = '__cluster_metadata';

export function createTopicsHandler(s: BrokerServices): Handler<typeof CreateTopics> {
  return defineHandler(CreateTopics, '0-7', async (ctx, request) => {
    const validateOnly = ctx.apiVersion >= 1 && request.validateOnly;
    const copies = new Map<string, number>();
    for (const t of request.topics) copies.set(t.name, (copies.get(t.name) ?? 0) + 1);
    const refusal = (name: string): TopicResult | null => {
      if (name === CLUSTER_METADATA_TOPIC_NAME)
        return failed(name, ErrorCode.INVALID_REQUEST, `Creation of internal topic ${name} is prohibited.`);
      if (copies.get(name)! > 1)
        return failed(name, ErrorCode.INVALID_REQUEST, 'Found multiple entries for this topic.');
      return null;
    };
    const toCreate = request.topics.filter((t) => refusal(t.name) === null);
    const results = await s.metadata.createTopics(
      toCreate.map((t) => ({
        name: t.name,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        assignments: t.assignments.map((a) => ({ partitionIndex: a.partitionIndex, brokerIds: a.brokerIds })),
        configs: t.configs.map((c) => ({ name: c.name, value: c.value })),
      })),
      { validateOnly },
    );
    const byName = new Map(results.map((r) => [r.name, r]));
    const topics = request.topics.map((t): TopicResult => {
      const refused = refusal(t.name);
      if (refused !== null) return refused;
      const result = byName.get(t.name)!;
      if (result.topic === null) return failed(t.name, result.errorCode, result.errorMessage);
      if (!validateOnly) {
        s.log.info(`Created topic ${t.name} with ${result.topic.partitions.length} partition(s)`);
        if (request.timeoutMs <= 0) {
          return { ...failed(t.name, ErrorCode.REQUEST_TIMED_OUT, null), topicId: result.topic.topicId };
        }
      }
      return created(s, result);
    });
    return { throttleTimeMs: 0, topics };
  });
}

function created(s: BrokerServices, result: CreateTopicResult): TopicResult {
  const topic = result.topic!;
  return {
    name: result.name,
    topicId: topic.topicId,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: topic.partitions.length,
    replicationFactor: topic.partitions[0]?.replicas.length ?? -1,
    configs: describeTopicConfigs(s.config, topic.configs).map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: c.readOnly,
      configSource: c.source,
      isSensitive: c.isSensitive,
    })),
  };
}

/** Kafka resets the v5+ fields of a topic it did not create. */
function failed(name: string, errorCode: number, errorMessage: string | null): TopicResult {
  return {
    name,
    topicId: ZERO_UUID,
    errorCode,
    errorMessage,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  };
}
