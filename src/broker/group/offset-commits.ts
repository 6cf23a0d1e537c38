/**
 * Committed offsets (Kafka's GroupCoordinator.handleCommitOffsets / handleFetchOffsets /
 * handleDeleteOffsets over the GroupMetadataManager).
 *
 * - A commit from a group member is checked against the group: member id (or static instance),
 *   then generation. A commit with generation -1, no member id and no instance id comes from a
 *   consumer that does not use group management (kafka-console-consumer with assign, kcat without
 *   -G, admin tools): it is accepted while the group is Empty, creating a "simple" group if needed.
 * - CompletingRebalance answers REBALANCE_IN_PROGRESS; PreparingRebalance still accepts the
 *   commit (the member learns of the rebalance from its heartbeat), as Kafka does.
 * - A KIP-848 consumer group checks the member and its member epoch instead (Kafka's
 *   ConsumerGroup.validateOffsetCommit / validateOffsetFetch); its offsets are stored the same way.
 * - Accepted offsets are written as one batch to the group's partition before they become visible.
 *   Appends are synchronous, so there are never pending commits and `require_stable` (which waits
 *   for pending transactional commits) never answers UNSTABLE_OFFSET_COMMIT until transactions exist.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { CONSUMER_PROTOCOL_TYPE } from './consumer-protocol.js';
import type { GroupCoordinator } from './group-coordinator.js';
import type { GroupMetadata } from './group-metadata.js';
import type { OffsetToStore } from './group-metadata-manager.js';
import type { ConsumerGroup } from './consumer/consumer-group.js';

export interface OffsetCommitParams {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** OffsetCommit v9+ answers GROUP_ID_NOT_FOUND for a missing group where older versions say ILLEGAL_GENERATION. */
  readonly apiVersion: number;
  /** OffsetCommit v2-4: an explicit retention; -1 for the broker's. */
  readonly retentionTimeMs: number;
  readonly partitions: readonly CommitPartition[];
}

export interface CommitPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  /** OffsetCommit v1 only; -1 for now. */
  readonly commitTimestamp: number;
}

export interface FetchedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly errorCode: number;
}

export interface OffsetFetchResult {
  /** A group-level error (coordinator errors); partitions is then empty. */
  readonly errorCode: number;
  readonly partitions: readonly FetchedOffset[];
}

/** What OffsetFetch answers for a partition without a committed offset. */
export const INVALID_OFFSET = -1;

export class OffsetCommits {
  constructor(private readonly coordinator: GroupCoordinator) {}

  private get manager() {
    return this.coordinator.manager;
  }

