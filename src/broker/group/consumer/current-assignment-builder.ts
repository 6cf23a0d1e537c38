/**
 * Reconciliation of one member towards its target assignment (Kafka's CurrentAssignmentBuilder).
 *
 * The invariant it keeps: a partition is given to a member only when no other member owns it (its
 * partition epoch is -1), so no partition is ever owned by two members at once. A member first
 * revokes what it must give up (UNREVOKED_PARTITIONS, epoch unchanged), reporting that it no longer
 * owns those partitions in a heartbeat; then it moves to the target epoch with what it keeps plus
 * the free partitions of its target; partitions still owned by others wait (UNRELEASED_PARTITIONS)
 * and are handed over on a later heartbeat once released.
 */
import { intersect, isEmpty, subtract, union, assignmentOf, type Assignment } from './assignment.js';
import { MemberState, type ConsumerGroupMember } from './consumer-group-member.js';

export interface ReconcileInput {
  readonly member: ConsumerGroupMember;
  readonly targetEpoch: number;
  readonly target: Assignment;
  /** The partitions the member says it owns (ConsumerGroupHeartbeat topicPartitions); null if not sent. */
  readonly owned: Assignment | null;
  /** The epoch of the member owning the partition, or -1 when it is free. */
  readonly partitionEpoch: (topicId: string, partition: number) => number;
}

export function reconcile(input: ReconcileInput): ConsumerGroupMember {
  const { member, targetEpoch, owned } = input;
  switch (member.state) {
    case MemberState.STABLE:
      // A stable member moves when a new target epoch exists (its epoch is behind it).
      if (member.memberEpoch !== targetEpoch) return computeNext(input, member.memberEpoch, member.assignedPartitions);
      return member;
    case MemberState.UNREVOKED_PARTITIONS:
      // Moves on once its heartbeat shows none of the revoked partitions is owned any more.
      if (owned !== null && !ownsAny(owned, member.partitionsPendingRevocation))
        return computeNext(input, member.memberEpoch, member.assignedPartitions);
      return member;
    case MemberState.UNRELEASED_PARTITIONS:
      return computeNext(input, member.memberEpoch, member.assignedPartitions);
    default:
      throw new Error(`member ${member.memberId} is in an unknown state`);
  }
}

function ownsAny(owned: Assignment, partitions: Assignment): boolean {
  return !isEmpty(intersect(owned, partitions));
}

function computeNext(input: ReconcileInput, memberEpoch: number, assigned: Assignment): ConsumerGroupMember {
  const { member, target, targetEpoch, partitionEpoch } = input;
  const kept = intersect(assigned, target);
  const toRevoke = subtract(assigned, target);
  const wanted = subtract(target, assigned);
  // Free partitions may be taken now; the others are still owned by someone else (or by this member
  // under another epoch, which cannot happen since they are not in `assigned`).
  const free = assignmentOf(
    [...wanted].map(([t, ps]) => [t, [...ps].filter((p) => partitionEpoch(t, p) === -1)] as const),
  );
  const unreleased = !isEmpty(subtract(wanted, free));
  if (!isEmpty(toRevoke)) {
    return {
      ...member,
      state: MemberState.UNREVOKED_PARTITIONS,
      memberEpoch,
      previousMemberEpoch: member.previousMemberEpoch,
      assignedPartitions: kept,
      partitionsPendingRevocation: toRevoke,
    };
  }
  return {
    ...member,
    state: unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
    previousMemberEpoch: memberEpoch === targetEpoch ? member.previousMemberEpoch : memberEpoch,
    memberEpoch: targetEpoch,
    assignedPartitions: union(kept, free),
    partitionsPendingRevocation: assignmentOf([]),
  };
}
