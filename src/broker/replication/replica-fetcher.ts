/**
 * One follower fetch loop per (leader broker, fetcher id) (Kafka's ReplicaFetcherThread over
 * AbstractFetcherThread): an async loop, not a thread, over one LeaderEndPoint.
 *
 * Each round takes the partitions that are not backing off: if any is Truncating, it asks the leader
 * for the end offsets of their latest epochs (OffsetForLeaderEpoch) and truncates (truncation.ts);
 * partitions without any epoch truncate to their initial fetch offset, the high watermark. Otherwise
 * it fetches every Fetching partition from its log end offset, appends what came as one
 * appendRecordsToFollower call per partition, and sets the follower's high watermark.
 *
 * Invariants: only this loop writes its partitions' logs, between its awaits; an answer is applied
 * only if the partition's fetch state is still the object the request was built from (LeaderAndIsr
 * replaces it) and still at the requested offset, so a late answer never lands in a newer epoch.
 * Errors per partition: OFFSET_OUT_OF_RANGE is Kafka's handleOutOfRangeError; FENCED_LEADER_EPOCH
 * drops the partition until the next LeaderAndIsr; anything else (NOT_LEADER_OR_FOLLOWER,
 * UNKNOWN_LEADER_EPOCH, ...) backs the partition off for replica.fetch.backoff.ms. A failed request
 * (leader down) closes the connection and backs off every partition of the round.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import type { FetchPartitionRequest, FetchPartitionResponse, LeaderEndPoint } from './leader-endpoint.js';
import { tpKey } from './leader-endpoint.js';
import { completeBatches, offsetTruncationState } from './truncation.js';
import type { InitialFetchState, OffsetTruncationState, PartitionFetchState } from './types.js';

export interface ReplicaFetcherOptions {
  /** Kafka's thread name, for logs: ReplicaFetcherThread-<fetcherId>-<leaderId>. */
  readonly name: string;
  readonly backoffMs: number;
  readonly logger: Logger;
  /** Called after records were appended to a partition (wakes delayed operations on it). */
  readonly onAppended?: (key: string) => void;
}

export class ReplicaFetcher {
  private readonly partitions = new Map<string, PartitionFetchState>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(
    readonly endpoint: LeaderEndPoint,
    private readonly options: ReplicaFetcherOptions,
  ) {}

  get partitionCount(): number {
    return this.partitions.size;
  }

  /** The current fetch state of a partition (tests, DescribeLogDirs-like reporting). */
  fetchState(key: string): Readonly<PartitionFetchState> | undefined {
    return this.partitions.get(key);
  }

  /** Adds (or replaces) partitions; each starts Truncating at its initial offset. */
  addPartitions(states: readonly InitialFetchState[]): void {
    for (const s of states) {
      const key = tpKey(s.topic, s.partition);
      this.partitions.set(key, {
        key,
        topic: s.topic,
        partition: s.partition,
        topicId: s.topicId,
        replica: s.replica,
        currentLeaderEpoch: s.currentLeaderEpoch,
        fetchOffset: s.initOffset,
        state: 'Truncating',
        delayedUntil: 0,
      });
    }
    this.wake();
  }

