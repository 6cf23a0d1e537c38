/**
 * The rebalance machinery of the classic protocol (the timer-driven half of Kafka's GroupCoordinator):
 * entering PreparingRebalance, the (initial) delayed join, completing the join phase into a new
 * generation, the pending-sync expiration, answering held SyncGroups, and member expiration by
 * session timeout. The GroupCoordinator calls in from request handling; the timers call in from the
 * Scheduler. Every timer re-checks that its group is still the live one (same object, same
 * generation) before acting; every method runs synchronously to the end.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import type { GroupConfig } from './group-config.js';
import type { GroupMetadata } from './group-metadata.js';
import type { GroupMetadataManager } from './group-metadata-manager.js';
import { joinError, syncError, type JoinGroupResult, type MemberMetadata } from './member-metadata.js';

/** The JoinGroup answer for the current generation; the leader gets every member's metadata. */
export function currentGenerationResult(group: GroupMetadata, memberId: string, withMembers: boolean): JoinGroupResult {
  return {
    errorCode: ErrorCode.NONE,
    memberId,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leaderId: group.leaderId ?? '',
    skipAssignment: false,
    members: withMembers && group.isLeader(memberId) ? group.currentMemberMetadata() : [],
  };
}

export class Rebalancer {
  constructor(
    readonly manager: GroupMetadataManager,
    private readonly logger: Logger,
    private readonly isActive: () => boolean,
  ) {}

  private get config(): GroupConfig {
    return this.manager.config;
  }

  private now(): number {
    return this.manager.scheduler.now();
  }

  // ---- rebalance ----------------------------------------------------------------------------------

  maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  /** Kafka's prepareRebalance: answer held SyncGroups, arm the (initial) delayed join. */
  prepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    group.syncTimer?.cancel();
    group.syncTimer = null;
    const wasEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.now());
    this.logger.info(
      `Preparing to rebalance group ${group.groupId} in state PreparingRebalance with old generation ` +
        `${group.generationId} (${this.describePartition(group)}) (reason: ${reason})`,
    );
    group.joinTimer?.cancel();
    if (wasEmpty) {
      const delay = this.config.groupInitialRebalanceDelayMs;
      this.armInitialDelayedJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      this.armDelayedJoin(group);
      this.checkAndCompleteJoin(group);
    }
  }

  armDelayedJoin(group: GroupMetadata): void {
    group.initialJoinDelay = false;
    const generation = group.generationId;
    group.joinTimer = this.manager.scheduler.schedule(group.rebalanceTimeoutMs, () => {
      group.joinTimer = null;
      if (this.isCurrent(group) && group.is('PreparingRebalance') && group.generationId === generation)
        this.onCompleteJoin(group);
    });
  }

  /** Kafka's InitialDelayedJoin: wait `delay`, and again (up to `remaining`) while new members keep arriving. */
  armInitialDelayedJoin(group: GroupMetadata, delay: number, remaining: number): void {
    group.initialJoinDelay = true;
    group.joinTimer = this.manager.scheduler.schedule(delay, () => {
      group.joinTimer = null;
      if (!this.isCurrent(group) || !group.is('PreparingRebalance')) return;
      if (group.newMemberAdded && remaining !== 0) {
        group.newMemberAdded = false;
        const next = Math.min(this.config.groupInitialRebalanceDelayMs, remaining);
        this.armInitialDelayedJoin(group, next, Math.max(remaining - next, 0));
      } else {
        this.onCompleteJoin(group);
      }
    });
  }

  /** Completes the rebalance's join phase early once every member has rejoined (not the initial delay). */
  checkAndCompleteJoin(group: GroupMetadata): void {
    if (!group.is('PreparingRebalance') || group.initialJoinDelay || !group.hasAllMembersJoined()) return;
    group.joinTimer?.cancel();
    group.joinTimer = null;
    this.onCompleteJoin(group);
  }

  /** Kafka's onCompleteJoin: drop dynamic members that did not rejoin, start the next generation. */
  onCompleteJoin(group: GroupMetadata): void {
    const gone = group.notYetRejoinedMembers().filter((m) => !m.isStaticMember);
    if (gone.length > 0) {
      this.logger.info(
        `Group ${group.groupId} removed dynamic members who haven't joined: ${gone.map((m) => m.memberId).join(',')}`,
      );
      for (const m of gone) group.remove(m.memberId);
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members that have not rejoined are left: wait for them or their session timeouts.
      this.logger.error(`Group ${group.groupId} could not complete rebalance because no members rejoined`);
      this.armDelayedJoin(group);
      return;
    }
    group.initNextGeneration(this.now());
    if (group.is('Empty')) {
      this.logger.info(
        `Group ${group.groupId} with generation ${group.generationId} is now empty (${this.describePartition(group)})`,
      );
      const error = this.manager.storeGroup(group, new Map());
      if (error !== ErrorCode.NONE)
        this.logger.warn(`Failed to write empty metadata for group ${group.groupId}: error ${error}`);
      return;
    }
    this.logger.info(
      `Stabilized group ${group.groupId} generation ${group.generationId} (${this.describePartition(group)}) ` +
        `with ${group.size} members`,
    );
    for (const member of group.members.values()) {
      group.maybeInvokeJoinCallback(member, currentGenerationResult(group, member.memberId, true));
      member.isNew = false;
      this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    }
    this.schedulePendingSync(group);
  }

  /** Every member must send SyncGroup within the rebalance timeout, or it is removed (Kafka's DelayedSync). */
  schedulePendingSync(group: GroupMetadata): void {
    for (const id of group.members.keys()) group.pendingSyncMembers.add(id);
    const generation = group.generationId;
    group.syncTimer = this.manager.scheduler.schedule(group.rebalanceTimeoutMs, () => {
      group.syncTimer = null;
      if (!this.isCurrent(group) || group.generationId !== generation) return;
      if (!(group.is('CompletingRebalance') || group.is('Stable')) || group.pendingSyncMembers.size === 0) return;
      const pending = [...group.pendingSyncMembers];
      for (const id of pending) group.remove(id);
      this.logger.info(
        `Group ${group.groupId} removed members who haven't sent their sync requests: ${pending.join(',')}`,
      );
      this.prepareRebalance(group, `Removing ${pending.join(',')} on pending sync request expiration`);
    });
  }

  removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) {
      group.syncTimer?.cancel();
      group.syncTimer = null;
    }
  }

  resetAndPropagateAssignmentError(group: GroupMetadata, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = Buffer.alloc(0);
    this.propagateAssignment(group, errorCode);
  }

  propagateAssignment(group: GroupMetadata, errorCode: number): void {
    const protocolType = errorCode === ErrorCode.NONE ? group.protocolType : null;
    const protocolName = errorCode === ErrorCode.NONE ? group.protocolName : null;
    for (const m of group.members.values()) {
      group.maybeInvokeSyncCallback(m, { errorCode, protocolType, protocolName, assignment: m.assignment });
      // Members waiting in SyncGroup were not heartbeating: give them a fresh session.
      this.scheduleHeartbeatExpiration(group, m, m.sessionTimeoutMs);
    }
  }

  /** Kafka's completeAndScheduleNextExpiration: the member is alive until now + timeoutMs. */
  scheduleHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata, timeoutMs: number): void {
    const deadline = this.now() + timeoutMs;
    member.heartbeatDeadline = deadline;
    if (member.heartbeatTimer !== null && member.heartbeatTimerAt <= deadline) return;
    member.heartbeatTimer?.cancel();
    this.armHeartbeatTimer(group, member, timeoutMs);
  }

  // One timer per member, re-armed lazily: a heartbeat only moves the deadline.
  armHeartbeatTimer(group: GroupMetadata, member: MemberMetadata, delayMs: number): void {
    member.heartbeatTimerAt = this.now() + delayMs;
    member.heartbeatTimer = this.manager.scheduler.schedule(delayMs, () => {
      member.heartbeatTimer = null;
      if (!this.isCurrent(group) || group.members.get(member.memberId) !== member) return;
      const left = member.heartbeatDeadline - this.now();
      if (left > 0) return this.armHeartbeatTimer(group, member, left);
      // Members waiting in a join or sync are alive; new members are not (their join may never complete).
      if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
      this.logger.info(`Member ${member.memberId} in group ${group.groupId} has failed, removing it from the group`);
      this.removeMemberAndUpdateGroup(group, member, `removing member ${member.memberId} on heartbeat expiration`);
    });
  }

  schedulePendingMemberExpiration(group: GroupMetadata, memberId: string, sessionTimeoutMs: number): void {
    this.manager.scheduler.schedule(sessionTimeoutMs, () => {
      if (!this.isCurrent(group) || !group.pendingMembers.has(memberId)) return;
      this.logger.info(
        `Pending member ${memberId} in group ${group.groupId} has been removed after session timeout expiration.`,
      );
      this.removePendingMemberAndUpdateGroup(group, memberId);
    });
  }

  removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string): void {
    group.pendingMembers.delete(memberId);
    this.checkAndCompleteJoin(group);
  }

  removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata, reason: string): void {
    // A new member may time out with its JoinGroup held: answer it so the client rejoins.
    group.maybeInvokeJoinCallback(member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    group.maybeInvokeSyncCallback(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.maybePrepareRebalance(group, reason);
      case 'PreparingRebalance':
        return this.checkAndCompleteJoin(group);
      default:
        return;
    }
  }

  /** The group object is still the one the manager holds (not unloaded, deleted or replaced). */
  isCurrent(group: GroupMetadata): boolean {
    return this.isActive() && this.manager.getGroup(group.groupId) === group;
  }

  describePartition(group: GroupMetadata): string {
    return `__consumer_offsets-${this.manager.partitionFor(group.groupId)}`;
  }
}
