import { ErrorCode } from '../../protocol/errors.js';
import { OffsetFetch } from '../../protocol/messages/09-offset-fetch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { defineHandler, type Handler } from '../handler.js';
import type { FetchedOffset } from '../group/offset-commits.js';
import type { BrokerServices } from '../services.js';

/**
 * OffsetFetch (9), v0-10. v1 reads `__consumer_offsets` (Kafka's v0 read ZooKeeper; here both read the
 * same store); v2 a null topic list means every partition the group committed, and a top-level error;
 * v3 throttle time; v5 committed leader epochs; v6 flexible; v7 require_stable; v8 many groups per
 * request, each answered on its own; v9 member id and epoch (checked only for KIP-848 groups: UNKNOWN_MEMBER_ID,
 * STALE_MEMBER_EPOCH; classic groups ignore them, as Kafka does); v10 topic ids.
 *
 * A partition without a commit, or of an unknown group, answers offset -1, metadata "" and no error.
 * A coordinator error (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...) is the top-level error from
 * v2 on, and each partition's error below. `require_stable` never finds an unstable offset: commits are
 * applied synchronously and transactional commits do not exist yet.
 */
interface RequestTopic {
  readonly name: string;
  /** v10+ only. */
  readonly topicId?: string;
  readonly partitionIndexes: readonly number[];
}

export function offsetFetchHandler(s: BrokerServices): Handler<typeof OffsetFetch> {
  return defineHandler(OffsetFetch, '0-10', (ctx, request) => {
    const v = ctx.apiVersion;
    if (v >= 8) {
      return {
        throttleTimeMs: 0,
        groups: request.groups.map((g) => {
          const member = v >= 9 ? { memberId: g.memberId, memberEpoch: g.memberEpoch } : null;
          const r = fetchGroup(s, v, g.groupId, g.topics, member);
          return { groupId: g.groupId, errorCode: r.errorCode, topics: r.topics };
        }),
      };
    }
    const r = fetchGroup(s, v, request.groupId, request.topics);
    if (v < 2 && r.errorCode !== ErrorCode.NONE) {
      // No top-level error below v2: every requested partition carries it.
      const topics = (request.topics ?? []).map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => ({
          partitionIndex: p,
          committedOffset: -1,
          committedLeaderEpoch: -1,
          metadata: '',
          errorCode: r.errorCode,
        })),
      }));
      return { throttleTimeMs: 0, topics, errorCode: r.errorCode };
    }
    return { throttleTimeMs: 0, topics: r.topics, errorCode: r.errorCode };
  });
}

function fetchGroup(
  s: BrokerServices,
  v: number,
  groupId: string,
  topics: readonly RequestTopic[] | null,
  member: { memberId: string | null; memberEpoch: number } | null = null,
) {
  // v10 names topics by id; an unknown id answers UNKNOWN_TOPIC_ID for its partitions.
  const unknownIds: RequestTopic[] = [];
  let wanted: { topic: string; partition: number }[] | null = null;
  if (topics !== null) {
    wanted = [];
    for (const t of topics) {
      const name = v >= 10 ? s.metadata.topicById(t.topicId ?? ZERO_UUID)?.name : t.name;
      if (name === undefined) unknownIds.push(t);
      else for (const p of t.partitionIndexes) wanted.push({ topic: name, partition: p });
    }
  }
  const result = s.groupCoordinator.offsets.fetch(groupId, wanted, member);
  if (result.errorCode !== ErrorCode.NONE) return { errorCode: result.errorCode, topics: [] };
  const byTopic = new Map<string, FetchedOffset[]>();
  for (const p of result.partitions) {
    let list = byTopic.get(p.topic);
    if (list === undefined) byTopic.set(p.topic, (list = []));
    list.push(p);
  }
  const out = [];
  for (const [name, partitions] of byTopic) {
    const topicId = v >= 10 ? s.metadata.topic(name)?.topicId : ZERO_UUID;
    if (topicId === undefined) continue; // v10: the topic is gone, so it has no id to name it by
    out.push({
      name,
      topicId,
      partitions: partitions.map((p) => ({
        partitionIndex: p.partition,
        committedOffset: p.offset,
        committedLeaderEpoch: p.leaderEpoch,
        metadata: p.metadata,
        errorCode: p.errorCode,
      })),
    });
  }
  for (const t of unknownIds) {
    out.push({
      name: t.name,
      topicId: t.topicId ?? ZERO_UUID,
      partitions: t.partitionIndexes.map((p) => ({
        partitionIndex: p,
        committedOffset: -1,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
      })),
    });
  }
  return { errorCode: ErrorCode.NONE, topics: out };
}
