import { ErrorCode } from '../../protocol/errors.js';
import { AlterPartitionReassignments } from '../../protocol/messages/45-alter-partition-reassignments.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * AlterPartitionReassignments (45), v0-1, flexible; served in cluster mode only (the admin client sends
 * it to the controller). v1 allowReplicationFactorChange (KIP-860), echoed in the answer.
 *
 * As Kafka's ZooKeeper-mode KafkaController.processApiPartitionReassignment: per partition a target
 * replica list starts (or redirects) a reassignment, null cancels one (back to the original replicas;
 * NO_REASSIGNMENT_IN_PROGRESS when there is none); INVALID_REPLICA_ASSIGNMENT for an empty list,
 * duplicates, negative ids or new replicas on brokers that are not alive; UNKNOWN_TOPIC_OR_PARTITION;
 * with allowReplicationFactorChange=false, INVALID_REPLICATION_FACTOR when the count changes. Another
 * broker answers NOT_CONTROLLER at the top level. The answer comes when the reassignment has started
 * (src/broker/controller/reassignment.ts), not when it completes.
 */
export function alterPartitionReassignmentsHandler(s: BrokerServices): Handler<typeof AlterPartitionReassignments> {
  return defineHandler(AlterPartitionReassignments, '0-1', async (ctx, request) => {
    const allowRfChange = ctx.apiVersion >= 1 ? request.allowReplicationFactorChange : true;
    const common = { throttleTimeMs: 0, allowReplicationFactorChange: allowRfChange };
    const controller = s.controller;
    const asked = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ tp: { topic: t.name, partition: p.partitionIndex }, target: p.replicas })),
    );
    const rfRefusals = new Map<number, string>();
    if (!allowRfChange)
      asked.forEach((a, i) => {
        const current = s.metadata.topic(a.tp.topic)?.partitions[a.tp.partition]?.replicas;
        if (a.target !== null && current !== undefined && a.target.length !== current.length)
          rfRefusals.set(i, `The replication factor is changed from ${current.length} to ${a.target.length}`);
      });
    let results;
    try {
      results =
        controller === undefined
          ? null
          : await controller.alterPartitionReassignments(asked.filter((_, i) => !rfRefusals.has(i)));
    } catch (err) {
      s.log.error(`AlterPartitionReassignments failed: ${String(err)}`);
      return { ...common, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: String(err), responses: [] };
    }
    if (results === null) return { ...common, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null, responses: [] };
    let next = 0;
    const byTopic = new Map<string, { partitionIndex: number; errorCode: number; errorMessage: string | null }[]>();
    asked.forEach((a, i) => {
      const refused = rfRefusals.get(i);
      const r =
        refused === undefined
          ? results[next++]!
          : { errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: refused };
      const list = byTopic.get(a.tp.topic) ?? [];
      list.push({ partitionIndex: a.tp.partition, errorCode: r.errorCode, errorMessage: r.errorMessage });
      byTopic.set(a.tp.topic, list);
    });
    return {
      ...common,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      responses: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    };
  });
}
