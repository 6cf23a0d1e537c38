/**
 * The KIP-848 consumer group protocol (Kafka 4's GroupMetadataManager.consumerGroupHeartbeat and
 * friends): one ConsumerGroupHeartbeat call joins, heartbeats, reports owned partitions, leaves, and
 * receives the member's assignment.
 *
 * A heartbeat runs synchronously (no await): it validates, computes the member's next state (new
 * subscription → new group epoch → new target assignment from the server-side assignor → the member
 * reconciled towards its target), writes the changes as Kafka 4's records to the group's
 * `__consumer_offsets` partition, and only then applies them by replaying the same records. A failed
 * write changes nothing.
 *
 * Timers: each member has a session timer (`group.consumer.session.timeout.ms`, re-armed by every
 * heartbeat); a member that must revoke partitions has a revocation timer of its rebalance timeout.
 * Either firing removes (fences) the member and bumps the group epoch.
 *
 * Classic and consumer groups: an Empty classic group becomes a consumer group when a member joins
 * with ConsumerGroupHeartbeat (its offsets are kept); a non-empty classic group answers
 * GROUP_ID_NOT_FOUND, and classic JoinGroup to a consumer group with members answers
 * INCONSISTENT_GROUP_PROTOCOL (Kafka 4's mixed groups, classic members inside a consumer group, are
 * not supported).
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../../protocol/errors.js';
import type { CoordinatorRecord } from '../coordinator-log.js';
import type { GroupMetadataManager } from '../group-metadata-manager.js';
import { groupMetadataKey } from '../records.js';
import type { Logger } from '../../logger.js';
import { assignmentEquals, EMPTY_ASSIGNMENT, fromRecord, toRecord, type Assignment } from './assignment.js';
import { ConsumerGroup } from './consumer-group.js';
import {
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  MemberState,
  memberMetadataChanged,
  newMember,
  subscriptionChanged,
  type ConsumerGroupMember,
} from './consumer-group-member.js';
import { reconcile } from './current-assignment-builder.js';
import { validateHeartbeatRequest, validateMemberEpoch } from './heartbeat-validation.js';
import { fail, HeartbeatError } from './heartbeat-error.js';
import {
  computeTargetAssignment,
  NO_TOPICS,
  preferredAssignor,
  subscribedTopics,
  subscriptionMetadata,
  type TopicView,
} from './target-assignment.js';

export { NO_TOPICS, type TopicView } from './target-assignment.js';
import { encodeConsumerGroupRecord, type ConsumerGroupRecord } from './records.js';

export interface HeartbeatParams {
  readonly apiVersion: number;
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[] | null;
  readonly subscribedTopicRegex: string | null;
  readonly serverAssignor: string | null;
  readonly topicPartitions: readonly { topicId: string; partitions: readonly number[] }[] | null;
  readonly clientId: string;
  readonly clientHost: string;
}

export interface HeartbeatResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** Sent on a join, a full request, or when the member's assigned partitions changed. */
  readonly assignment: Assignment | null;
}

export interface ConsumerGroupDescription {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly group: ConsumerGroup | null;
}

export class ConsumerGroupCoordinator {
  constructor(
    private readonly manager: GroupMetadataManager,
    private readonly logger: Logger,
    private readonly validateStatus: (groupId: string) => number | null,
    public topics: TopicView = NO_TOPICS,
  ) {
    manager.onConsumerGroupsLoaded = (groups) => {
      for (const g of groups) for (const m of g.members.values()) this.scheduleSessionTimeout(g, m.memberId);
    };
    manager.onConsumerGroupsCleanup = (now) => this.expireOffsets(now);
  }

  private get config() {
    return this.manager.config;
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.manager.consumerGroups.get(groupId);
  }

  // ---- ConsumerGroupHeartbeat ---------------------------------------------------------------------

