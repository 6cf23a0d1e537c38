import { ErrorCode } from '../../protocol/errors.js';
import { DescribeProducers } from '../../protocol/messages/61-describe-producers.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, type Handler } from '../handler.js';
import { invalidTopicNameReason } from '../metadata/topic-name.js';
import type { BrokerServices } from '../services.js';

/**
 * DescribeProducers (61), v0 (flexible; KIP-664): the producers a partition replica currently tracks,
 * as Kafka 3.9's KafkaApis, ReplicaManager.activeProducerState and UnifiedLog.activeProducers answer.
 *
 * Per topic: an illegal name is INVALID_TOPIC_EXCEPTION with Kafka's message, an unknown topic
 * UNKNOWN_TOPIC_OR_PARTITION, on every partition asked. Per partition: one this broker hosts answers
 * whether leader or follower (Kafka reads the local log); one of a known topic that it does not host is
 * NOT_LEADER_OR_FOLLOWER; an unknown partition UNKNOWN_TOPIC_OR_PARTITION. coordinatorEpoch is -1 and
 * currentTxnStartOffset -1: no transactions. Producers are listed in the order the partition first saw
 * them.
 */
type Response = ResponseInput<typeof DescribeProducers>;
type TopicResponse = NonNullable<Response['topics']>[number];
type PartitionResponse = NonNullable<TopicResponse['partitions']>[number];

export function describeProducersHandler(s: BrokerServices): Handler<typeof DescribeProducers> {
  return defineHandler(DescribeProducers, '0', (_ctx, request) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t): TopicResponse => {
      const invalid = invalidTopicNameReason(t.name);
      const topicError =
        invalid !== null
          ? { code: ErrorCode.INVALID_TOPIC_EXCEPTION, message: invalid }
          : s.metadata.topic(t.name) === undefined
            ? { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: null }
            : null;
      return {
        name: t.name,
        partitions: t.partitionIndexes.map((index): PartitionResponse => {
          const answer = (errorCode: number, errorMessage: string | null = null): PartitionResponse => ({
            partitionIndex: index,
            errorCode,
            errorMessage,
            activeProducers: [],
          });
          if (topicError !== null) return answer(topicError.code, topicError.message);
          const partition = s.replicaManager.getPartition(t.name, index);
          if (partition === undefined) {
            const known = s.metadata.topic(t.name)?.partitions.some((p) => p.partition === index) ?? false;
            return answer(known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          }
          const activeProducers = [...partition.producerStateManager.activeProducers.values()].map((e) => ({
            producerId: e.producerId,
            producerEpoch: e.producerEpoch,
            lastSequence: e.lastSeq,
            lastTimestamp: e.lastTimestamp,
            coordinatorEpoch: e.coordinatorEpoch,
            currentTxnStartOffset: e.currentTxnFirstOffset,
          }));
          return { ...answer(ErrorCode.NONE), activeProducers };
        }),
      };
    }),
  }));
}
