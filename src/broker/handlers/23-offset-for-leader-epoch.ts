import { ErrorCode } from '../../protocol/errors.js';
import { OffsetForLeaderEpoch } from '../../protocol/messages/23-offset-for-leader-epoch.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * OffsetForLeaderEpoch (23), v0-4. v1 the leader epoch of the answer; v2 current_leader_epoch
 * fencing and throttle time (KIP-320: consumers use it to detect truncation); v3 replica_id; v4
 * flexible.
 *
 * The answer is the end offset of the largest epoch <= the requested one, with that epoch, from the
 * leader's epoch cache (PartitionLog.endOffsetForEpoch); -1 / -1 with no error when the log has no
 * such epoch. As in Kafka 3.9 (Partition.lastOffsetForLeaderEpoch with fetchOnlyFromLeader), only the
 * leader answers, for consumers (replica_id -1 or -2) and followers alike; replica_id matters only to
 * authorization, which Samsa does not have. current_leader_epoch (-1: not given) older than ours is
 * FENCED_LEADER_EPOCH, newer is UNKNOWN_LEADER_EPOCH. A partition the metadata knows but this broker
 * does not host is NOT_LEADER_OR_FOLLOWER; one it does not know is UNKNOWN_TOPIC_OR_PARTITION.
 */
type Response = ResponseInput<typeof OffsetForLeaderEpoch>;
type EpochEndOffset = NonNullable<NonNullable<Response['topics']>[number]['partitions']>[number];

const NO_EPOCH = -1;

export function offsetForLeaderEpochHandler(s: BrokerServices): Handler<typeof OffsetForLeaderEpoch> {
  return defineHandler(OffsetForLeaderEpoch, '0-4', (_ctx, request) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => endOffset(s, t.topic, p.partition, p.currentLeaderEpoch, p.leaderEpoch)),
    })),
  }));
}

function endOffset(
  s: BrokerServices,
  topic: string,
  partitionIndex: number,
  currentLeaderEpoch: number,
  leaderEpoch: number,
): EpochEndOffset {
  const answer = (errorCode: number, epoch = NO_EPOCH, offset = -1): EpochEndOffset => ({
    errorCode,
    partition: partitionIndex,
    leaderEpoch: epoch,
    endOffset: offset,
  });
  const partition = s.replicaManager.getPartition(topic, partitionIndex);
  if (partition === undefined) {
    const known = s.metadata.topic(topic)?.partitions[partitionIndex] !== undefined;
    return answer(known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  }
  if (currentLeaderEpoch !== NO_EPOCH) {
    if (currentLeaderEpoch < partition.leaderEpoch) return answer(ErrorCode.FENCED_LEADER_EPOCH);
    if (currentLeaderEpoch > partition.leaderEpoch) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH);
  }
  if (!partition.isLeader) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const found = partition.log.endOffsetForEpoch(leaderEpoch);
  return answer(ErrorCode.NONE, found.leaderEpoch, found.endOffset);
}
