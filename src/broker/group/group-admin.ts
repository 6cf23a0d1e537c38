/**
 * The administrative group APIs (Kafka's GroupCoordinator.handleDescribeGroup / handleListGroups /
 * handleDeleteGroups): read-only views of the groups this broker coordinates, and deletion of Empty
 * groups with their offsets.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { GroupCoordinator } from './group-coordinator.js';
import type { GroupState } from './group-state.js';

export interface MemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Buffer;
  readonly memberAssignment: Buffer;
}

export interface GroupDescription {
  readonly errorCode: number;
  readonly groupId: string;
  /** 'Dead' for a group that does not exist (DescribeGroups below v6 reports it so). */
  readonly groupState: GroupState;
  readonly protocolType: string;
  /** The selected protocol while Stable, otherwise empty. */
  readonly protocolData: string;
  readonly members: readonly MemberDescription[];
  /** False when the group does not exist here (v6+ answers GROUP_ID_NOT_FOUND). */
  readonly exists: boolean;
}

export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
  readonly groupState: GroupState;
  /** Kafka's group type: classic groups only so far. */
  readonly groupType: 'classic';
}

const EMPTY = Buffer.alloc(0);

export class GroupAdmin {
  constructor(private readonly coordinator: GroupCoordinator) {}

  private get manager() {
    return this.coordinator.manager;
  }

  describeGroup(groupId: string): GroupDescription {
    const base = { groupId, protocolType: '', protocolData: '', members: [] as MemberDescription[] };
    const status = this.coordinator.validateGroupStatus(groupId, 'DescribeGroups');
    if (status !== null) return { ...base, errorCode: status, groupState: 'Dead', exists: false };
    const group = this.manager.getGroup(groupId);
    if (group === undefined) return { ...base, errorCode: ErrorCode.NONE, groupState: 'Dead', exists: false };
    // Member metadata and assignments are shown only for a Stable group (Kafka's GroupMetadata.summary).
    const stable = group.is('Stable') ? group.protocolName : null;
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ?? '',
      exists: true,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable === null ? EMPTY : m.metadata(stable),
        memberAssignment: stable === null ? EMPTY : m.assignment,
      })),
    };
  }

  /**
   * Every group of the loaded partitions, filtered by state (empty filter: all). The error is
   * COORDINATOR_LOAD_IN_PROGRESS while any partition is still loading (the list is then partial).
   */
  listGroups(states: ReadonlySet<GroupState> | null): { errorCode: number; groups: ListedGroup[] } {
    if (!this.coordinator.isActive) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const groups: ListedGroup[] = [];
    for (const g of this.manager.allGroups()) {
      if (states !== null && !states.has(g.state)) continue;
      groups.push({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic',
      });
    }
    const errorCode = this.manager.anyLoading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE;
    return { errorCode, groups };
  }

  /** DeleteGroups: only Empty groups go (NON_EMPTY_GROUP otherwise); their offsets go with them. */
  deleteGroup(groupId: string): number {
    const status = this.coordinator.validateGroupStatus(groupId, 'DeleteGroups');
    if (status !== null) return status;
    const consumerGroup = this.manager.consumerGroups.get(groupId);
    if (consumerGroup !== undefined) {
      // A KIP-848 group: only an Empty one goes; its records are tombstoned, then its offsets below.
      if (consumerGroup.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
      if (this.coordinator.consumer.convertToClassic(consumerGroup) !== ErrorCode.NONE)
        return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
    const group = this.manager.getGroup(groupId);
    if (group === undefined || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP;
    group.transitionTo('Dead', this.manager.scheduler.now());
    const code = this.manager.deleteGroup(group);
    return code === ErrorCode.NONE ? code : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  }
}
