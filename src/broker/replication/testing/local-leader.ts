/**
 * Test helpers for the follower side: a leader served from a real PartitionLog in this process
 * (answering as Samsa's handlers do: epoch fencing, out-of-range, OffsetForLeaderEpoch from its epoch
 * cache, ListOffsets from its log), and a follower replica over a real PartitionLog. Not used by
 * production code.
 */
import path from 'node:path';
import { readRegion } from '../../../log/fetch-data-info.js';
import { PartitionLog } from '../../../log/partition-log.js';
import { MemoryLogger, testConfig } from '../../../log/testing/test-batches.js';
import { ErrorCode } from '../../../protocol/errors.js';
import type {
  EpochRequest,
  FetchPartitionRequest,
  FetchPartitionResponse,
  LeaderEndPoint,
  OffsetAnswer,
} from '../leader-endpoint.js';
import { tpKey } from '../leader-endpoint.js';
import type { BrokerEndPoint, EpochEndOffset, FollowerPartition } from '../types.js';

export function openLog(root: string, name: string, topic = 't', partition = 0): PartitionLog {
  return PartitionLog.open({
    dir: path.join(root, name, `${topic}-${partition}`),
    topic,
    partition,
    config: testConfig(),
    logger: new MemoryLogger(),
  });
}

/** Every byte of a (one-segment) log from `from` on. */
export function logBytes(log: PartitionLog, from = 0): Buffer {
  const info = log.read(from, { maxBytes: 1 << 24, isolation: 'LOG_END', minOneMessage: true });
  const bytes = readRegion(info.region);
  info.release();
  return bytes;
}

/** A follower replica straight over a log, as Partition is for the fetcher. */
export function followerOf(log: PartitionLog): FollowerPartition {
  return {
    log,
    appendRecordsToFollower: (records) => (records.length === 0 ? null : log.appendAsFollower(records)),
    truncateTo: (offset) => void log.truncateTo(offset),
    truncateFullyAndStartAt: (offset) => log.truncateFullyAndStartAt(offset),
    updateFollowerHighWatermark: (hw) => void log.updateHighWatermark(Math.min(hw, log.logEndOffset)),
  };
}

export class LocalLeader implements LeaderEndPoint {
  readonly leader: BrokerEndPoint = { id: 1, host: 'local', port: 0 };
  /** While true every call fails as a dead connection does. */
  down = false;
  /** Answered (once each) instead of reading, for the next fetches. */
  readonly fetchErrors: number[] = [];
  fetches = 0;
  epochRequests: EpochRequest[] = [];
  closed = 0;

  constructor(
    readonly log: PartitionLog,
    public leaderEpoch: number,
    readonly maxBytes = 1 << 20,
  ) {}

  private check(): void {
    if (this.down) throw new Error('connection refused');
  }

  private epochError(currentLeaderEpoch: number): number {
    if (currentLeaderEpoch < this.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
    if (currentLeaderEpoch > this.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
    return ErrorCode.NONE;
  }

  fetch(partitions: readonly FetchPartitionRequest[]): Promise<Map<string, FetchPartitionResponse>> {
    this.check();
    this.fetches++;
    const answers = new Map<string, FetchPartitionResponse>();
    for (const p of partitions) {
      const base = {
        highWatermark: this.log.highWatermark,
        logStartOffset: this.log.logStartOffset,
        divergingEpoch: null,
      };
      const error = this.fetchErrors.shift() ?? this.epochError(p.currentLeaderEpoch);
      if (error !== ErrorCode.NONE) {
        answers.set(tpKey(p.topic, p.partition), { ...base, errorCode: error, records: null });
        continue;
      }
      if (p.fetchOffset < this.log.logStartOffset || p.fetchOffset > this.log.logEndOffset) {
        answers.set(tpKey(p.topic, p.partition), { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: null });
        continue;
      }
      const info = this.log.read(p.fetchOffset, { maxBytes: this.maxBytes, isolation: 'LOG_END', minOneMessage: true });
      const records = readRegion(info.region);
      info.release();
      answers.set(tpKey(p.topic, p.partition), { ...base, errorCode: ErrorCode.NONE, records });
    }
    // As a leader's replica.fetch.wait.max.ms, briefly: an empty answer is not immediate.
    const empty = [...answers.values()].every((a) => (a.records?.length ?? 0) === 0);
    return empty ? new Promise((r) => setTimeout(() => r(answers), 2)) : Promise.resolve(answers);
  }

  fetchEpochEndOffsets(partitions: readonly EpochRequest[]): Promise<Map<string, EpochEndOffset>> {
    this.check();
    const answers = new Map<string, EpochEndOffset>();
    for (const p of partitions) {
      this.epochRequests.push(p);
      const error = this.epochError(p.currentLeaderEpoch);
      const found = this.log.endOffsetForEpoch(p.leaderEpoch);
      answers.set(
        tpKey(p.topic, p.partition),
        error === ErrorCode.NONE ? { errorCode: 0, ...found } : { errorCode: error, leaderEpoch: -1, endOffset: -1 },
      );
    }
    return Promise.resolve(answers);
  }

  fetchLatestOffset(_topic: string, _partition: number, currentLeaderEpoch: number): Promise<OffsetAnswer> {
    this.check();
    return Promise.resolve({ errorCode: this.epochError(currentLeaderEpoch), offset: this.log.logEndOffset });
  }

  fetchEarliestOffset(_topic: string, _partition: number, currentLeaderEpoch: number): Promise<OffsetAnswer> {
    this.check();
    return Promise.resolve({ errorCode: this.epochError(currentLeaderEpoch), offset: this.log.logStartOffset });
  }

  close(): void {
    this.closed++;
  }
}
