/**
 * The classic group membership protocol (Kafka's GroupCoordinator): JoinGroup, SyncGroup, Heartbeat
 * and LeaveGroup. The rebalance timers and member expiration are in rebalance.ts; offsets and the
 * admin APIs in offset-commits.ts and group-admin.ts, which call back into the validations here.
 *
 * One owner of group state: every method runs a whole transition synchronously (no await inside);
 * held JoinGroup / SyncGroup requests are callbacks stored on the member and answered by a later
 * transition; timers come from the Scheduler, and each timer re-checks the group it was armed for
 * (same object, same generation) before acting. Kafka's behaviour is followed case by case; the
 * comments name Kafka's method where the logic comes from.
 *
 * Differences from Kafka: a member that sends a second JoinGroup while its first is still held gets
 * the first one answered REBALANCE_IN_PROGRESS (Kafka drops the old callback), so a connection's
 * in-order response queue never waits for an answer that will not come.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import { NEW_MEMBER_JOIN_TIMEOUT_MS, type GroupConfig } from './group-config.js';
import { GroupAdmin } from './group-admin.js';
import type { GroupMetadata } from './group-metadata.js';
import type { GroupMetadataManager } from './group-metadata-manager.js';
import {
  joinError,
  MemberMetadata,
  syncError,
  type JoinGroupResult,
  type Protocol,
  type SyncGroupResult,
} from './member-metadata.js';
import { OffsetCommits } from './offset-commits.js';
import { ConsumerGroupCoordinator, NO_TOPICS, type TopicView } from './consumer/consumer-group-coordinator.js';
import { currentGenerationResult, Rebalancer } from './rebalance.js';

export type GroupApi =
  | 'JoinGroup'
  | 'SyncGroup'
  | 'Heartbeat'
  | 'LeaveGroup'
  | 'OffsetCommit'
  | 'OffsetFetch'
  | 'DescribeGroups'
  | 'DeleteGroups'
  | 'OffsetDelete'
  | 'ConsumerGroupHeartbeat';

export interface JoinGroupParams {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** JoinGroup v4+: a member without an id gets one back with MEMBER_ID_REQUIRED (KIP-394). */
  readonly requireKnownMemberId: boolean;
  /** JoinGroup v9+: a static leader rejoining a Stable group may be told to skip assignment. */
  readonly supportSkippingAssignment: boolean;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly Protocol[];
  readonly reason: string | null;
}

export interface SyncGroupParams {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignments: ReadonlyMap<string, Buffer>;
}

export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly reason?: string | null;
}

