import { ConsumerGroupDescribe } from '../../protocol/messages/69-consumer-group-describe.js';
import { AUTHORIZED_OPERATIONS_OMITTED, GROUP_OPERATIONS } from '../authorized-operations.js';
import type { Assignment } from '../group/consumer/assignment.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ConsumerGroupDescribe (69), v0-1: state, epochs, assignor and members (with their current and
 * target assignments, topics named) of KIP-848 consumer groups. v1 (KIP-1099) each member's type:
 * 1 (consumer protocol) for every member here, since classic members cannot join a consumer group.
 * A group that does not exist, or is a classic group, answers GROUP_ID_NOT_FOUND with Kafka's message.
 */
const CONSUMER_MEMBER_TYPE = 1;

export function consumerGroupDescribeHandler(s: BrokerServices): Handler<typeof ConsumerGroupDescribe> {
  return defineHandler(ConsumerGroupDescribe, '0-1', (_ctx, request) => {
    const consumer = s.groupCoordinator.consumer;
    const named = (a: Assignment) => ({
      topicPartitions: [...a].map(([topicId, ps]) => ({
        topicId,
        topicName: s.metadata.topicById(topicId)?.name ?? '',
        partitions: [...ps].sort((x, y) => x - y),
      })),
    });
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((groupId) => {
        const d = consumer.describe(groupId);
        const authorizedOperations = request.includeAuthorizedOperations
          ? GROUP_OPERATIONS
          : AUTHORIZED_OPERATIONS_OMITTED;
        const g = d.group;
        if (g === null)
          return {
            errorCode: d.errorCode,
            errorMessage: d.errorMessage,
            groupId,
            groupState: 'Dead',
            groupEpoch: -1,
            assignmentEpoch: -1,
            assignorName: '',
            members: [],
            authorizedOperations,
          };
        return {
          errorCode: d.errorCode,
          errorMessage: null,
          groupId,
          groupState: g.state,
          groupEpoch: g.groupEpoch,
          assignmentEpoch: g.assignmentEpoch,
          assignorName: consumer.assignorOf(g),
          members: [...g.members.values()].map((m) => ({
            memberId: m.memberId,
            instanceId: m.instanceId,
            rackId: m.rackId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            subscribedTopicNames: [...m.subscribedTopicNames],
            subscribedTopicRegex: m.subscribedTopicRegex,
            assignment: named(m.assignedPartitions),
            targetAssignment: named(g.target(m.memberId)),
            memberType: CONSUMER_MEMBER_TYPE,
          })),
          authorizedOperations,
        };
      }),
    };
  });
}
