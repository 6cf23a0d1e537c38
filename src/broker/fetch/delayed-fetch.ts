import type { LogOffsetMetadata } from '../../log/fetch-data-info.js';
import type { DelayedOperation } from '../delayed/purgatory.js';
import type { Partition } from '../partition.js';
import { partitionKey, type ReplicaManager } from '../replica-manager.js';
import type { FetchParams, PartitionData } from './partition-reads.js';

/** One partition a delayed fetch waits on: where its fetch offset is, and the replica it read. */
interface FetchPartitionStatus {
  readonly key: string;
  readonly partition: Partition;
  readonly fetchOffset: LogOffsetMetadata;
  readonly maxBytes: number;
  readonly currentLeaderEpoch: number;
}

/**
 * A fetch waiting for min_bytes (Kafka's DelayedFetch). Checking it never reads the log: it compares
 * each partition's fetch position with the position of the offset it may read up to (the high
 * watermark, the last stable offset, or the log end for a follower), which the log keeps:
 *  - same segment, fetch offset below the bound: the byte distance counts, at most the partition's
 *    max bytes;
 *  - different segments (the log rolled, or was truncated under the fetch): complete now, as there is
 *    data or something to learn;
 *  - the replica went away, changed leader epoch, lost leadership where required, or went offline:
 *    complete now, and the re-read answers the error.
 * When enough bytes are available, or the timer fires, the fetch reads every partition again and
 * answers (`complete`). A check allocates nothing.
 */
export class DelayedFetch implements DelayedOperation {
  private constructor(
    private readonly rm: ReplicaManager,
    private readonly params: FetchParams,
    private readonly statuses: readonly FetchPartitionStatus[],
    private readonly complete: () => void,
  ) {}

  /** The keys to watch are the partitions' partitionKeys. */
  static create(
    rm: ReplicaManager,
    params: FetchParams,
    firstRead: readonly PartitionData[],
    complete: () => void,
  ): { op: DelayedFetch; keys: string[] } {
    const statuses: FetchPartitionStatus[] = [];
    const keys: string[] = [];
    for (const d of firstRead) {
      const p = d.partition;
      if (p === null) continue;
      const key = partitionKey(p.topic, p.partition);
      keys.push(key);
      statuses.push({
        key,
        partition: p,
        fetchOffset: p.log.convertToOffsetMetadata(d.target.fetchOffset),
        maxBytes: d.target.partitionMaxBytes,
        currentLeaderEpoch: d.target.currentLeaderEpoch,
      });
    }
    return { op: new DelayedFetch(rm, params, statuses, complete), keys };
  }

  tryComplete(): boolean {
    let accumulated = 0;
    const params = this.params;
    for (let i = 0; i < this.statuses.length; i++) {
      const s = this.statuses[i]!;
      const p = s.partition;
      if (
        this.rm.getPartitionByKey(s.key) !== p ||
        (s.currentLeaderEpoch >= 0 && s.currentLeaderEpoch !== p.leaderEpoch) ||
        (params.fetchOnlyLeader && !p.isLeader) ||
        p.log.offlineError !== null
      ) {
        return this.forceComplete();
      }
      const log = p.log;
      // Without transactions the last stable offset is the high watermark.
      const end = params.isolation === 'LOG_END' ? log.logEndOffsetMetadata : log.highWatermarkMetadata();
      const from = s.fetchOffset;
      if (end.messageOffset === from.messageOffset) continue;
      if (end.segmentBaseOffset !== from.segmentBaseOffset) return this.forceComplete();
      if (from.messageOffset < end.messageOffset) {
        accumulated += Math.min(end.relativePositionInSegment - from.relativePositionInSegment, s.maxBytes);
      }
    }
    return accumulated >= params.minBytes ? this.forceComplete() : false;
  }

  onExpiration(): void {
    this.complete();
  }

  private forceComplete(): true {
    this.complete();
    return true;
  }
}
