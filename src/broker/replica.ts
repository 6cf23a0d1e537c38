/**
 * What a leader knows of one follower replica (Kafka's Replica and ReplicaState), learnt from the
 * follower's Fetch requests only.
 *
 * - logEndOffset: the follower's fetch offset, i.e. everything below it is in its log (-1: unknown,
 *   nothing fetched since this broker became leader).
 * - lastFetchLeaderLogEndOffset / lastFetchTimeMs: the leader's log end offset and the time at the
 *   previous fetch.
 * - lastCaughtUpTimeMs: the last time the follower was known to have everything the leader had. A
 *   fetch at or past the leader's log end offset (as it was before the read) makes it the fetch time;
 *   a fetch at or past the leader's log end offset at the previous fetch makes it that fetch's time
 *   (Kafka's rule, so a steady stream of appends does not keep a keeping-up follower out of the ISR).
 *   The follower is out of sync once `now - lastCaughtUpTimeMs > replica.lag.time.max.ms`.
 */
export const UNKNOWN_OFFSET = -1;

export class Replica {
  logEndOffset = UNKNOWN_OFFSET;
  logStartOffset = UNKNOWN_OFFSET;
  lastFetchLeaderLogEndOffset = UNKNOWN_OFFSET;
  lastFetchTimeMs = 0;
  lastCaughtUpTimeMs = 0;

  constructor(readonly brokerId: number) {}

  /** A follower fetch read from `fetchOffset` when the leader's log ended at `leaderEndOffset`. */
  updateFetchState(fetchOffset: number, logStartOffset: number, fetchTimeMs: number, leaderEndOffset: number): void {
    if (fetchOffset >= leaderEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, fetchTimeMs);
    } else if (fetchOffset >= this.lastFetchLeaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, this.lastFetchTimeMs);
    }
    this.logStartOffset = logStartOffset;
    this.logEndOffset = fetchOffset;
    this.lastFetchLeaderLogEndOffset = Math.max(leaderEndOffset, this.lastFetchLeaderLogEndOffset);
    this.lastFetchTimeMs = fetchTimeMs;
  }

  /**
   * On becoming leader, or a new leader epoch (Kafka's resetReplicaState): an ISR member counts as
   * caught up now, others as never (so they cannot hold the high watermark back). A new leader forgets
   * what it knew of the follower's log; a re-elected one keeps it.
   */
  reset(nowMs: number, leaderEndOffset: number, isNewLeader: boolean, isFollowerInSync: boolean): void {
    this.lastCaughtUpTimeMs = isFollowerInSync ? nowMs : 0;
    if (isNewLeader) {
      this.logEndOffset = UNKNOWN_OFFSET;
      this.logStartOffset = UNKNOWN_OFFSET;
      this.lastFetchLeaderLogEndOffset = UNKNOWN_OFFSET;
      this.lastFetchTimeMs = 0;
    } else {
      this.lastFetchLeaderLogEndOffset = leaderEndOffset;
      this.lastFetchTimeMs = isFollowerInSync ? nowMs : 0;
    }
  }

  /** Kafka's ReplicaState.isCaughtUp. */
  isCaughtUp(leaderEndOffset: number, nowMs: number, replicaLagTimeMaxMs: number): boolean {
    return leaderEndOffset === this.logEndOffset || nowMs - this.lastCaughtUpTimeMs <= replicaLagTimeMaxMs;
  }
}
