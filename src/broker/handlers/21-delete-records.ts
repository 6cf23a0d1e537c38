import { ErrorCode } from '../../protocol/errors.js';
import { DeleteRecords } from '../../protocol/messages/21-delete-records.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { errorCodeOf } from '../error-codes.js';
import { defineHandler, type Handler } from '../handler.js';
import { isInternalTopic } from '../metadata/topic-name.js';
import type { BrokerServices } from '../services.js';

/**
 * DeleteRecords (21), v0-2. v1 throttles after the response; v2 flexible.
 *
 * Moves each partition's log start offset up to the requested offset (-1: the high watermark) and
 * deletes the segments wholly below it (PartitionLog.deleteRecordsBefore); the answer is the new low
 * watermark. Fetches below it then get OFFSET_OUT_OF_RANGE. Refusals, as Kafka's ReplicaManager and
 * Partition.deleteRecordsOnLeader give them: unknown partition UNKNOWN_TOPIC_OR_PARTITION; internal
 * topic INVALID_TOPIC_EXCEPTION; not the leader NOT_LEADER_OR_FOLLOWER; a topic whose cleanup.policy
 * lacks "delete" POLICY_VIOLATION; an offset below -1 or above the high watermark OFFSET_OUT_OF_RANGE.
 * Standalone the leader is the only replica, so the low watermark is final at once and the request's
 * timeout is never waited on.
 */
type Response = ResponseInput<typeof DeleteRecords>;
type PartitionResult = NonNullable<NonNullable<Response['topics']>[number]['partitions']>[number];

const HIGH_WATERMARK = -1;
const INVALID_LOW_WATERMARK = -1;

export function deleteRecordsHandler(s: BrokerServices): Handler<typeof DeleteRecords> {
  return defineHandler(DeleteRecords, '0-2', (_ctx, request) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => deleteRecords(s, t.name, p.partitionIndex, p.offset)),
    })),
  }));
}

function deleteRecords(s: BrokerServices, topic: string, partitionIndex: number, offset: number): PartitionResult {
  const answer = (errorCode: number, lowWatermark = INVALID_LOW_WATERMARK): PartitionResult => ({
    partitionIndex,
    lowWatermark,
    errorCode,
  });
  if (s.metadata.topic(topic)?.partitions[partitionIndex] === undefined)
    return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (isInternalTopic(topic)) return answer(ErrorCode.INVALID_TOPIC_EXCEPTION);
  const partition = s.replicaManager.getPartition(topic, partitionIndex);
  if (partition === undefined || !partition.isLeader) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  if (!s.replicaManager.settingsOf(topic).log.cleanupPolicy.includes('delete'))
    return answer(ErrorCode.POLICY_VIOLATION);
  const log = partition.log;
  const target = offset === HIGH_WATERMARK ? log.highWatermark : offset;
  if (target < 0) return answer(ErrorCode.OFFSET_OUT_OF_RANGE);
  try {
    const lowWatermark = log.deleteRecordsBefore(target);
    s.log.info(`Deleted records of ${partition.name} before offset ${target}; log start offset is ${lowWatermark}`);
    return answer(ErrorCode.NONE, lowWatermark);
  } catch (err) {
    const code = errorCodeOf(err);
    if (code === ErrorCode.UNKNOWN_SERVER_ERROR)
      s.log.error(`DeleteRecords on ${partition.name} failed: ${String(err)}`);
    return answer(code);
  }
}
