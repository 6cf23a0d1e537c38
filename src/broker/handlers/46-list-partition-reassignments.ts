import { ErrorCode } from '../../protocol/errors.js';
import { ListPartitionReassignments } from '../../protocol/messages/46-list-partition-reassignments.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ListPartitionReassignments (46), v0, flexible; served in cluster mode only (sent to the controller).
 *
 * The reassignments in progress (KIP-455), of every partition (null topics) or of the named ones:
 * replicas (the full set during the move), addingReplicas, removingReplicas. Partitions named without
 * a reassignment, or unknown, are left out, as Kafka does. Another broker (or a controller that has
 * just stopped) answers NOT_CONTROLLER.
 */
export function listPartitionReassignmentsHandler(s: BrokerServices): Handler<typeof ListPartitionReassignments> {
  return defineHandler(ListPartitionReassignments, '0', async (_ctx, request) => {
    const tps =
      request.topics === null
        ? null
        : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const found =
      s.controller === undefined ? null : await s.controller.listPartitionReassignments(tps).catch(() => null);
    if (found === null)
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null, topics: [] };
    const byTopic = new Map<
      string,
      { partitionIndex: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[]
    >();
    for (const r of found) {
      const list = byTopic.get(r.tp.topic) ?? [];
      list.push({
        partitionIndex: r.tp.partition,
        replicas: [...r.replicas],
        addingReplicas: [...r.adding],
        removingReplicas: [...r.removing],
      });
      byTopic.set(r.tp.topic, list);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topics: [...byTopic]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, partitions]) => ({
          name,
          partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex),
        })),
    };
  });
}