  heartbeat(p: HeartbeatParams): HeartbeatResult {
    try {
      validateHeartbeatRequest(p, this.config.groupConsumerAssignors);
      const status = this.validateStatus(p.groupId);
      if (status !== null) fail(status, '');
      if (p.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || p.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH)
        return this.leave(p);
      return this.join(p);
    } catch (err) {
      if (!(err instanceof HeartbeatError)) throw err;
      return {
        errorCode: err.errorCode,
        errorMessage: err.message.length > 0 ? err.message : null,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    }
  }

  private join(p: HeartbeatParams): HeartbeatResult {
    const records: ConsumerGroupRecord[] = [];
    const raw: CoordinatorRecord[] = [];
    const now = this.manager.scheduler.now();
    let group = this.group(p.groupId);
    let converted: ConsumerGroup | null = null;
    if (group === undefined) {
      if (p.memberEpoch !== 0) fail(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${p.groupId} not found.`);
      const classic = this.manager.getGroup(p.groupId);
      if (classic !== undefined && !classic.is('Empty'))
        fail(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${p.groupId} is not a consumer group.`);
      // A new group, or an Empty classic group converted (its offsets kept, its metadata tombstoned).
      group = converted =
        classic !== undefined ? new ConsumerGroup(p.groupId, classic) : ConsumerGroup.create(p.groupId, now);
      if (classic !== undefined && classic.generationId > 0)
        raw.push({ key: groupMetadataKey(p.groupId), value: null });
    }

    const { member, replaces } = this.currentMember(group, p);
    const isNew = !group.members.has(member.memberId);
    if (isNew && replaces === null && group.members.size >= this.config.groupConsumerMaxSize)
      fail(
        ErrorCode.GROUP_MAX_SIZE_REACHED,
        `The consumer group has reached its maximum capacity of ${this.config.groupConsumerMaxSize} members.`,
      );
    const members = new Map(group.members);
    const targets = new Map(group.targetAssignment);
    if (replaces !== null) {
      // A returning static member: the old incarnation goes, its target assignment moves to the new id.
      for (const type of ['currentMemberAssignment', 'targetAssignmentMember', 'memberMetadata'] as const)
        records.push({ type, group: p.groupId, memberId: replaces, value: null });
      const target = group.target(replaces);
      records.push({
        type: 'targetAssignmentMember',
        group: p.groupId,
        memberId: member.memberId,
        value: toRecord(target),
      });
      members.delete(replaces);
      targets.delete(replaces);
      targets.set(member.memberId, target);
    }

    const updated: ConsumerGroupMember = {
      ...member,
      instanceId: p.instanceId ?? member.instanceId,
      rackId: p.rackId ?? member.rackId,
      rebalanceTimeoutMs: p.rebalanceTimeoutMs !== -1 ? p.rebalanceTimeoutMs : member.rebalanceTimeoutMs,
      serverAssignor: p.serverAssignor ?? member.serverAssignor,
      subscribedTopicNames: p.subscribedTopicNames ?? member.subscribedTopicNames,
      subscribedTopicRegex: p.subscribedTopicRegex ?? member.subscribedTopicRegex,
      clientId: p.clientId,
      clientHost: p.clientHost,
    };
    const gid = p.groupId;
    if (isNew || memberMetadataChanged(member, updated))
      records.push({ type: 'memberMetadata', group: gid, memberId: updated.memberId, value: metadataRecord(updated) });

    // A new group epoch when a subscription changed or the subscribed topics' metadata did.
    members.set(updated.memberId, updated);
    const metadata = subscriptionMetadata(members.values(), this.topics);
    let groupEpoch = group.groupEpoch;
    const metadataChanged = group.subscriptionMetadata !== null && group.subscriptionMetadata !== metadata;
    if ((isNew && replaces === null) || subscriptionChanged(member, updated) || metadataChanged || converted !== null) {
      groupEpoch = group.groupEpoch + 1;
      records.push({ type: 'groupMetadata', group: gid, value: { epoch: groupEpoch } });
    }

    // A new target assignment when the group epoch moved past it.
    let assignmentEpoch = group.assignmentEpoch;
    if (groupEpoch > group.assignmentEpoch) {
      const assignorName = preferredAssignor(members.values(), this.config.groupConsumerAssignors);
      const changed = computeTargetAssignment(assignorName, members.values(), targets, this.topics);
      for (const [memberId, next] of changed) {
        targets.set(memberId, next);
        records.push({ type: 'targetAssignmentMember', group: gid, memberId, value: toRecord(next) });
      }
      assignmentEpoch = groupEpoch;
      records.push({ type: 'targetAssignmentMetadata', group: gid, value: { assignmentEpoch } });
    }

    // Reconcile the member towards its target.
    const owned = p.topicPartitions === null ? null : fromRecord(p.topicPartitions);
    const g = group;
    const reconciled = reconcile({
      member: updated,
      targetEpoch: assignmentEpoch,
      target: targets.get(updated.memberId) ?? EMPTY_ASSIGNMENT,
      owned,
      partitionEpoch: (t, part) => {
        const e = g.partitionEpoch(t, part);
        // The member's own partitions are not "owned by another".
        return updated.assignedPartitions.get(t)?.has(part) === true ||
          updated.partitionsPendingRevocation.get(t)?.has(part) === true
          ? -1
          : e;
      },
    });
    if (isNew || reconciledChanged(member, reconciled))
      records.push({
        type: 'currentMemberAssignment',
        group: gid,
        memberId: reconciled.memberId,
        value: {
          memberEpoch: reconciled.memberEpoch,
          previousMemberEpoch: reconciled.previousMemberEpoch,
          state: reconciled.state,
          assignedPartitions: toRecord(reconciled.assignedPartitions),
          partitionsPendingRevocation: toRecord(reconciled.partitionsPendingRevocation),
        },
      });

    const error = this.write(group, [...raw, ...records.map(encodeConsumerGroupRecord)]);
    if (error !== ErrorCode.NONE) fail(error, '');
    if (converted !== null) {
      if (this.manager.getGroup(gid) !== undefined) this.manager.removeGroup(this.manager.getGroup(gid)!);
      this.manager.consumerGroups.set(gid, converted);
      this.logger.info(
        `Created consumer group ${gid}${raw.length > 0 || converted.offsets.hasOffsets ? ' from an empty classic group' : ''}`,
      );
    }
    if (replaces !== null) group.cancelTimers(replaces);
    for (const r of records) group.replay(r);
    group.subscriptionMetadata = metadata;
    if (isNew)
      this.logger.info(`Member ${reconciled.memberId} joined consumer group ${gid} at group epoch ${groupEpoch}`);

    this.scheduleSessionTimeout(group, reconciled.memberId);
    this.maybeScheduleRevocationTimeout(group, group.members.get(reconciled.memberId)!);

    const fullRequest =
      p.rebalanceTimeoutMs !== -1 &&
      (p.subscribedTopicNames !== null || p.subscribedTopicRegex !== null) &&
      p.topicPartitions !== null;
    const sendAssignment =
      p.memberEpoch === 0 || fullRequest || !assignmentEquals(member.assignedPartitions, reconciled.assignedPartitions);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: reconciled.memberId,
      memberEpoch: reconciled.memberEpoch,
      heartbeatIntervalMs: this.config.groupConsumerHeartbeatIntervalMs,
      assignment: sendAssignment ? reconciled.assignedPartitions : null,
    };
  }

