import { LeaderAndIsr } from '../../protocol/messages/04-leader-and-isr.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { RequestOf, ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, type Handler } from '../handler.js';
import type { ControllerRequestResult, LeaderAndIsrPartitionState } from '../replication/replica-state-changes.js';
import type { BrokerServices } from '../services.js';

/**
 * LeaderAndIsr (4), v0-7 (Kafka 3.9's range; Kafka 4 removed it). v1 isNew per partition; v2
 * partitions grouped by topic and the broker epoch (KIP-380); v3 adding/removing replicas (KIP-455);
 * v4 flexible; v5 topic ids and the request type, errors grouped by topic id (KIP-516); v6 leader
 * recovery state (KIP-704); v7 isKRaftController (KIP-866).
 *
 * As Kafka's handleLeaderAndIsrRequest → ReplicaManager.becomeLeaderOrFollower
 * (replication/replica-state-changes.ts): a controller epoch below the highest seen answers
 * STALE_CONTROLLER_EPOCH for the request and every partition; otherwise per partition NONE,
 * STALE_CONTROLLER_EPOCH (leader epoch not newer), UNKNOWN_TOPIC_OR_PARTITION (this broker is not a
 * replica), INCONSISTENT_TOPIC_ID or KAFKA_STORAGE_ERROR. A standalone broker applies it the same way
 * (its roles then also follow its own store, which may undo what the request did).
 *
 * Differences: the broker epoch is not checked (no STALE_BROKER_EPOCH: the store does not expose this
 * broker's registration czxid); addingReplicas/removingReplicas, the request type (full/incremental)
 * and leaderRecoveryState are not used; __consumer_offsets leadership still reaches the group
 * coordinator through the store's events, not from here (Kafka's onLeadershipChange).
 */
type Request = RequestOf<typeof LeaderAndIsr>;
type Response = ResponseInput<typeof LeaderAndIsr>;
type RequestPartition = Request['ungroupedPartitionStates'][number];

export function leaderAndIsrHandler(s: BrokerServices): Handler<typeof LeaderAndIsr> {
  return defineHandler(LeaderAndIsr, '0-7', (ctx, request) => {
    const v = ctx.apiVersion;
    const topicIds = new Map<string, string>();
    const states: LeaderAndIsrPartitionState[] = [];
    if (v <= 1) {
      for (const p of request.ungroupedPartitionStates) states.push(partitionState(p.topicName, p));
    } else {
      for (const t of request.topicStates) {
        if (v >= 5) topicIds.set(t.topicName, t.topicId);
        for (const p of t.partitionStates) states.push(partitionState(t.topicName, p));
      }
    }
    const liveLeaders = request.liveLeaders.map((l) => ({ id: l.brokerId, host: l.hostName, port: l.port }));
    const result = s.replicaManager.becomeLeaderOrFollower(
      request.controllerId,
      request.controllerEpoch,
      states,
      topicIds,
      liveLeaders,
    );
    return toResponse(v, result, topicIds);
  });
}

function partitionState(topic: string, p: RequestPartition): LeaderAndIsrPartitionState {
  return {
    topic,
    partition: p.partitionIndex,
    controllerEpoch: p.controllerEpoch,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    isr: p.isr,
    partitionEpoch: p.partitionEpoch,
    replicas: p.replicas,
    isNew: p.isNew,
  };
}

/** v0-4: a flat list of (topic, partition, error); v5+: grouped by topic id. */
function toResponse(v: number, result: ControllerRequestResult, topicIds: ReadonlyMap<string, string>): Response {
  if (v < 5) {
    return {
      errorCode: result.errorCode,
      partitionErrors: result.partitions.map((p) => ({
        topicName: p.topic,
        partitionIndex: p.partition,
        errorCode: p.errorCode,
      })),
    };
  }
  const topics = new Map<
    string,
    { topicId: string; partitionErrors: { partitionIndex: number; errorCode: number }[] }
  >();
  for (const p of result.partitions) {
    let t = topics.get(p.topic);
    if (t === undefined) {
      t = { topicId: topicIds.get(p.topic) ?? ZERO_UUID, partitionErrors: [] };
      topics.set(p.topic, t);
    }
    t.partitionErrors.push({ partitionIndex: p.partition, errorCode: p.errorCode });
  }
  return { errorCode: result.errorCode, topics: [...topics.values()] };
}