  /** Commits; answers one error code per partition, in order. */
  commit(p: OffsetCommitParams): number[] {
    const all = (code: number) => p.partitions.map(() => code);
    const status = this.coordinator.validateGroupStatus(p.groupId, 'OffsetCommit');
    if (status !== null) return all(status);
    const consumerGroup = this.manager.consumerGroups.get(p.groupId);
    if (consumerGroup !== undefined) {
      const error = validateConsumerGroupOffsetCommit(consumerGroup, p);
      if (error !== null) return all(error);
      return this.store(consumerGroup.offsets, p);
    }
    let group = this.manager.getGroup(p.groupId);
    if (group === undefined) {
      if (p.generationId >= 0)
        return all(p.apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION);
      group = this.manager.getOrCreateGroup(p.groupId);
    }
    const error = this.validateOffsetCommit(group, p.generationId, p.memberId, p.groupInstanceId);
    if (error !== null) return all(error);
    switch (group.state) {
      case 'Empty':
        break;
      case 'Stable':
      case 'PreparingRebalance': {
        const member = group.members.get(p.memberId);
        if (member !== undefined) this.coordinator.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
        break;
      }
      case 'CompletingRebalance':
        return all(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Dead':
        return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    return this.store(group, p);
  }

  private validateOffsetCommit(
    group: GroupMetadata,
    generationId: number,
    memberId: string,
    groupInstanceId: string | null,
  ): number | null {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      const error = this.coordinator.validateCurrentMember(group, memberId, groupInstanceId);
      if (error !== null) return error;
      return generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : null;
    }
    // Only members may commit to a group that has members.
    return group.is('Empty') ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private store(group: GroupMetadata, p: OffsetCommitParams): number[] {
    const now = this.manager.scheduler.now();
    const maxMetadata = this.manager.config.offsetMetadataMaxBytes;
    const codes = p.partitions.map((tp) =>
      tp.metadata !== null && Buffer.byteLength(tp.metadata) > maxMetadata
        ? ErrorCode.OFFSET_METADATA_TOO_LARGE
        : ErrorCode.NONE,
    );
    const toStore: OffsetToStore[] = [];
    p.partitions.forEach((tp, i) => {
      if (codes[i] !== ErrorCode.NONE) return;
      toStore.push({
        topic: tp.topic,
        partition: tp.partition,
        offset: {
          offset: tp.offset,
          leaderEpoch: tp.leaderEpoch >= 0 ? tp.leaderEpoch : -1,
          metadata: tp.metadata ?? '',
          commitTimestamp: tp.commitTimestamp >= 0 ? tp.commitTimestamp : now,
          expireTimestamp: p.retentionTimeMs >= 0 ? now + p.retentionTimeMs : -1,
        },
      });
    });
    const stored = this.manager.storeOffsets(group, toStore);
    return codes.map((c) => (c === ErrorCode.NONE ? stored : c));
  }

  /**
   * Fetches committed offsets; `partitions` null means every partition the group has offsets for.
   * An unknown group, or a partition without a commit, answers offset -1 with no error.
   */
  fetch(
    groupId: string,
    partitions: readonly { topic: string; partition: number }[] | null,
    member: { memberId: string | null; memberEpoch: number } | null = null,
  ): OffsetFetchResult {
    const status = this.coordinator.validateGroupStatus(groupId, 'OffsetFetch');
    if (status !== null) return { errorCode: status, partitions: [] };
    const consumerGroup = this.manager.consumerGroups.get(groupId);
    if (consumerGroup !== undefined && member !== null) {
      const error = validateConsumerGroupOffsetFetch(consumerGroup, member.memberId, member.memberEpoch);
      if (error !== null) return { errorCode: error, partitions: [] };
    }
    const group = consumerGroup?.offsets ?? this.manager.getGroup(groupId);
    const none = (topic: string, partition: number): FetchedOffset => ({
      topic,
      partition,
      offset: INVALID_OFFSET,
      leaderEpoch: -1,
      metadata: '',
      errorCode: ErrorCode.NONE,
    });
    if (group === undefined || group.is('Dead'))
      return { errorCode: ErrorCode.NONE, partitions: (partitions ?? []).map((tp) => none(tp.topic, tp.partition)) };
    const wanted = partitions ?? [...group.allOffsets()].map(([topic, partition]) => ({ topic, partition }));
    return {
      errorCode: ErrorCode.NONE,
      partitions: wanted.map((tp) => {
        const o = group.offset(tp.topic, tp.partition);
        if (o === undefined) return none(tp.topic, tp.partition);
        return { ...tp, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: ErrorCode.NONE };
      }),
    };
  }

  /**
   * OffsetDelete (KIP-496): an Empty group loses the offsets outright; a consumer group with members
   * keeps those of topics it subscribes to (GROUP_SUBSCRIBED_TO_TOPIC); another group with members
   * refuses (NON_EMPTY_GROUP). An Empty group left without offsets is deleted, as Kafka's cleanup does.
   */
  deleteOffsets(
    groupId: string,
    partitions: readonly { topic: string; partition: number }[],
  ): { errorCode: number; partitionErrors: number[] } {
    const fail = (errorCode: number) => ({ errorCode, partitionErrors: [] });
    const status = this.coordinator.validateGroupStatus(groupId, 'OffsetDelete');
    if (status !== null) return fail(status);
    const consumerGroup = this.manager.consumerGroups.get(groupId);
    if (consumerGroup !== undefined) {
      // KIP-848 group: the offsets of topics a member subscribes to stay (Kafka's ConsumerGroup.isSubscribedToTopic).
      const subscribed = new Set<string>();
      for (const m of consumerGroup.members.values())
        for (const t of this.coordinator.consumer.subscribedTopics(m)) subscribed.add(t);
      const codes = partitions.map((tp) =>
        subscribed.has(tp.topic) ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE,
      );
      this.manager.deleteOffsets(
        consumerGroup.offsets,
        partitions.filter((_, i) => codes[i] === ErrorCode.NONE),
      );
      return { errorCode: ErrorCode.NONE, partitionErrors: codes };
    }
    const group = this.manager.getGroup(groupId);
    if (group === undefined || group.is('Dead')) return fail(ErrorCode.GROUP_ID_NOT_FOUND);
    let subscribed: ReadonlySet<string> = new Set();
    if (!group.is('Empty')) {
      if (group.protocolType !== CONSUMER_PROTOCOL_TYPE) return fail(ErrorCode.NON_EMPTY_GROUP);
      subscribed = group.subscribedTopics ?? subscribed;
    }
    const codes = partitions.map((tp) =>
      subscribed.has(tp.topic) ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE,
    );
    this.manager.deleteOffsets(
      group,
      partitions.filter((_, i) => codes[i] === ErrorCode.NONE),
    );
    this.manager.maybeRemoveEmptyGroup(group);
    return { errorCode: ErrorCode.NONE, partitionErrors: codes };
  }
}

/**
 * Kafka's ConsumerGroup.validateOffsetCommit: a commit without a member (epoch < 0) is accepted only
 * while the group has no members; a member must exist (UNKNOWN_MEMBER_ID), commit with OffsetCommit
 * v9+ (UNSUPPORTED_VERSION), and carry its current member epoch (STALE_MEMBER_EPOCH).
 */
function validateConsumerGroupOffsetCommit(group: ConsumerGroup, p: OffsetCommitParams): number | null {
  if (p.generationId < 0 && group.members.size === 0) return null;
  const member = group.members.get(p.memberId);
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (p.apiVersion < 9) return ErrorCode.UNSUPPORTED_VERSION;
  return p.generationId !== member.memberEpoch ? ErrorCode.STALE_MEMBER_EPOCH : null;
}

/** Kafka's ConsumerGroup.validateOffsetFetch: no member id and a negative epoch is an admin fetch. */
function validateConsumerGroupOffsetFetch(
  group: ConsumerGroup,
  memberId: string | null,
  memberEpoch: number,
): number | null {
  if (memberEpoch < 0 && (memberId === null || memberId === '')) return null;
  const member = memberId === null ? undefined : group.members.get(memberId);
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  return memberEpoch !== member.memberEpoch ? ErrorCode.STALE_MEMBER_EPOCH : null;
}
