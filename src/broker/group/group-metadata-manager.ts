/**
 * The groups and offsets of the `__consumer_offsets` partitions this broker leads, and their
 * durable form (Kafka's GroupMetadataManager).
 *
 * - A partition is *owned* once it has been loaded; while it loads, its groups answer
 *   COORDINATOR_LOAD_IN_PROGRESS; a partition led elsewhere (or not at all) answers NOT_COORDINATOR.
 * - Every change that must survive a restart is written to the group's partition before it is
 *   applied in memory: group metadata (at the end of a rebalance, and when the group empties),
 *   offsets (on commit), tombstones (delete, expiry). A failed write changes nothing in memory.
 * - Offsets expire on a timer every `offsets.retention.check.interval.ms` with Kafka's rules (see
 *   `expiredOffsets`); an Empty group left without offsets becomes Dead and is removed, with a
 *   tombstone for its metadata.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import type { CoordinatorLog, CoordinatorRecord } from './coordinator-log.js';
import type { GroupConfig } from './group-config.js';
import type { LoadedPartition } from './group-loader.js';
import { GroupMetadata } from './group-metadata.js';
import { partitionFor } from './group-partition.js';
import { CONSUMER_PROTOCOL_TYPE } from './consumer-protocol.js';
import type { ConsumerGroup } from './consumer/consumer-group.js';
import { MemberMetadata } from './member-metadata.js';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  type OffsetAndMetadata,
} from './records.js';
import type { Scheduler } from './scheduler.js';

export type CoordinatorStatus = 'owned' | 'loading' | 'notCoordinator';

export interface OffsetToStore {
  readonly topic: string;
  readonly partition: number;
  readonly offset: OffsetAndMetadata;
}

export class GroupMetadataManager {
  private readonly groups = new Map<string, GroupMetadata>();
  /** KIP-848 consumer groups (consumer/); a group id is in at most one of the two maps. */
  readonly consumerGroups = new Map<string, ConsumerGroup>();
  /** Called with the consumer groups a partition load installed (their members need session timers). */
  onConsumerGroupsLoaded: (groups: readonly ConsumerGroup[]) => void = () => {};
  /** Offset expiration of consumer groups (they need the topics to resolve regex subscriptions). */
  onConsumerGroupsCleanup: (now: number) => number = () => 0;
  private readonly owned = new Set<number>();
  private readonly loading = new Set<number>();

  constructor(
    readonly config: GroupConfig,
    readonly log: CoordinatorLog,
    readonly scheduler: Scheduler,
    private readonly logger: Logger,
    /** The partition count of `__consumer_offsets`: the topic's if it exists, else the configured one. */
    private readonly partitionCount: () => number,
  ) {}

  partitionFor(groupId: string): number {
    return partitionFor(groupId, this.partitionCount());
  }

  status(groupId: string): CoordinatorStatus {
    const p = this.partitionFor(groupId);
    if (this.loading.has(p)) return 'loading';
    return this.owned.has(p) ? 'owned' : 'notCoordinator';
  }

  isOwned(groupId: string): boolean {
    return this.owned.has(this.partitionFor(groupId));
  }

  isPartitionOwned(partition: number): boolean {
    return this.owned.has(partition);
  }

  isPartitionLoading(partition: number): boolean {
    return this.loading.has(partition);
  }

  get anyLoading(): boolean {
    return this.loading.size > 0;
  }

  getGroup(groupId: string): GroupMetadata | undefined {
    return this.groups.get(groupId);
  }

  getOrCreateGroup(groupId: string): GroupMetadata {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new GroupMetadata(groupId, 'Empty', this.scheduler.now());
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Installs an existing group object (a consumer group's offsets becoming a classic group). */
  adoptGroup(group: GroupMetadata): void {
    this.groups.set(group.groupId, group);
  }

  removeGroup(group: GroupMetadata): void {
    if (this.groups.get(group.groupId) === group) this.groups.delete(group.groupId);
  }

  allGroups(): IterableIterator<GroupMetadata> {
    return this.groups.values();
  }

  get groupCount(): number {
    return this.groups.size;
  }

  // ---- partition ownership ------------------------------------------------------------------------

  markLoading(partition: number): void {
    this.owned.delete(partition);
    this.loading.add(partition);
  }

  /** Installs a loaded partition in one step; returns the groups it brought (members to watch). */
  completeLoad(partition: number, loaded: LoadedPartition): GroupMetadata[] {
    this.loading.delete(partition);
    this.owned.add(partition);
    const now = this.scheduler.now();
    const installed: GroupMetadata[] = [];
    for (const [groupId, value] of loaded.groups) {
      const group = new GroupMetadata(groupId, value.members.length === 0 ? 'Empty' : 'Stable', now);
      group.currentStateTimestamp = value.currentStateTimestamp;
      group.generationId = value.generation;
      group.protocolType = value.protocolType.length === 0 ? null : value.protocolType;
      group.protocolName = value.protocol;
      for (const m of value.members) {
        const member = new MemberMetadata(
          m.memberId,
          m.groupInstanceId,
          m.clientId,
          m.clientHost,
          m.rebalanceTimeout,
          m.sessionTimeout,
          value.protocolType,
          [{ name: value.protocol ?? '', metadata: m.subscription }],
        );
        member.assignment = m.assignment;
        group.add(member, null);
      }
      group.leaderId = value.leader !== null && group.has(value.leader) ? value.leader : group.leaderId;
      group.subscribedTopics = group.computeSubscribedTopics();
      this.groups.set(groupId, group);
      installed.push(group);
    }
    const consumerGroups: ConsumerGroup[] = [];
    for (const [groupId, cg] of loaded.consumerGroups) {
      if (installed.some((g) => g.groupId === groupId)) continue; // never both; the classic record wins
      this.consumerGroups.set(groupId, cg);
      consumerGroups.push(cg);
    }
    for (const [groupId, byTopic] of loaded.offsets) {
      const cg = loaded.consumerGroups.get(groupId);
      if (cg !== undefined && this.consumerGroups.get(groupId) === cg) {
        for (const [topic, byPartition] of byTopic)
          for (const [p, offset] of byPartition) cg.offsets.putOffset(topic, p, offset);
        continue;
      }
      let group = this.groups.get(groupId);
      if (group === undefined || !installed.includes(group)) {
        group = new GroupMetadata(groupId, 'Empty', now);
        this.groups.set(groupId, group);
        installed.push(group);
      }
      for (const [topic, byPartition] of byTopic)
        for (const [p, offset] of byPartition) group.putOffset(topic, p, offset);
    }
    this.onConsumerGroupsLoaded(consumerGroups);
    return installed;
  }

  /** Forgets a partition's groups (it is led elsewhere now, or the broker stops); returns them. */
  unloadPartition(partition: number): GroupMetadata[] {
    this.loading.delete(partition);
    this.owned.delete(partition);
    const removed: GroupMetadata[] = [];
    for (const group of this.groups.values()) {
      if (this.partitionFor(group.groupId) === partition) removed.push(group);
    }
    for (const group of removed) this.groups.delete(group.groupId);
    for (const cg of [...this.consumerGroups.values()]) {
      if (this.partitionFor(cg.groupId) !== partition) continue;
      cg.cancelAllTimers();
      this.consumerGroups.delete(cg.groupId);
    }
    return removed;
  }

  // ---- writes -------------------------------------------------------------------------------------

  /**
   * Writes the group's metadata with these assignments (member id → bytes). Answers Kafka's storeGroup
   * errors: COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, UNKNOWN_SERVER_ERROR for a record too large.
   */
  storeGroup(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): number {
    const protocol = group.protocolName;
    const value = groupMetadataValue({
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol,
      leader: group.leaderId,
      currentStateTimestamp: group.currentStateTimestamp,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: protocol === null ? Buffer.alloc(0) : m.metadata(protocol),
        assignment: assignment.get(m.memberId) ?? Buffer.alloc(0),
      })),
    });
    const code = this.append(group.groupId, [{ key: groupMetadataKey(group.groupId), value }]);
    if (code === ErrorCode.NONE) return code;
    this.logger.warn(`Writing the metadata of group ${group.groupId} generation ${group.generationId} failed: ${code}`);
    return coordinatorWriteError(code, ErrorCode.UNKNOWN_SERVER_ERROR);
  }

  /** Writes the offsets as one batch and applies them; NONE or Kafka's storeOffsets error for all. */
  storeOffsets(group: GroupMetadata, offsets: readonly OffsetToStore[]): number {
    if (offsets.length === 0) return ErrorCode.NONE;
    const records = offsets.map((o) => ({
      key: offsetCommitKey(group.groupId, o.topic, o.partition),
      value: offsetCommitValue(o.offset),
    }));
    const code = this.append(group.groupId, records);
    if (code === ErrorCode.NONE) {
      for (const o of offsets) group.putOffset(o.topic, o.partition, o.offset);
      return code;
    }
    return coordinatorWriteError(code, ErrorCode.INVALID_COMMIT_OFFSET_SIZE);
  }

  /** Removes the offsets (with tombstones); returns how many existed. */
  deleteOffsets(group: GroupMetadata, partitions: readonly { topic: string; partition: number }[]): number {
    const present = partitions.filter((tp) => group.offset(tp.topic, tp.partition) !== undefined);
    if (present.length === 0) return 0;
    const code = this.append(
      group.groupId,
      present.map((tp) => ({ key: offsetCommitKey(group.groupId, tp.topic, tp.partition), value: null })),
    );
    if (code !== ErrorCode.NONE) {
      this.logger.warn(`Writing offset tombstones for group ${group.groupId} failed: ${code}`);
      return 0;
    }
    for (const tp of present) group.removeOffset(tp.topic, tp.partition);
    return present.length;
  }

  /**
   * Deletes a group that is already Dead: tombstones for every offset and (for a group that had a
   * generation, as Kafka does) for its metadata, then forgets it.
   */
  deleteGroup(group: GroupMetadata): number {
    const records: CoordinatorRecord[] = [];
    for (const [topic, p] of group.allOffsets())
      records.push({ key: offsetCommitKey(group.groupId, topic, p), value: null });
    if (group.generationId > 0) records.push({ key: groupMetadataKey(group.groupId), value: null });
    const code = this.append(group.groupId, records);
    if (code !== ErrorCode.NONE) this.logger.warn(`Writing tombstones for group ${group.groupId} failed: ${code}`);
    this.removeGroup(group);
    return code;
  }

  /**
   * Writes a consumer group's records as one batch: NONE, or what the heartbeat answers for a failed
   * write (storeGroup's mapping).
   */
  appendConsumerGroupRecords(groupId: string, records: readonly CoordinatorRecord[]): number {
    if (records.length === 0) return ErrorCode.NONE;
    const code = this.append(groupId, records);
    if (code === ErrorCode.NONE) return code;
    this.logger.warn(`Writing records of consumer group ${groupId} failed: ${code}`);
    return coordinatorWriteError(code, ErrorCode.UNKNOWN_SERVER_ERROR);
  }

  private append(groupId: string, records: readonly CoordinatorRecord[]): number {
    const partition = this.partitionFor(groupId);
    if (!this.owned.has(partition)) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    return this.log.append(partition, records, this.scheduler.now());
  }

  // ---- expiration ---------------------------------------------------------------------------------

  /**
   * Kafka's GroupMetadata.removeExpiredOffsets: which offsets of `group` have expired at `now`.
   * - Empty group with a protocol type: every offset once retention has passed since the group became
   *   Empty (or since the commit, for metadata without a state timestamp);
   * - Stable consumer group with known subscriptions: offsets of topics no member subscribes to, by
   *   commit time;
   * - a group without protocol type (offsets only): by commit time;
   * - otherwise none. A commit carrying an explicit expire timestamp (OffsetCommit v2-4) uses it instead.
   */
  expiredOffsets(group: GroupMetadata, now: number): { topic: string; partition: number }[] {
    const retention = this.config.offsetsRetentionMs;
    let base: ((o: OffsetAndMetadata) => number) | null = null;
    let subscribed: ReadonlySet<string> = new Set();
    if (group.protocolType !== null && group.is('Empty')) {
      const stateTs = group.currentStateTimestamp;
      base = (o) => (stateTs >= 0 ? stateTs : o.commitTimestamp);
    } else if (group.protocolType === CONSUMER_PROTOCOL_TYPE && group.subscribedTopics !== null && group.is('Stable')) {
      subscribed = group.subscribedTopics;
      base = (o) => o.commitTimestamp;
    } else if (group.protocolType === null) {
      base = (o) => o.commitTimestamp;
    }
    if (base === null) return [];
    const expired: { topic: string; partition: number }[] = [];
    for (const [topic, partition, o] of group.allOffsets()) {
      if (subscribed.has(topic)) continue;
      const due = o.expireTimestamp >= 0 ? now >= o.expireTimestamp : now - base(o) >= retention;
      if (due) expired.push({ topic, partition });
    }
    return expired;
  }

  /** An Empty group without offsets is Dead: it is removed, with a tombstone for its metadata. */
  maybeRemoveEmptyGroup(group: GroupMetadata): void {
    if (!group.is('Empty') || group.hasOffsets) return;
    this.logger.info(`Group ${group.groupId} transitioned to Dead in generation ${group.generationId}`);
    group.transitionTo('Dead', this.scheduler.now());
    this.deleteGroup(group);
  }

  /** One pass of offset expiration over the owned groups; returns the number of offsets removed. */
  cleanupGroupMetadata(): number {
    const now = this.scheduler.now();
    let removed = 0;
    for (const group of [...this.groups.values()]) {
      if (!this.owned.has(this.partitionFor(group.groupId))) continue;
      removed += this.deleteOffsets(group, this.expiredOffsets(group, now));
      this.maybeRemoveEmptyGroup(group);
    }
    removed += this.onConsumerGroupsCleanup(now);
    if (removed > 0) this.logger.info(`Removed ${removed} expired offsets`);
    return removed;
  }
}

/**
 * What a client is told when a write to __consumer_offsets fails (GroupMetadataManager's storeGroup and
 * storeOffsets mappings): retry elsewhere for partition and replica trouble, `tooLarge` for a write over
 * the size limits (UNKNOWN_SERVER_ERROR for group metadata, INVALID_COMMIT_OFFSET_SIZE for offsets).
 */
function coordinatorWriteError(code: number, tooLarge: number): number {
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return tooLarge;
    default:
      return code;
  }
}
