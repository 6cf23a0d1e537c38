import { ErrorCode } from '../../protocol/errors.js';
import { ElectLeaders } from '../../protocol/messages/43-elect-leaders.js';
import type { TopicPartition } from '../controller/controller-context.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ElectLeaders (43), v0-2, served in cluster mode only (the admin client sends it to the controller).
 * v0 ElectPreferredLeaders: preferred elections only, no top-level error code; v1 election type (0
 * preferred, 1 unclean; KIP-460) and the top-level error code; v2 flexible.
 *
 * As Kafka's ZooKeeper-mode KafkaController.processReplicaLeaderElection: the active controller elects
 * and answers per partition NONE, UNKNOWN_TOPIC_OR_PARTITION, ELECTION_NOT_NEEDED,
 * PREFERRED_LEADER_NOT_AVAILABLE or ELIGIBLE_LEADERS_NOT_AVAILABLE; null topic partitions means every
 * partition, answered without those needing no election. Another broker answers NOT_CONTROLLER per
 * partition (for null partitions, as the top-level error). An unknown election type is
 * INVALID_REQUEST. The answer comes once the state znodes are written, not when every broker has
 * applied them (Kafka waits in a purgatory for that, up to timeoutMs).
 */
const PREFERRED = 0;
const UNCLEAN = 1;

export function electLeadersHandler(s: BrokerServices): Handler<typeof ElectLeaders> {
  return defineHandler(ElectLeaders, '0-2', async (ctx, request) => {
    const type = ctx.apiVersion >= 1 ? request.electionType : PREFERRED;
    const asked: TopicPartition[] | null =
      request.topicPartitions === null
        ? null
        : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    const everyPartition = (errorCode: number, errorMessage: string | null) => ({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      replicaElectionResults: group((asked ?? []).map((tp) => ({ tp, errorCode, errorMessage }))),
    });
    if (type !== PREFERRED && type !== UNCLEAN)
      return {
        ...everyPartition(ErrorCode.INVALID_REQUEST, `Unknown election type ${type}`),
        errorCode: ErrorCode.INVALID_REQUEST,
      };
    let outcomes;
    try {
      outcomes = await s.controller?.electLeaders(asked, type === PREFERRED ? 'preferred' : 'unclean');
    } catch (err) {
      s.log.error(`ElectLeaders failed: ${String(err)}`);
      const answer = everyPartition(ErrorCode.UNKNOWN_SERVER_ERROR, String(err));
      return { ...answer, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR };
    }
    if (outcomes === undefined || outcomes === null) {
      const answer = everyPartition(ErrorCode.NOT_CONTROLLER, null);
      return asked === null ? { ...answer, errorCode: ErrorCode.NOT_CONTROLLER } : answer;
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, replicaElectionResults: group(outcomes) };
  });
}

function group(outcomes: readonly { tp: TopicPartition; errorCode: number; errorMessage: string | null }[]) {
  const byTopic = new Map<string, { partitionId: number; errorCode: number; errorMessage: string | null }[]>();
  for (const o of outcomes) {
    const list = byTopic.get(o.tp.topic) ?? [];
    list.push({ partitionId: o.tp.partition, errorCode: o.errorCode, errorMessage: o.errorMessage });
    byTopic.set(o.tp.topic, list);
  }
  return [...byTopic].map(([topic, partitionResult]) => ({ topic, partitionResult }));
}
