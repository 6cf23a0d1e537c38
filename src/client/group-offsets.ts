import { OffsetCommit } from '../protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../protocol/messages/09-offset-fetch.js';
import type { BrokerConnection } from './connection.js';
import { KafkaError, check } from './errors.js';
import { tpKey, type TopicPartition } from './offsets.js';

/**
 * Committed offsets of a group, from its coordinator: per partition the committed offset, or -1 when
 * none. `topics` null asks for every partition the group has offsets for (OffsetFetch v2+).
 */
export async function fetchCommittedOffsets(
  coordinator: BrokerConnection,
  groupId: string,
  partitions: readonly TopicPartition[] | null,
): Promise<Map<string, TopicPartition & { offset: number }>> {
  const topics =
    partitions === null
      ? null
      : [...new Set(partitions.map((p) => p.topic))].map((name) => ({
          name,
          partitionIndexes: partitions.filter((p) => p.topic === name).map((p) => p.partition),
        }));
  const res = await coordinator.send(OffsetFetch, {
    groupId,
    topics,
    groups: [{ groupId, topics }],
    requireStable: false,
  });
  const group = res.groups.length > 0 ? res.groups[0]! : { errorCode: res.errorCode, topics: res.topics };
  check(group.errorCode, `fetching offsets of group ${groupId}`);
  const out = new Map<string, TopicPartition & { offset: number }>();
  for (const t of group.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0)
        throw new KafkaError(p.errorCode, `offset of ${t.name}-${p.partitionIndex} in group ${groupId}`);
      out.set(tpKey(t.name, p.partitionIndex), {
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
      });
    }
  }
  return out;
}

/** Commits offsets for a group (generation -1 and an empty member id from outside the group). */
export async function commitOffsets(
  coordinator: BrokerConnection,
  groupId: string,
  offsets: readonly (TopicPartition & { offset: number })[],
  generationId = -1,
  memberId = '',
): Promise<void> {
  if (offsets.length === 0) return;
  const topics = [...new Set(offsets.map((o) => o.topic))].map((name) => ({
    name,
    partitions: offsets
      .filter((o) => o.topic === name)
      .map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedMetadata: '' })),
  }));
  const res = await coordinator.send(OffsetCommit, {
    groupId,
    generationIdOrMemberEpoch: generationId,
    memberId,
    topics,
  });
  for (const t of res.topics) {
    for (const p of t.partitions)
      check(p.errorCode, `committing the offset of ${t.name}-${p.partitionIndex} for group ${groupId}`);
  }
}
