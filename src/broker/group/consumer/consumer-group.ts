/**
 * One KIP-848 consumer group (Kafka's ConsumerGroup): pure state, changed only by replaying its
 * `__consumer_offsets` records (the same path loads a partition and applies a heartbeat's records
 * after they are written).
 *
 * Invariants:
 * - `groupEpoch` >= `assignmentEpoch`; the group is Assigning while the target assignment lags.
 * - `partitionEpochs` holds exactly the partitions some member owns (assigned or pending revocation),
 *   with that member's epoch; a partition is never owned twice (replay throws: a broken invariant).
 * - `staticMembers` maps instance id → member id for members that have one.
 * - `offsets` is the group's committed offsets, kept in a classic GroupMetadata used only as an offset
 *   store (so the classic offset code stores and fetches them unchanged); it is not in the classic
 *   group map.
 */
import { GroupMetadata } from '../group-metadata.js';
import type { TimerHandle } from '../scheduler.js';
import { fromRecord, EMPTY_ASSIGNMENT, type Assignment } from './assignment.js';
import { MemberState, newMember, type ConsumerGroupMember } from './consumer-group-member.js';
import type { ConsumerGroupRecord } from './records.js';

/** Kafka's ConsumerGroupState names, as ConsumerGroupDescribe and ListGroups show them. */
export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

export class ConsumerGroup {
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerGroupMember>();
  readonly staticMembers = new Map<string, string>();
  readonly targetAssignment = new Map<string, Assignment>();
  private readonly partitionEpochs = new Map<string, Map<number, number>>();
  /**
   * A signature of the subscribed topics' ids and partition counts when the target was last
   * computed; null after a load (adopted without a new epoch on the next heartbeat).
   */
  subscriptionMetadata: string | null = null;
  /** Session and revocation (rebalance timeout) timers by member id. */
  readonly sessionTimers = new Map<string, TimerHandle>();
  readonly rebalanceTimers = new Map<string, { epoch: number; timer: TimerHandle }>();
  dead = false;

  constructor(
    readonly groupId: string,
    readonly offsets: GroupMetadata,
  ) {}

  static create(groupId: string, now: number): ConsumerGroup {
    return new ConsumerGroup(groupId, new GroupMetadata(groupId, 'Empty', now));
  }

  get state(): ConsumerGroupState {
    if (this.dead) return 'Dead';
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values())
      if (m.state !== MemberState.STABLE || m.memberEpoch !== this.assignmentEpoch) return 'Reconciling';
    return 'Stable';
  }

  /** The epoch of the member owning the partition, -1 when free. */
  partitionEpoch(topicId: string, partition: number): number {
    return this.partitionEpochs.get(topicId)?.get(partition) ?? -1;
  }

  target(memberId: string): Assignment {
    return this.targetAssignment.get(memberId) ?? EMPTY_ASSIGNMENT;
  }

  cancelTimers(memberId: string): void {
    this.sessionTimers.get(memberId)?.cancel();
    this.sessionTimers.delete(memberId);
    this.rebalanceTimers.get(memberId)?.timer.cancel();
    this.rebalanceTimers.delete(memberId);
  }

  cancelAllTimers(): void {
    for (const id of [...this.sessionTimers.keys(), ...this.rebalanceTimers.keys()]) this.cancelTimers(id);
  }

  // ---- replay -------------------------------------------------------------------------------------

  /** Applies one record of this group. A group-metadata tombstone marks the group dead. */
  replay(r: ConsumerGroupRecord): void {
    switch (r.type) {
      case 'groupMetadata':
        if (r.value === null) this.dead = true;
        else this.groupEpoch = r.value.epoch;
        return;
      case 'targetAssignmentMetadata':
        if (r.value !== null) this.assignmentEpoch = r.value.assignmentEpoch;
        return;
      case 'targetAssignmentMember':
        if (r.value === null) this.targetAssignment.delete(r.memberId);
        else this.targetAssignment.set(r.memberId, fromRecord(r.value));
        return;
      case 'memberMetadata': {
        const old = this.members.get(r.memberId);
        if (r.value === null) {
          if (old !== undefined) this.removeMember(old);
          return;
        }
        const member: ConsumerGroupMember = {
          ...(old ?? newMember(r.memberId)),
          instanceId: r.value.instanceId,
          rackId: r.value.rackId,
          clientId: r.value.clientId,
          clientHost: r.value.clientHost,
          subscribedTopicNames: [...r.value.subscribedTopicNames],
          subscribedTopicRegex: r.value.subscribedTopicRegex,
          rebalanceTimeoutMs: r.value.rebalanceTimeoutMs,
          serverAssignor: r.value.serverAssignor,
        };
        if (old?.instanceId !== undefined && old.instanceId !== null && old.instanceId !== member.instanceId)
          this.staticMembers.delete(old.instanceId);
        if (member.instanceId !== null) this.staticMembers.set(member.instanceId, member.memberId);
        this.members.set(r.memberId, member);
        return;
      }
      case 'currentMemberAssignment': {
        const old = this.members.get(r.memberId) ?? newMember(r.memberId);
        this.releasePartitions(old);
        const member: ConsumerGroupMember =
          r.value === null
            ? {
                ...old,
                memberEpoch: 0,
                previousMemberEpoch: 0,
                state: MemberState.STABLE,
                assignedPartitions: EMPTY_ASSIGNMENT,
                partitionsPendingRevocation: EMPTY_ASSIGNMENT,
              }
            : {
                ...old,
                memberEpoch: r.value.memberEpoch,
                previousMemberEpoch: r.value.previousMemberEpoch,
                state: r.value.state as MemberState,
                assignedPartitions: fromRecord(r.value.assignedPartitions),
                partitionsPendingRevocation: fromRecord(r.value.partitionsPendingRevocation),
              };
        this.claimPartitions(member);
        this.members.set(r.memberId, member);
        return;
      }
    }
  }

  private removeMember(member: ConsumerGroupMember): void {
    this.releasePartitions(member);
    this.members.delete(member.memberId);
    if (member.instanceId !== null && this.staticMembers.get(member.instanceId) === member.memberId)
      this.staticMembers.delete(member.instanceId);
  }

  private releasePartitions(member: ConsumerGroupMember): void {
    for (const a of [member.assignedPartitions, member.partitionsPendingRevocation])
      for (const [t, ps] of a) {
        const epochs = this.partitionEpochs.get(t);
        if (epochs === undefined) continue;
        for (const p of ps) epochs.delete(p);
        if (epochs.size === 0) this.partitionEpochs.delete(t);
      }
  }

  private claimPartitions(member: ConsumerGroupMember): void {
    for (const a of [member.assignedPartitions, member.partitionsPendingRevocation])
      for (const [t, ps] of a) {
        let epochs = this.partitionEpochs.get(t);
        if (epochs === undefined) this.partitionEpochs.set(t, (epochs = new Map()));
        for (const p of ps) {
          if (epochs.has(p))
            throw new Error(`partition ${t}-${p} of group ${this.groupId} is owned twice (member ${member.memberId})`);
          epochs.set(p, member.memberEpoch);
        }
      }
  }
}