export interface LeaveGroupResult {
  readonly errorCode: number;
  readonly members: readonly { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

const UNKNOWN_MEMBER_ID = '';

export class GroupCoordinator {
  private active = true;
  private readonly shutdownHooks: (() => void)[] = [];
  private readonly rebalance: Rebalancer;
  readonly offsets: OffsetCommits;
  readonly admin: GroupAdmin;
  /** KIP-848 consumer groups (ConsumerGroupHeartbeat), beside the classic protocol. */
  readonly consumer: ConsumerGroupCoordinator;

  constructor(
    readonly manager: GroupMetadataManager,
    private readonly logger: Logger,
    topics: TopicView = NO_TOPICS,
  ) {
    this.rebalance = new Rebalancer(manager, logger, () => this.active);
    this.offsets = new OffsetCommits(this);
    this.admin = new GroupAdmin(this);
    this.consumer = new ConsumerGroupCoordinator(
      manager,
      logger,
      (groupId) => this.validateGroupStatus(groupId, 'ConsumerGroupHeartbeat'),
      topics,
    );
  }

  get isActive(): boolean {
    return this.active;
  }

  private loads: () => Promise<void> = () => Promise.resolve();

  /** Resolves once the `__consumer_offsets` partitions whose load has started are loaded. */
  whenLoaded(): Promise<void> {
    return this.loads();
  }

  setLoadTracker(loads: () => Promise<void>): void {
    this.loads = loads;
  }

  /** Runs `hook` at shutdown, before groups are unloaded (timers and subscriptions of helpers). */
  addShutdownHook(hook: () => void): void {
    this.shutdownHooks.push(hook);
  }

  private get config(): GroupConfig {
    return this.manager.config;
  }

  private now(): number {
    return this.manager.scheduler.now();
  }

  // ---- validation shared by every group API -------------------------------------------------------

  /**
   * Kafka's validateGroupStatus: an invalid group id, a coordinator shutting down, a partition still
   * loading, or a group this broker does not coordinate. Offset and admin APIs accept the empty group id.
   */
  validateGroupStatus(groupId: string, api: GroupApi): number | null {
    const emptyAllowed =
      api === 'OffsetCommit' || api === 'OffsetFetch' || api === 'DescribeGroups' || api === 'DeleteGroups';
    if (!emptyAllowed && groupId.length === 0) return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const status = this.manager.status(groupId);
    if (status === 'loading') return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (status === 'notCoordinator') return ErrorCode.NOT_COORDINATOR;
    return null;
  }

  /** Kafka's validateCurrentMember: the static instance maps to this member id, or the member exists. */
  validateCurrentMember(group: GroupMetadata, memberId: string, groupInstanceId: string | null): number | null {
    if (groupInstanceId !== null) {
      if (!group.hasStaticMember(groupInstanceId)) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (group.isStaticMemberFenced(groupInstanceId, memberId)) {
        this.logger.info(
          `Static member ${memberId} of group ${group.groupId} with unknown instance id ${groupInstanceId} is fenced`,
        );
        return ErrorCode.FENCED_INSTANCE_ID;
      }
      return null;
    }
    return group.has(memberId) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  // ---- JoinGroup ----------------------------------------------------------------------------------

  joinGroup(p: JoinGroupParams): Promise<JoinGroupResult> {
    return new Promise((resolve) => this.handleJoinGroup(p, resolve));
  }

  private handleJoinGroup(p: JoinGroupParams, respond: (r: JoinGroupResult) => void): void {
    const status = this.validateGroupStatus(p.groupId, 'JoinGroup');
    if (status !== null) return respond(joinError(p.memberId, status));
    if (
      p.sessionTimeoutMs < this.config.groupMinSessionTimeoutMs ||
      p.sessionTimeoutMs > this.config.groupMaxSessionTimeoutMs
    )
      return respond(joinError(p.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    const isUnknownMember = p.memberId === UNKNOWN_MEMBER_ID;
    const consumerGroup = this.manager.consumerGroups.get(p.groupId);
    if (consumerGroup !== undefined) {
      // Classic members inside a consumer group (Kafka 4's mixed groups) are not supported.
      if (consumerGroup.members.size > 0) return respond(joinError(p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
      const error = this.consumer.convertToClassic(consumerGroup);
      if (error !== ErrorCode.NONE) return respond(joinError(p.memberId, error));
    }
    let group = this.manager.getGroup(p.groupId);
    if (group === undefined) {
      if (!isUnknownMember) return respond(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = this.manager.getOrCreateGroup(p.groupId);
    }
    if (!this.acceptJoiningMember(group, p.memberId)) {
      group.remove(p.memberId);
      respond(joinError(UNKNOWN_MEMBER_ID, ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.doNewMemberJoinGroup(group, p, respond);
    } else {
      this.doCurrentMemberJoinGroup(group, p, respond);
    }
    this.rebalance.checkAndCompleteJoin(group);
  }

  /** Kafka's acceptJoiningMember: group.max.size counts members (rejoining ones during a rebalance). */
  private acceptJoiningMember(group: GroupMetadata, memberId: string): boolean {
    const max = this.config.groupMaxSize;
    if (group.is('Empty') || group.is('Dead')) return true;
    if (group.is('PreparingRebalance'))
      return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numMembersAwaitingJoin < max;
    return group.has(memberId) || group.size < max;
  }

  private doNewMemberJoinGroup(group: GroupMetadata, p: JoinGroupParams, respond: (r: JoinGroupResult) => void): void {
    if (group.is('Dead')) return respond(joinError(p.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols))
      return respond(joinError(p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = group.generateMemberId(p.clientId, p.groupInstanceId);
    if (p.groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(p.groupInstanceId);
      if (oldMemberId !== undefined) this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, p, respond);
      else this.addMemberAndRebalance(group, newMemberId, p, respond);
    } else if (p.requireKnownMemberId) {
      // KIP-394: hand out the id first; the member rejoins with it within its session timeout.
      group.pendingMembers.add(newMemberId);
      this.rebalance.schedulePendingMemberExpiration(group, newMemberId, p.sessionTimeoutMs);
      respond(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, newMemberId, p, respond);
    }
  }

  private doCurrentMemberJoinGroup(
    group: GroupMetadata,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): void {
    if (group.is('Dead')) return respond(joinError(p.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols))
      return respond(joinError(p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (group.pendingMembers.has(p.memberId)) {
      // A pending member (KIP-394) is dynamic; a static one never gets MEMBER_ID_REQUIRED.
      if (p.groupInstanceId !== null) return respond(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      return this.addMemberAndRebalance(group, p.memberId, p, respond);
    }
    const error = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
    if (error !== null) return respond(joinError(p.memberId, error));
    const member = group.get(p.memberId);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, p, respond);
      case 'CompletingRebalance':
        // Same metadata: the member missed its JoinGroup answer; send it again.
        if (member.matches(p.protocols)) return respond(currentGenerationResult(group, member.memberId, true));
        return this.updateMemberAndRebalance(group, member, p, respond);
      case 'Stable':
        // The leader rejoining forces a rebalance (e.g. for topic metadata changes); so does changed metadata.
        if (group.isLeader(member.memberId) || !member.matches(p.protocols))
          return this.updateMemberAndRebalance(group, member, p, respond);
        return respond(currentGenerationResult(group, member.memberId, false));
      case 'Empty':
      case 'Dead':
        this.logger.warn(
          `Attempt to add rejoining member ${p.memberId} of group ${group.groupId} in state ${group.state}`,
        );
        return respond(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(
    group: GroupMetadata,
    memberId: string,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): void {
    const member = new MemberMetadata(
      memberId,
      p.groupInstanceId,
      p.clientId,
      p.clientHost,
      p.rebalanceTimeoutMs,
      p.sessionTimeoutMs,
      p.protocolType,
      p.protocols,
    );
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, respond);
    // A new member cannot heartbeat while its JoinGroup is held; it expires if the join never completes.
    this.rebalance.scheduleHeartbeatExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.rebalance.maybePrepareRebalance(
      group,
      `Adding new member ${memberId} with group instance id ${p.groupInstanceId}`,
    );
  }

  private updateMemberAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): void {
    const previous = member.awaitingJoin;
    if (previous !== null) {
      group.maybeInvokeJoinCallback(member, joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    }
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, respond);
    this.rebalance.maybePrepareRebalance(group, `Member ${member.memberId} joining group during ${group.state}`);
  }

  /** KIP-345: a known group.instance.id joins with no member id, replacing its previous incarnation. */
  private updateStaticMemberAndRebalance(
    group: GroupMetadata,
    oldMemberId: string,
    newMemberId: string,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): void {
    const instanceId = p.groupInstanceId ?? '';
    const currentLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId, ErrorCode.FENCED_INSTANCE_ID);
    this.rebalance.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    const oldProtocols = member.supportedProtocols;
    const oldRebalanceTimeout = member.rebalanceTimeoutMs;
    const oldSessionTimeout = member.sessionTimeoutMs;
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, respond);
    switch (group.state) {
      case 'Stable': {
        if (group.protocolName !== group.selectProtocol()) {
          this.rebalance.maybePrepareRebalance(
            group,
            `Group's selected protocol will change because static member ${newMemberId} rejoined`,
          );
          return;
        }
        // The protocol stays: persist the new member id and answer without a rebalance.
        const assignments = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
        const error = this.manager.storeGroup(group, assignments);
        if (error !== ErrorCode.NONE) {
          // Revert to the old member id so the old incarnation keeps working.
          group.updateMember(member, oldProtocols, oldRebalanceTimeout, oldSessionTimeout, null);
          group.replaceStaticMember(instanceId, newMemberId, oldMemberId, ErrorCode.FENCED_INSTANCE_ID);
          respond(joinError(UNKNOWN_MEMBER_ID, error));
          return;
        }
        const isLeader = group.isLeader(newMemberId);
        const result: JoinGroupResult = p.supportSkippingAssignment
          ? {
              ...currentGenerationResult(group, newMemberId, false),
              members: isLeader ? group.currentMemberMetadata() : [],
              skipAssignment: isLeader,
            }
          : // Older clients get the old leader id, so a rejoined leader does not run a pointless assignment.
            { ...currentGenerationResult(group, newMemberId, false), leaderId: currentLeader };
        group.maybeInvokeJoinCallback(member, result);
        return;
      }
      case 'CompletingRebalance':
        // The leader may already be assigning with the old member id: start over.
        this.rebalance.prepareRebalance(group, `Updating metadata for static member ${newMemberId}`);
        return;
      case 'PreparingRebalance':
        return;
      case 'Empty':
      case 'Dead':
        throw new Error(`static member ${newMemberId} of group ${group.groupId} rejoined in state ${group.state}`);
    }
  }

  // ---- SyncGroup ----------------------------------------------------------------------------------

  syncGroup(p: SyncGroupParams): Promise<SyncGroupResult> {
    return new Promise((resolve) => this.handleSyncGroup(p, resolve));
  }

  private handleSyncGroup(p: SyncGroupParams, respond: (r: SyncGroupResult) => void): void {
    const status = this.validateGroupStatus(p.groupId, 'SyncGroup');
    // A loading coordinator has lost the rebalance in progress: the member must rejoin.
    if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
    if (status !== null) return respond(syncError(status));
    const group = this.manager.getGroup(p.groupId);
    if (group === undefined) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return respond(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const error = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
    if (error !== null) return respond(syncError(error));
    if (p.generationId !== group.generationId) return respond(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (p.protocolType !== null && group.protocolType !== p.protocolType) ||
      (p.protocolName !== null && group.protocolName !== p.protocolName)
    )
      return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    switch (group.state) {
      case 'Empty':
        return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        const member = group.get(p.memberId);
        if (member.awaitingSync !== null)
          group.maybeInvokeSyncCallback(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        member.awaitingSync = respond;
        this.rebalance.removePendingSyncMember(group, p.memberId);
        if (group.isLeader(p.memberId)) this.completeAssignment(group, p);
        return;
      }
      case 'Stable': {
        this.rebalance.removePendingSyncMember(group, p.memberId);
        const member = group.get(p.memberId);
        respond({
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        });
        this.rebalance.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
        return;
      }
      case 'Dead':
        throw new Error(`unexpected SyncGroup for Dead group ${group.groupId}`);
    }
  }

  /** The leader's SyncGroup: store the assignment, hand each member its part, become Stable. */
  private completeAssignment(group: GroupMetadata, p: SyncGroupParams): void {
    this.logger.info(
      `Assignment received from leader ${p.memberId} for group ${group.groupId} for generation ${group.generationId}. ` +
        `The group has ${group.size} members, ${group.staticMembers.size} of which are static.`,
    );
    const assignment = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of group.members.keys()) {
      const a = p.assignments.get(id);
      if (a === undefined) missing.push(id);
      assignment.set(id, a ?? Buffer.alloc(0));
    }
    if (missing.length > 0)
      this.logger.warn(
        `Setting empty assignments for members ${missing.join(',')} of ${group.groupId} for generation ${group.generationId}`,
      );
    const error = this.manager.storeGroup(group, assignment);
    if (error !== ErrorCode.NONE) {
      this.rebalance.resetAndPropagateAssignmentError(group, error);
      this.rebalance.maybePrepareRebalance(
        group,
        `Error when storing group assignment during SyncGroup (member: ${p.memberId})`,
      );
      return;
    }
    for (const m of group.members.values()) m.assignment = assignment.get(m.memberId)!;
    this.rebalance.propagateAssignment(group, ErrorCode.NONE);
    group.transitionTo('Stable', this.now());
  }

  // ---- Heartbeat ----------------------------------------------------------------------------------

  heartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number {
    const status = this.validateGroupStatus(groupId, 'Heartbeat');
    // While loading, Kafka answers heartbeats blindly: the member learns of problems on its next call.
    if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
    if (status !== null) return status;
    const group = this.manager.getGroup(groupId);
    if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const error = this.validateCurrentMember(group, memberId, groupInstanceId);
    if (error !== null) return error;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (group.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.get(memberId);
    this.rebalance.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** Kafka's completeAndScheduleNextExpiration: the member is alive until now + timeoutMs. */
  scheduleHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata, timeoutMs: number): void {
    this.rebalance.scheduleHeartbeatExpiration(group, member, timeoutMs);
  }

  // ---- LeaveGroup ---------------------------------------------------------------------------------

  leaveGroup(groupId: string, leaving: readonly LeavingMember[]): LeaveGroupResult {
    const status = this.validateGroupStatus(groupId, 'LeaveGroup');
    if (status !== null) return { errorCode: status, members: [] };
    const each = (m: LeavingMember, errorCode: number) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode,
    });
    const group = this.manager.getGroup(groupId);
    if (group === undefined)
      return { errorCode: ErrorCode.NONE, members: leaving.map((m) => each(m, ErrorCode.UNKNOWN_MEMBER_ID)) };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((m) => {
      const reason = `Removing member ${m.memberId} on LeaveGroup${m.reason ? `; client reason: ${m.reason}` : ''}`;
      if (m.memberId === UNKNOWN_MEMBER_ID) {
        // An administrative removal by group.instance.id alone.
        const current = m.groupInstanceId === null ? undefined : group.currentStaticMemberId(m.groupInstanceId);
        if (current === undefined) return each(m, ErrorCode.UNKNOWN_MEMBER_ID);
        this.rebalance.removeMemberAndUpdateGroup(group, group.get(current), reason);
        return each(m, ErrorCode.NONE);
      }
      if (group.pendingMembers.has(m.memberId)) {
        this.rebalance.removePendingMemberAndUpdateGroup(group, m.memberId);
        return each(m, ErrorCode.NONE);
      }
      const error = this.validateCurrentMember(group, m.memberId, m.groupInstanceId);
      if (error !== null) return each(m, error);
      this.logger.info(`Member ${m.memberId} has left group ${groupId} through explicit LeaveGroup`);
      this.rebalance.removeMemberAndUpdateGroup(group, group.get(m.memberId), reason);
      return each(m, ErrorCode.NONE);
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  // ---- partitions coming and going ----------------------------------------------------------------

  /** A partition finished loading: its members get a session timer each (Kafka's onGroupLoaded). */
  onGroupsLoaded(groups: readonly GroupMetadata[]): void {
    for (const group of groups)
      for (const member of group.members.values())
        this.rebalance.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
  }

  /** Groups leaving this coordinator: Dead, held requests answered NOT_COORDINATOR, timers stopped. */
  onGroupsUnloaded(groups: readonly GroupMetadata[]): void {
    for (const group of groups) {
      const previous = group.state;
      group.transitionTo('Dead', this.now());
      group.joinTimer?.cancel();
      group.syncTimer?.cancel();
      for (const member of group.members.values()) {
        member.heartbeatTimer?.cancel();
        member.heartbeatTimer = null;
        if (previous === 'PreparingRebalance')
          group.maybeInvokeJoinCallback(member, joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
        group.maybeInvokeSyncCallback(member, syncError(ErrorCode.NOT_COORDINATOR));
      }
    }
  }

  /** Stops the coordinator: every group is unloaded, so no request stays held. */
  shutdown(): void {
    if (!this.active) return;
    this.active = false;
    for (const hook of this.shutdownHooks) hook();
    for (const cg of this.manager.consumerGroups.values()) cg.cancelAllTimers();
    this.onGroupsUnloaded([...this.manager.allGroups()]);
  }
}