  /** The member the request speaks for (new on a join), after Kafka's member and epoch checks. */
  private currentMember(
    group: ConsumerGroup,
    p: HeartbeatParams,
  ): { member: ConsumerGroupMember; replaces: string | null } {
    const only = (member: ConsumerGroupMember) => ({ member, replaces: null });
    const generatedId = () => (p.apiVersion === 0 || p.memberId.length === 0 ? randomUUID() : p.memberId);
    if (p.instanceId === null) {
      if (p.memberEpoch === 0) {
        const memberId =
          p.apiVersion === 0
            ? p.memberId.length > 0 && group.members.has(p.memberId)
              ? p.memberId
              : generatedId()
            : p.memberId;
        return only(group.members.get(memberId) ?? newMember(memberId));
      }
      const member = group.members.get(p.memberId);
      if (member === undefined)
        fail(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${p.memberId} is not a member of group ${group.groupId}.`);
      validateMemberEpoch(member!, p);
      return only(member!);
    }
    const currentId = group.staticMembers.get(p.instanceId);
    const current = currentId === undefined ? undefined : group.members.get(currentId);
    if (p.memberEpoch === 0) {
      const memberId = p.apiVersion === 0 ? generatedId() : p.memberId;
      if (current === undefined) return only({ ...newMember(memberId), instanceId: p.instanceId });
      if (current.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH)
        fail(
          ErrorCode.UNRELEASED_INSTANCE_ID,
          `Static member ${current.memberId} with instance id ${p.instanceId} is not released yet.`,
        );
      // The static member returns under a new member id and takes over its previous assignment.
      if (current.memberId === memberId) return only(current);
      return { member: { ...current, memberId }, replaces: current.memberId };
    }
    if (current === undefined)
      fail(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${p.instanceId} is unknown in group ${group.groupId}.`);
    if (current!.memberId !== p.memberId)
      fail(
        ErrorCode.FENCED_INSTANCE_ID,
        `Static member ${p.memberId} with instance id ${p.instanceId} was fenced by ${current!.memberId}.`,
      );
    validateMemberEpoch(current!, p);
    return only(current!);
  }

  // ---- ConsumerGroupDescribe and ListGroups ------------------------------------------------------

  /** Kafka's consumerGroupDescribe for one group id. */
  describe(groupId: string): ConsumerGroupDescription {
    const status = this.validateStatus(groupId);
    if (status !== null) return { errorCode: status, errorMessage: null, group: null };
    const group = this.group(groupId);
    if (group === undefined) {
      const classic = this.manager.getGroup(groupId);
      return {
        errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
        errorMessage:
          classic === undefined ? `Group ${groupId} not found.` : `Group ${groupId} is not a consumer group.`,
        group: null,
      };
    }
    return { errorCode: ErrorCode.NONE, errorMessage: null, group };
  }

  /** The assignor the group's next target assignment would use. */
  assignorOf(group: ConsumerGroup): string {
    return preferredAssignor(group.members.values(), this.config.groupConsumerAssignors);
  }

  // ---- leaving and fencing ------------------------------------------------------------------------

  private leave(p: HeartbeatParams): HeartbeatResult {
    const group = this.group(p.groupId);
    if (group === undefined) fail(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${p.groupId} not found.`);
    const g = group!;
    let member: ConsumerGroupMember | undefined;
    if (p.instanceId === null) {
      member = g.members.get(p.memberId);
      if (member === undefined)
        fail(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${p.memberId} is not a member of group ${g.groupId}.`);
    } else {
      const id = g.staticMembers.get(p.instanceId);
      member = id === undefined ? undefined : g.members.get(id);
      if (member === undefined)
        fail(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${p.instanceId} is unknown in group ${g.groupId}.`);
      if (member!.memberId !== p.memberId)
        fail(
          ErrorCode.FENCED_INSTANCE_ID,
          `Static member ${p.memberId} with instance id ${p.instanceId} was fenced by ${member!.memberId}.`,
        );
    }
    const m = member!;
    const base = { errorMessage: null, memberId: m.memberId, heartbeatIntervalMs: 0, assignment: null };
    if (p.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      // A static member going away for a while keeps its assignment until its session expires.
      const error = this.write(g, [
        encodeConsumerGroupRecord({
          type: 'currentMemberAssignment',
          group: g.groupId,
          memberId: m.memberId,
          value: {
            memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH,
            previousMemberEpoch: m.memberEpoch,
            state: m.state,
            assignedPartitions: toRecord(m.assignedPartitions),
            partitionsPendingRevocation: toRecord(m.partitionsPendingRevocation),
          },
        }),
      ]);
      if (error !== ErrorCode.NONE) fail(error, '');
      g.replay({
        type: 'currentMemberAssignment',
        group: g.groupId,
        memberId: m.memberId,
        value: {
          memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH,
          previousMemberEpoch: m.memberEpoch,
          state: m.state,
          assignedPartitions: toRecord(m.assignedPartitions),
          partitionsPendingRevocation: toRecord(m.partitionsPendingRevocation),
        },
      });
      this.logger.info(
        `Static member ${m.memberId} (instance ${m.instanceId}) of consumer group ${g.groupId} left temporarily`,
      );
      return { ...base, errorCode: ErrorCode.NONE, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH };
    }
    const error = this.removeMember(g, m.memberId, 'the member left the group');
    if (error !== ErrorCode.NONE) fail(error, '');
    return { ...base, errorCode: ErrorCode.NONE, memberEpoch: LEAVE_GROUP_MEMBER_EPOCH };
  }

  /**
   * Removes a member: tombstones for its current assignment, target assignment and metadata, and a
   * new group epoch so the others get its partitions (Kafka's consumerGroupFenceMember).
   */
  removeMember(group: ConsumerGroup, memberId: string, reason: string): number {
    const gid = group.groupId;
    const records: ConsumerGroupRecord[] = [
      { type: 'currentMemberAssignment', group: gid, memberId, value: null },
      { type: 'targetAssignmentMember', group: gid, memberId, value: null },
      { type: 'memberMetadata', group: gid, memberId, value: null },
      { type: 'groupMetadata', group: gid, value: { epoch: group.groupEpoch + 1 } },
    ];
    const error = this.write(group, records.map(encodeConsumerGroupRecord));
    if (error !== ErrorCode.NONE) return error;
    group.cancelTimers(memberId);
    for (const r of records) group.replay(r);
    this.logger.info(
      `Member ${memberId} removed from consumer group ${gid} (${reason}); group epoch ${group.groupEpoch}`,
    );
    return ErrorCode.NONE;
  }

  private scheduleSessionTimeout(group: ConsumerGroup, memberId: string): void {
    group.sessionTimers.get(memberId)?.cancel();
    group.sessionTimers.set(
      memberId,
      this.manager.scheduler.schedule(this.config.groupConsumerSessionTimeoutMs, () => {
        if (this.group(group.groupId) !== group || !group.members.has(memberId)) return;
        group.sessionTimers.delete(memberId);
        this.removeMember(group, memberId, 'its session timed out');
      }),
    );
  }

  /** A member that must revoke partitions has its rebalance timeout to do so, or it is fenced. */
  private maybeScheduleRevocationTimeout(group: ConsumerGroup, member: ConsumerGroupMember): void {
    const current = group.rebalanceTimers.get(member.memberId);
    if (member.state !== MemberState.UNREVOKED_PARTITIONS) {
      current?.timer.cancel();
      group.rebalanceTimers.delete(member.memberId);
      return;
    }
    if (current !== undefined && current.epoch === member.memberEpoch) return;
    current?.timer.cancel();
    const epoch = member.memberEpoch;
    const timer = this.manager.scheduler.schedule(Math.max(0, member.rebalanceTimeoutMs), () => {
      const m = group.members.get(member.memberId);
      if (this.group(group.groupId) !== group || m === undefined) return;
      if (m.state !== MemberState.UNREVOKED_PARTITIONS || m.memberEpoch !== epoch) return;
      group.rebalanceTimers.delete(member.memberId);
      this.removeMember(group, member.memberId, 'it did not revoke its partitions within its rebalance timeout');
    });
    group.rebalanceTimers.set(member.memberId, { epoch, timer });
  }

  /**
   * Kafka's offset expiration for consumer groups: an offset of a topic no member subscribes to expires
   * `offsets.retention.minutes` after its commit (or at its explicit expire timestamp); an Empty group
   * left without offsets is deleted. Returns the number of offsets removed.
   */
  expireOffsets(now: number): number {
    let removed = 0;
    const retention = this.config.offsetsRetentionMs;
    for (const group of [...this.manager.consumerGroups.values()]) {
      if (!this.manager.isOwned(group.groupId)) continue;
      const subscribed = new Set<string>();
      for (const m of group.members.values()) for (const t of this.subscribedTopics(m)) subscribed.add(t);
      const expired: { topic: string; partition: number }[] = [];
      for (const [topic, partition, o] of group.offsets.allOffsets()) {
        if (subscribed.has(topic)) continue;
        const due = o.expireTimestamp >= 0 ? now >= o.expireTimestamp : now - o.commitTimestamp >= retention;
        if (due) expired.push({ topic, partition });
      }
      removed += this.manager.deleteOffsets(group.offsets, expired);
      if (group.members.size === 0 && !group.offsets.hasOffsets) {
        this.logger.info(`Consumer group ${group.groupId} is Empty without offsets: deleting it`);
        this.deleteGroupRecords(group);
      }
    }
    return removed;
  }

  /**
   * An Empty consumer group about to become a classic group (a classic JoinGroup) or to be deleted:
   * tombstones for its records; its offsets stay, as a classic group of offsets only.
   */
  convertToClassic(group: ConsumerGroup): number {
    const error = this.deleteGroupRecords(group);
    if (error !== ErrorCode.NONE) return error;
    this.manager.adoptGroup(group.offsets);
    return ErrorCode.NONE;
  }

  /** Writes the tombstones of an Empty group's metadata and forgets the group (offsets are the caller's). */
  deleteGroupRecords(group: ConsumerGroup): number {
    const gid = group.groupId;
    const records: ConsumerGroupRecord[] = [
      { type: 'targetAssignmentMetadata', group: gid, value: null },
      { type: 'groupMetadata', group: gid, value: null },
    ];
    const error = this.write(group, records.map(encodeConsumerGroupRecord));
    if (error !== ErrorCode.NONE) return error;
    group.cancelAllTimers();
    for (const r of records) group.replay(r);
    if (this.manager.consumerGroups.get(gid) === group) this.manager.consumerGroups.delete(gid);
    return ErrorCode.NONE;
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private write(group: ConsumerGroup, records: readonly CoordinatorRecord[]): number {
    return this.manager.appendConsumerGroupRecords(group.groupId, records);
  }

  /** The topic names a member subscribes to: its list, or the existing topics its regex matches. */
  subscribedTopics(m: ConsumerGroupMember): readonly string[] {
    return subscribedTopics(m, this.topics);
  }
}

function metadataRecord(m: ConsumerGroupMember) {
  return {
    instanceId: m.instanceId,
    rackId: m.rackId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    subscribedTopicNames: [...m.subscribedTopicNames],
    subscribedTopicRegex: m.subscribedTopicRegex,
    rebalanceTimeoutMs: m.rebalanceTimeoutMs,
    serverAssignor: m.serverAssignor,
  };
}

function reconciledChanged(a: ConsumerGroupMember, b: ConsumerGroupMember): boolean {
  return (
    a.memberEpoch !== b.memberEpoch ||
    a.previousMemberEpoch !== b.previousMemberEpoch ||
    a.state !== b.state ||
    !assignmentEquals(a.assignedPartitions, b.assignedPartitions) ||
    !assignmentEquals(a.partitionsPendingRevocation, b.partitionsPendingRevocation)
  );
}
