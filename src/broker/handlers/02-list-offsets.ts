import { ErrorCode } from '../../protocol/errors.js';
import { ListOffsets } from '../../protocol/messages/02-list-offsets.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { errorCodeOf } from '../error-codes.js';
import { defineHandler, type Handler } from '../handler.js';
import type { Partition } from '../partition.js';
import type { BrokerServices } from '../services.js';

/**
 * ListOffsets (2), v0-10. v0 answers a list of offsets (max_num_offsets); v1 one offset with its
 * timestamp; v2 isolation level; v4 leader epochs; v6 flexible; v7 MAX_TIMESTAMP (-3, KIP-734); v8
 * EARLIEST_LOCAL (-4); v9 LATEST_TIERED (-5); v10 a timeout. LATEST (-1) is the high watermark for
 * consumers (READ_COMMITTED would be the last stable offset, which equals it without transactions) and
 * the log end offset for replicas. Without tiered storage, -4 is the log start offset and -5 unknown.
 * A leader whose high watermark lags the start of its leader epoch (just elected, followers behind)
 * answers consumers OFFSET_NOT_AVAILABLE (v5+; LEADER_NOT_AVAILABLE before) for LATEST and for a
 * timestamp found at or past the high watermark, as Kafka's fetchOffsetForTimestamp (KIP-207).
 */
type Response = ResponseInput<typeof ListOffsets>;
type PartitionResponse = NonNullable<NonNullable<Response['topics']>[number]['partitions']>[number];

const LATEST = -1;
const EARLIEST = -2;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;

export function listOffsetsHandler(s: BrokerServices): Handler<typeof ListOffsets> {
  return defineHandler(ListOffsets, '0-10', (ctx, request) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): PartitionResponse => {
        const answer = (errorCode: number, offset = -1, timestamp = -1, leaderEpoch = -1): PartitionResponse => ({
          partitionIndex: p.partitionIndex,
          errorCode,
          oldStyleOffsets: errorCode === ErrorCode.NONE && offset >= 0 ? [offset] : [],
          timestamp,
          offset,
          leaderEpoch,
        });
        const partition = s.replicaManager.getPartition(t.name, p.partitionIndex);
        if (partition === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        const fromReplica = request.replicaId >= 0;
        if (!partition.isLeader && !fromReplica) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < partition.leaderEpoch) {
          return answer(ErrorCode.FENCED_LEADER_EPOCH);
        }
        if (p.currentLeaderEpoch > partition.leaderEpoch) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH);
        try {
          if (!fromReplica && partition.highWatermarkLagsEpochStart && lagging(partition, p.timestamp)) {
            return answer(ctx.apiVersion >= 5 ? ErrorCode.OFFSET_NOT_AVAILABLE : ErrorCode.LEADER_NOT_AVAILABLE);
          }
          const found = lookup(partition, p.timestamp, fromReplica);
          return found === null
            ? answer(ErrorCode.NONE)
            : answer(ErrorCode.NONE, found.offset, found.timestamp, found.leaderEpoch);
        } catch (err) {
          return answer(errorCodeOf(err));
        }
      }),
    })),
  }));
}

/** Whether a consumer's lookup would answer at or past the high watermark (only while it lags). */
function lagging(partition: Partition, timestamp: number): boolean {
  if (timestamp === LATEST) return true;
  if (timestamp < 0) return false;
  const found = partition.log.fetchOffsetByTimestamp(timestamp);
  return found !== null && found.offset >= partition.log.highWatermark;
}

function lookup(
  partition: Partition,
  timestamp: number,
  fromReplica: boolean,
): { offset: number; timestamp: number; leaderEpoch: number } | null {
  const log = partition.log;
  if (timestamp === LATEST) {
    return { offset: fromReplica ? log.logEndOffset : log.highWatermark, timestamp: -1, leaderEpoch: log.latestEpoch };
  }
  if (timestamp === LATEST_TIERED) return null;
  const found = log.fetchOffsetByTimestamp(timestamp === EARLIEST_LOCAL ? EARLIEST : timestamp);
  if (found === null) return null;
  // A timestamp search must not answer an offset consumers cannot read yet.
  if (timestamp >= 0 && !fromReplica && found.offset >= log.highWatermark) return null;
  return found;
}
