/**
 * The checks of a ConsumerGroupHeartbeat that depend only on the request and the member it names
 * (Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid and throwIfMemberEpochIsInvalid). Each throws
 * a HeartbeatError (heartbeat-error.ts) carrying Kafka's error code and message.
 */
import { ErrorCode } from '../../../protocol/errors.js';
import { fromRecord } from './assignment.js';
import type { HeartbeatParams } from './consumer-group-coordinator.js';
import {
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  type ConsumerGroupMember,
} from './consumer-group-member.js';
import { fail } from './heartbeat-error.js';
import { compileRegex } from './target-assignment.js';

/** Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid. */
export function validateHeartbeatRequest(p: HeartbeatParams, assignors: readonly string[]): void {
  const invalid = (m: string) => fail(ErrorCode.INVALID_REQUEST, m);
  if (p.groupId.length === 0) invalid("GroupId can't be empty.");
  if (p.instanceId !== null && p.instanceId.length === 0) invalid("InstanceId can't be empty.");
  if (p.rackId !== null && p.rackId.length === 0) invalid("RackId can't be empty.");
  if (p.apiVersion >= 1 && p.memberId.length === 0) invalid("MemberId can't be empty.");
  if (p.memberEpoch > 0 || p.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
    if (p.memberId.length === 0) invalid("MemberId can't be empty.");
  } else if (p.memberEpoch === 0) {
    if (p.rebalanceTimeoutMs === -1) invalid('RebalanceTimeoutMs must be provided in first request.');
    if (p.topicPartitions === null || p.topicPartitions.length > 0)
      invalid('TopicPartitions must be empty when (re-)joining.');
    if (p.subscribedTopicNames === null && p.subscribedTopicRegex === null)
      invalid('SubscribedTopicNames or SubscribedTopicRegex must be set in first request.');
  } else if (p.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    if (p.memberId.length === 0) invalid("MemberId can't be empty.");
    if (p.instanceId === null) invalid("InstanceId can't be null.");
  } else {
    invalid(`MemberEpoch is invalid.`);
  }
  if (p.serverAssignor !== null && !assignors.includes(p.serverAssignor))
    fail(
      ErrorCode.UNSUPPORTED_ASSIGNOR,
      `ServerAssignor ${p.serverAssignor} is not supported. Supported assignors: ${assignors.join(', ')}.`,
    );
  if (p.subscribedTopicRegex !== null) compileRegex(p.subscribedTopicRegex);
}

/** Kafka's throwIfMemberEpochIsInvalid. */
export function validateMemberEpoch(member: ConsumerGroupMember, p: HeartbeatParams): void {
  if (p.memberEpoch > member.memberEpoch)
    fail(
      ErrorCode.FENCED_MEMBER_EPOCH,
      `The consumer group member has a greater member epoch (${p.memberEpoch}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
    );
  if (p.memberEpoch < member.memberEpoch) {
    // The answer that moved the member on may have been lost: its previous epoch is accepted while it
    // owns no more than its current assignment.
    const owned = p.topicPartitions === null ? null : fromRecord(p.topicPartitions);
    const subset =
      owned !== null &&
      [...owned].every(([t, ps]) => [...ps].every((x) => member.assignedPartitions.get(t)?.has(x) === true));
    if (p.memberEpoch !== member.previousMemberEpoch || !subset)
      fail(
        ErrorCode.FENCED_MEMBER_EPOCH,
        `The consumer group member has a smaller member epoch (${p.memberEpoch}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
      );
  }
}
