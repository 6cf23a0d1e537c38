import { ConsumerGroupHeartbeat } from '../../protocol/messages/68-consumer-group-heartbeat.js';
import { toRecord } from '../group/consumer/assignment.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ConsumerGroupHeartbeat (68), v0-1: the KIP-848 consumer protocol (src/broker/group/consumer/).
 * v0 is the first version: the coordinator creates the member id on the first heartbeat (epoch 0).
 * v1 (KIP-1082) the consumer creates its own member id (an empty one is INVALID_REQUEST) and may
 * subscribe by regular expression (subscribedTopicRegex, matched against whole topic names).
 *
 * Errors come with Kafka's messages: INVALID_REQUEST, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION,
 * GROUP_ID_NOT_FOUND, UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, FENCED_INSTANCE_ID, UNRELEASED_INSTANCE_ID,
 * GROUP_MAX_SIZE_REACHED, and the coordinator errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
 * COORDINATOR_NOT_AVAILABLE).
 */
export function consumerGroupHeartbeatHandler(s: BrokerServices): Handler<typeof ConsumerGroupHeartbeat> {
  return defineHandler(ConsumerGroupHeartbeat, '0-1', (ctx, request) => {
    const r = s.groupCoordinator.consumer.heartbeat({
      apiVersion: ctx.apiVersion,
      groupId: request.groupId,
      memberId: request.memberId,
      memberEpoch: request.memberEpoch,
      instanceId: request.instanceId,
      rackId: request.rackId,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      subscribedTopicNames: request.subscribedTopicNames,
      // librdkafka sends "" with a topic list: as in Kafka, an empty regex is no regex.
      subscribedTopicRegex:
        ctx.apiVersion >= 1 && request.subscribedTopicRegex !== '' ? request.subscribedTopicRegex : null,
      serverAssignor: request.serverAssignor,
      topicPartitions: request.topicPartitions,
      clientId: ctx.clientId,
      clientHost: ctx.clientHost,
    });
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      memberId: r.memberId,
      memberEpoch: r.memberEpoch,
      heartbeatIntervalMs: r.heartbeatIntervalMs,
      assignment:
        r.assignment === null
          ? null
          : {
              topicPartitions: toRecord(r.assignment).map((t) => ({
                topicId: t.topicId,
                partitions: [...t.partitions],
              })),
            },
    };
  });
}