  removePartitions(keys: Iterable<string>): void {
    for (const key of keys) this.partitions.delete(key);
    this.wake();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the loop, closes the connection and waits for the round in progress to end. */
  async shutdown(): Promise<void> {
    this.running = false;
    this.endpoint.close();
    this.wake();
    await this.loop;
    this.loop = null;
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.wake(), Math.max(ms, 0)) : null;
      this.wakeUp = () => {
        if (timer !== null) clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const now = Date.now();
      const ready: PartitionFetchState[] = [];
      let nextReady = Infinity;
      for (const st of this.partitions.values()) {
        if (st.delayedUntil <= now) ready.push(st);
        else nextReady = Math.min(nextReady, st.delayedUntil);
      }
      if (ready.length === 0) {
        await this.idle(nextReady - now);
        continue;
      }
      const truncating = ready.filter((st) => st.state === 'Truncating');
      try {
        if (truncating.length > 0) await this.truncate(truncating);
        else await this.fetch(ready);
      } catch (err) {
        if (!this.running) break;
        this.options.logger.warn(
          `[${this.options.name}] Error from leader ${this.endpoint.leader.id}: ${describe(err)}; ` +
            `backing off ${this.options.backoffMs} ms`,
        );
        for (const st of truncating.length > 0 ? truncating : ready) this.delay(st);
      }
      // A leader that answers at once (nothing to wait for) must not starve the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private isCurrent(st: PartitionFetchState): boolean {
    return this.running && this.partitions.get(st.key) === st;
  }

  private delay(st: PartitionFetchState): void {
    st.delayedUntil = Date.now() + this.options.backoffMs;
  }

  private fenced(st: PartitionFetchState, what: string): void {
    this.options.logger.info(
      `[${this.options.name}] ${st.key}: leader ${this.endpoint.leader.id} answered FENCED_LEADER_EPOCH ` +
        `to ${what} at epoch ${st.currentLeaderEpoch}; removed until the next LeaderAndIsr`,
    );
    this.partitions.delete(st.key);
  }

  /** Kafka's maybeTruncate: OffsetForLeaderEpoch for partitions with epochs, the HW for the rest. */
  private async truncate(states: readonly PartitionFetchState[]): Promise<void> {
    const withEpochs: PartitionFetchState[] = [];
    for (const st of states) {
      if (st.replica.log.latestEpoch >= 0) withEpochs.push(st);
      else this.applyTruncation(st, { offset: st.fetchOffset, truncationCompleted: true });
    }
    if (withEpochs.length === 0) return;
    const answers = await this.endpoint.fetchEpochEndOffsets(
      withEpochs.map((st) => ({
        topic: st.topic,
        partition: st.partition,
        currentLeaderEpoch: st.currentLeaderEpoch,
        leaderEpoch: st.replica.log.latestEpoch,
      })),
    );
    for (const st of withEpochs) {
      if (!this.isCurrent(st)) continue;
      const answer = answers.get(st.key);
      if (answer === undefined) this.delay(st);
      else if (answer.errorCode === ErrorCode.NONE)
        this.applyTruncation(st, offsetTruncationState(st.replica.log, st.fetchOffset, answer));
      else if (answer.errorCode === ErrorCode.FENCED_LEADER_EPOCH) this.fenced(st, 'OffsetForLeaderEpoch');
      else this.delay(st);
    }
  }

  private applyTruncation(st: PartitionFetchState, t: OffsetTruncationState): void {
    try {
      if (t.offset < st.replica.log.logEndOffset) {
        this.options.logger.info(
          `[${this.options.name}] Truncating ${st.key} to offset ${t.offset} ` +
            `(log end offset ${st.replica.log.logEndOffset})`,
        );
        st.replica.truncateTo(t.offset);
      }
      st.fetchOffset = t.offset;
      st.state = t.truncationCompleted ? 'Fetching' : 'Truncating';
    } catch (err) {
      this.options.logger.error(`[${this.options.name}] Truncation of ${st.key} failed: ${describe(err)}`);
      this.delay(st);
    }
  }

  private async fetch(states: readonly PartitionFetchState[]): Promise<void> {
    const requests: FetchPartitionRequest[] = states.map((st) => ({
      topic: st.topic,
      partition: st.partition,
      topicId: st.topicId,
      fetchOffset: st.fetchOffset,
      currentLeaderEpoch: st.currentLeaderEpoch,
      lastFetchedEpoch: st.replica.log.latestEpoch,
      logStartOffset: st.replica.log.logStartOffset,
    }));
    const answers = await this.endpoint.fetch(requests);
    for (let i = 0; i < states.length; i++) {
      const st = states[i]!;
      const answer = answers.get(st.key);
      if (answer === undefined || !this.isCurrent(st)) continue;
      if (st.state !== 'Fetching' || st.fetchOffset !== requests[i]!.fetchOffset) continue;
      await this.processPartition(st, answer);
    }
  }

  private async processPartition(st: PartitionFetchState, answer: FetchPartitionResponse): Promise<void> {
    switch (answer.errorCode) {
      case ErrorCode.NONE:
        this.processData(st, answer);
        return;
      case ErrorCode.OFFSET_OUT_OF_RANGE:
        await this.handleOutOfRange(st);
        return;
      case ErrorCode.FENCED_LEADER_EPOCH:
        this.fenced(st, 'Fetch');
        return;
      default:
        this.options.logger.debug(
          `[${this.options.name}] ${st.key}: error ${answer.errorCode} from leader ${this.endpoint.leader.id}; ` +
            `backing off`,
        );
        this.delay(st);
    }
  }

  private processData(st: PartitionFetchState, answer: FetchPartitionResponse): void {
    const replica = st.replica;
    if (answer.divergingEpoch !== null) {
      // KIP-595: the leader saw our last fetched epoch end earlier in its log; nothing is appended.
      const t = offsetTruncationState(replica.log, st.fetchOffset, {
        errorCode: ErrorCode.NONE,
        leaderEpoch: answer.divergingEpoch.epoch,
        endOffset: answer.divergingEpoch.endOffset,
      });
      this.applyTruncation(st, { offset: t.offset, truncationCompleted: true });
      return;
    }
    try {
      const records = answer.records === null ? null : completeBatches(answer.records);
      if (records !== null && records.length > 0) {
        replica.appendRecordsToFollower(records);
        st.fetchOffset = replica.log.logEndOffset;
      }
      replica.updateFollowerHighWatermark(answer.highWatermark);
      const leaderStart = answer.logStartOffset;
      if (leaderStart > replica.log.logStartOffset && leaderStart <= replica.log.highWatermark) {
        replica.log.deleteRecordsBefore(leaderStart);
      }
      if (records !== null && records.length > 0) this.options.onAppended?.(st.key);
    } catch (err) {
      this.options.logger.error(
        `[${this.options.name}] Append of fetched data to ${st.key} at ${st.fetchOffset} failed: ${describe(err)}`,
      );
      this.delay(st);
    }
  }

  /**
   * Kafka's fetchOffsetAndTruncate: if the leader's log ends before ours, truncate to its end;
   * otherwise, if its log starts after our end, start over empty at its start; else fetch from our end.
   */
  private async handleOutOfRange(st: PartitionFetchState): Promise<void> {
    const latest = await this.endpoint.fetchLatestOffset(st.topic, st.partition, st.currentLeaderEpoch);
    if (!this.isCurrent(st)) return;
    if (latest.errorCode !== ErrorCode.NONE) return this.offsetError(st, latest.errorCode);
    const replicaEnd = st.replica.log.logEndOffset;
    if (latest.offset < replicaEnd) {
      this.applyTruncation(st, { offset: latest.offset, truncationCompleted: true });
      return;
    }
    const earliest = await this.endpoint.fetchEarliestOffset(st.topic, st.partition, st.currentLeaderEpoch);
    if (!this.isCurrent(st)) return;
    if (earliest.errorCode !== ErrorCode.NONE) return this.offsetError(st, earliest.errorCode);
    if (earliest.offset > st.replica.log.logEndOffset) {
      this.options.logger.info(
        `[${this.options.name}] ${st.key}: the leader's log starts at ${earliest.offset}, after our end ` +
          `${st.replica.log.logEndOffset}; starting the log over there`,
      );
      try {
        st.replica.truncateFullyAndStartAt(earliest.offset);
      } catch (err) {
        this.options.logger.error(`[${this.options.name}] Truncation of ${st.key} failed: ${describe(err)}`);
        this.delay(st);
        return;
      }
    }
    st.fetchOffset = st.replica.log.logEndOffset;
  }

  private offsetError(st: PartitionFetchState, errorCode: number): void {
    if (errorCode === ErrorCode.FENCED_LEADER_EPOCH) this.fenced(st, 'ListOffsets');
    else this.delay(st);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
