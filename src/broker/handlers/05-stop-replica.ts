import { StopReplica } from '../../protocol/messages/05-stop-replica.js';
import { defineHandler, type Handler } from '../handler.js';
import type { StopReplicaPartitionState } from '../replication/replica-state-changes.js';
import type { BrokerServices } from '../services.js';

/**
 * StopReplica (5), v0-4 (Kafka 3.9's range; Kafka 4 removed it). v1 the broker epoch (KIP-380) and
 * partitions grouped by topic; v2 flexible; v3 a leader epoch and delete flag per partition instead of
 * one delete flag for the request (KIP-570); v4 isKRaftController (KIP-866).
 *
 * As Kafka's handleStopReplicaRequest → ReplicaManager.stopReplicas (replication/replica-state-changes.ts):
 * a controller epoch below the highest seen answers STALE_CONTROLLER_EPOCH for the request and every
 * partition; otherwise a partition's fetcher stops and, with deletePartition, the partition and its
 * log go (a log this broker holds without hosting the partition too). A leader epoch older than the
 * hosted one is FENCED_LEADER_EPOCH; -2 (topic deletion) and -1 (v0-2: none) always pass. Before v3
 * every partition gets the request's delete flag and epoch -1.
 *
 * Differences: the broker epoch is not checked (no STALE_BROKER_EPOCH); Kafka then also removes the
 * deleted __consumer_offsets partitions' groups (onResignation), which here follows the store.
 */
export function stopReplicaHandler(s: BrokerServices): Handler<typeof StopReplica> {
  return defineHandler(StopReplica, '0-4', (ctx, request) => {
    const v = ctx.apiVersion;
    const states: StopReplicaPartitionState[] = [];
    const legacy = (topic: string, partition: number): StopReplicaPartitionState => ({
      topic,
      partition,
      leaderEpoch: -1,
      deletePartition: request.deletePartitions,
    });
    if (v === 0) {
      for (const p of request.ungroupedPartitions) states.push(legacy(p.topicName, p.partitionIndex));
    } else if (v <= 2) {
      for (const t of request.topics) for (const p of t.partitionIndexes) states.push(legacy(t.name, p));
    } else {
      for (const t of request.topicStates) {
        for (const p of t.partitionStates) {
          states.push({
            topic: t.topicName,
            partition: p.partitionIndex,
            leaderEpoch: p.leaderEpoch,
            deletePartition: p.deletePartition,
          });
        }
      }
    }
    const result = s.replicaManager.stopReplicas(request.controllerId, request.controllerEpoch, states);
    return {
      errorCode: result.errorCode,
      partitionErrors: result.partitions.map((p) => ({
        topicName: p.topic,
        partitionIndex: p.partition,
        errorCode: p.errorCode,
      })),
    };
  });
}
