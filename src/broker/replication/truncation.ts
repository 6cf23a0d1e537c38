/**
 * How far a follower truncates, from the leader's answer about its latest epoch (Kafka's
 * AbstractFetcherThread.getOffsetTruncationState, the KIP-101/KIP-279 rules):
 *
 * - the leader does not know the epoch (end offset -1): truncate to the fetch offset the follower
 *   started from (its high watermark);
 * - the leader answers without an epoch (a v0 answer): min(leader's end offset, own log end offset);
 * - the leader answers with an epoch the follower also has: min(the end offset of that epoch on
 *   both sides, own log end offset); done;
 * - the leader answers with an epoch the follower does not have: truncate to the end of the
 *   follower's largest epoch below it and ask again (not completed);
 * - the leader's epoch is below every epoch the follower has: min(leader's end offset, own LEO).
 */
import type { PartitionLog } from '../../log/partition-log.js';
import type { EpochEndOffset, OffsetTruncationState } from './types.js';

const UNDEFINED_EPOCH = -1;
const UNDEFINED_EPOCH_OFFSET = -1;

export function offsetTruncationState(
  log: PartitionLog,
  fetchOffset: number,
  leader: EpochEndOffset,
): OffsetTruncationState {
  const replicaEndOffset = log.logEndOffset;
  if (leader.endOffset === UNDEFINED_EPOCH_OFFSET) return { offset: fetchOffset, truncationCompleted: true };
  if (leader.leaderEpoch === UNDEFINED_EPOCH) {
    return { offset: Math.min(leader.endOffset, replicaEndOffset), truncationCompleted: true };
  }
  const own = log.endOffsetForEpoch(leader.leaderEpoch);
  if (own.endOffset === UNDEFINED_EPOCH_OFFSET) {
    return { offset: Math.min(leader.endOffset, replicaEndOffset), truncationCompleted: true };
  }
  if (own.leaderEpoch !== leader.leaderEpoch) {
    return { offset: Math.min(own.endOffset, replicaEndOffset), truncationCompleted: false };
  }
  return { offset: Math.min(own.endOffset, leader.endOffset, replicaEndOffset), truncationCompleted: true };
}

/**
 * The whole batches at the front of a fetched region: a leader may cut the last batch short at its
 * byte limit, and a follower appends only complete ones. Format: each batch is baseOffset int64,
 * batchLength int32 (bytes after this field), then the rest of the batch.
 */
export function completeBatches(records: Buffer): Buffer {
  let at = 0;
  while (at + 12 <= records.length) {
    const size = 12 + records.readInt32BE(at + 8);
    if (size < 12 || at + size > records.length) break;
    at += size;
  }
  return at === records.length ? records : records.subarray(0, at);
}
