import { ErrorCode } from '../../protocol/errors.js';
import { OffsetDelete } from '../../protocol/messages/47-offset-delete.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * OffsetDelete (47), v0 (KIP-496). Deletes a group's committed offsets for some partitions: any of an
 * Empty group's; of a consumer group with members, only those of topics no member subscribes to
 * (GROUP_SUBSCRIBED_TO_TOPIC for the others); a non-consumer group with members is NON_EMPTY_GROUP.
 * Partitions of unknown topics answer UNKNOWN_TOPIC_OR_PARTITION. A group-level error answers no topics.
 */
export function offsetDeleteHandler(s: BrokerServices): Handler<typeof OffsetDelete> {
  return defineHandler(OffsetDelete, '0', (_ctx, request) => {
    const known: { topic: string; partition: number }[] = [];
    const slots = request.topics.map((t) => {
      const topic = s.metadata.topic(t.name);
      return t.partitions.map((p) => {
        if (topic === undefined || p.partitionIndex < 0 || p.partitionIndex >= topic.partitions.length)
          return { error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        known.push({ topic: t.name, partition: p.partitionIndex });
        return { index: known.length - 1 };
      });
    });
    const result = s.groupCoordinator.offsets.deleteOffsets(request.groupId, known);
    if (result.errorCode !== ErrorCode.NONE) return { errorCode: result.errorCode, throttleTimeMs: 0, topics: [] };
    return {
      errorCode: ErrorCode.NONE,
      throttleTimeMs: 0,
      topics: request.topics.map((t, ti) => ({
        name: t.name,
        partitions: t.partitions.map((p, pi) => {
          const slot = slots[ti]![pi]!;
          return {
            partitionIndex: p.partitionIndex,
            errorCode: 'error' in slot ? slot.error : result.partitionErrors[slot.index]!,
          };
        }),
      })),
    };
  });
}
