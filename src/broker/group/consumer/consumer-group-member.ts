/**
 * One member of a KIP-848 consumer group (Kafka's ConsumerGroupMember): what it subscribes to and
 * where its reconciliation stands. A value: updates make a new object, so a heartbeat can compute the
 * next member, write its records, and only then install it.
 *
 * - `memberEpoch` is the epoch of the target assignment the member has reconciled to (0 before its
 *   first assignment; -2 while a static member is away); `previousMemberEpoch` the one before it, which
 *   a heartbeat may still carry if the answer that bumped the epoch was lost.
 * - `assignedPartitions` the member owns (or may take now); `partitionsPendingRevocation` it still
 *   owns and must give up before it moves on. The two never overlap.
 */
import { EMPTY_ASSIGNMENT, type Assignment } from './assignment.js';

/** Kafka's MemberState, with its record values. */
export const MemberState = {
  STABLE: 0,
  UNREVOKED_PARTITIONS: 1,
  UNRELEASED_PARTITIONS: 2,
  UNKNOWN: 127,
} as const;
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export interface ConsumerGroupMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly subscribedTopicRegex: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly serverAssignor: string | null;
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  readonly assignedPartitions: Assignment;
  readonly partitionsPendingRevocation: Assignment;
}

export function newMember(memberId: string): ConsumerGroupMember {
  return {
    memberId,
    instanceId: null,
    rackId: null,
    clientId: '',
    clientHost: '',
    subscribedTopicNames: [],
    subscribedTopicRegex: null,
    rebalanceTimeoutMs: -1,
    serverAssignor: null,
    memberEpoch: 0,
    previousMemberEpoch: 0,
    state: MemberState.STABLE,
    assignedPartitions: EMPTY_ASSIGNMENT,
    partitionsPendingRevocation: EMPTY_ASSIGNMENT,
  };
}

/** The fields stored in ConsumerGroupMemberMetadataValue differ. */
export function memberMetadataChanged(a: ConsumerGroupMember, b: ConsumerGroupMember): boolean {
  return (
    a.instanceId !== b.instanceId ||
    a.rackId !== b.rackId ||
    a.clientId !== b.clientId ||
    a.clientHost !== b.clientHost ||
    a.subscribedTopicRegex !== b.subscribedTopicRegex ||
    a.rebalanceTimeoutMs !== b.rebalanceTimeoutMs ||
    a.serverAssignor !== b.serverAssignor ||
    !sameNames(a.subscribedTopicNames, b.subscribedTopicNames)
  );
}

export function subscriptionChanged(a: ConsumerGroupMember, b: ConsumerGroupMember): boolean {
  return (
    a.subscribedTopicRegex !== b.subscribedTopicRegex ||
    a.serverAssignor !== b.serverAssignor ||
    !sameNames(a.subscribedTopicNames, b.subscribedTopicNames)
  );
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((n) => set.has(n));
}
