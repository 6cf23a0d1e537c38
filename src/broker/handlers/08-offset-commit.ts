import { ErrorCode } from '../../protocol/errors.js';
import { OffsetCommit } from '../../protocol/messages/08-offset-commit.js';
import { defineHandler, type Handler } from '../handler.js';
import type { CommitPartition } from '../group/offset-commits.js';
import type { BrokerServices } from '../services.js';

/**
 * OffsetCommit (8), v0-10. v1 generation and member id, and a commit timestamp per partition; v2-4 a
 * retention time instead (kept as the offset's expire timestamp); v3 throttle time; v5 drops retention;
 * v6 the committed leader epoch; v7 group.instance.id; v8 flexible; v9 a missing group with a
 * generation answers GROUP_ID_NOT_FOUND (older versions ILLEGAL_GENERATION), and a KIP-848 group's
 * members commit with their member epoch (STALE_MEMBER_EPOCH; below v9 UNSUPPORTED_VERSION); v10 topic ids.
 *
 * Partitions of unknown topics (or ids) answer UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID) and the
 * rest are committed. Kafka writes v0 commits to ZooKeeper; here every version commits to
 * `__consumer_offsets`, so OffsetFetch v0 reads them back too.
 */
export function offsetCommitHandler(s: BrokerServices): Handler<typeof OffsetCommit> {
  return defineHandler(OffsetCommit, '0-10', (ctx, request) => {
    const v = ctx.apiVersion;
    const toCommit: CommitPartition[] = [];
    // Per topic, per partition: an error found here, or the index of the partition in toCommit.
    const slots = request.topics.map((t) => {
      const topic = v >= 10 ? s.metadata.topicById(t.topicId) : s.metadata.topic(t.name);
      const name = v >= 10 ? (topic?.name ?? null) : t.name;
      return t.partitions.map((p) => {
        if (topic === undefined || name === null)
          return { error: v >= 10 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (p.partitionIndex < 0 || p.partitionIndex >= topic.partitions.length)
          return { error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        toCommit.push({
          topic: name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: v >= 6 ? p.committedLeaderEpoch : -1,
          metadata: p.committedMetadata,
          commitTimestamp: v === 1 ? p.commitTimestamp : -1,
        });
        return { index: toCommit.length - 1 };
      });
    });
    const codes = s.groupCoordinator.offsets.commit({
      groupId: request.groupId,
      generationId: v >= 1 ? request.generationIdOrMemberEpoch : -1,
      memberId: v >= 1 ? request.memberId : '',
      groupInstanceId: v >= 7 ? request.groupInstanceId : null,
      apiVersion: v,
      retentionTimeMs: v >= 2 && v <= 4 ? request.retentionTimeMs : -1,
      partitions: toCommit,
    });
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t, ti) => ({
        name: t.name,
        topicId: t.topicId,
        partitions: t.partitions.map((p, pi) => {
          const slot = slots[ti]![pi]!;
          return {
            partitionIndex: p.partitionIndex,
            errorCode: 'error' in slot ? slot.error : codes[slot.index]!,
          };
        }),
      })),
    };
  });
}
