import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartitionLog } from '../../log/partition-log.js';
import { makeTmpDir, removeTmpDir, testBatch } from '../../log/testing/test-batches.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { Logger } from '../logger.js';
import { tpKey } from './leader-endpoint.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import { followerOf, LocalLeader, logBytes, openLog } from './testing/local-leader.js';
import { completeBatches, offsetTruncationState } from './truncation.js';
import type { FollowerPartition } from './types.js';

// Followers fetching from a leader served in-process from a real log: truncation rules, fetching,
// and the error paths, all against real PartitionLogs in a temp dir.
let root: string;
const logs: PartitionLog[] = [];
const fetchers: ReplicaFetcher[] = [];

beforeEach(() => {
  root = makeTmpDir('samsa-fetcher-');
});

afterEach(async () => {
  for (const f of fetchers.splice(0)) await f.shutdown();
  for (const l of logs.splice(0)) l.close();
  removeTmpDir(root);
});

function log(name: string): PartitionLog {
  const l = openLog(root, name);
  logs.push(l);
  return l;
}

/** Appends `count` one-record batches as leader at `epoch` (recording the epoch's start first). */
function lead(l: PartitionLog, epoch: number, count: number): void {
  l.maybeAssignEpochStartOffset(epoch, l.logEndOffset);
  for (let i = 0; i < count; i++) l.appendAsLeader(testBatch({ count: 1, valueSize: 8 + epoch }), epoch);
  l.updateHighWatermark(l.logEndOffset);
}

function startFetcher(
  leader: LocalLeader,
  replica: FollowerPartition,
  epoch = leader.leaderEpoch,
  initOffset?: number,
) {
  const fetcher = new ReplicaFetcher(leader, { name: 'ReplicaFetcherThread-0-1', backoffMs: 10, logger: quiet() });
  fetchers.push(fetcher);
  fetcher.addPartitions([
    {
      topic: 't',
      partition: 0,
      topicId: ZERO_UUID,
      leader: leader.leader,
      currentLeaderEpoch: epoch,
      initOffset: initOffset ?? replica.log.highWatermark,
      replica,
    },
  ]);
  fetcher.start();
  return fetcher;
}

function quiet(): Logger {
  const l = new Logger('test');
  return Object.assign(l, { info: () => undefined, warn: () => undefined, debug: () => undefined });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const caughtUp = (follower: PartitionLog, leader: PartitionLog) => () =>
  follower.logEndOffset === leader.logEndOffset &&
  logBytes(follower, leader.logStartOffset).equals(logBytes(leader, leader.logStartOffset));

describe('offsetTruncationState (KIP-101/279 rules)', () => {
  it('same epoch on both sides: the smaller end offset', () => {
    const f = log('f');
    lead(f, 0, 5);
    lead(f, 1, 5); // epochs 0@0, 1@5; LEO 10
    expect(offsetTruncationState(f, 0, { errorCode: 0, leaderEpoch: 1, endOffset: 7 })).toEqual({
      offset: 7,
      truncationCompleted: true,
    });
    expect(offsetTruncationState(f, 0, { errorCode: 0, leaderEpoch: 1, endOffset: 20 })).toEqual({
      offset: 10,
      truncationCompleted: true,
    });
  });

  it('an epoch the follower does not have: the end of its largest epoch below, not completed', () => {
    const f = log('f');
    lead(f, 0, 5);
    lead(f, 2, 5); // epochs 0@0, 2@5
    expect(offsetTruncationState(f, 0, { errorCode: 0, leaderEpoch: 1, endOffset: 7 })).toEqual({
      offset: 5,
      truncationCompleted: false,
    });
  });

  it('an epoch below all of the follower’s: the start of its first epoch (Kafka’s endOffsetFor)', () => {
    const f = log('f');
    lead(f, 3, 5);
    expect(offsetTruncationState(f, 0, { errorCode: 0, leaderEpoch: 1, endOffset: 2 })).toEqual({
      offset: 0,
      truncationCompleted: true,
    });
  });

  it('an undefined answer truncates to the fetch offset (the high watermark); no epoch: the leader’s offset', () => {
    const f = log('f');
    lead(f, 0, 5);
    expect(offsetTruncationState(f, 3, { errorCode: 0, leaderEpoch: -1, endOffset: -1 })).toEqual({
      offset: 3,
      truncationCompleted: true,
    });
    expect(offsetTruncationState(f, 3, { errorCode: 0, leaderEpoch: -1, endOffset: 4 })).toEqual({
      offset: 4,
      truncationCompleted: true,
    });
  });

  it('completeBatches drops a trailing partial batch', () => {
    const a = testBatch({ count: 2 });
    const b = testBatch({ count: 1, baseOffset: 2 });
    const both = Buffer.concat([a, b]);
    expect(completeBatches(both)).toEqual(both);
    expect(completeBatches(both.subarray(0, a.length + 20))).toEqual(a);
    expect(completeBatches(both.subarray(0, 5)).length).toBe(0);
  });
});

describe('ReplicaFetcher', () => {
  it('an empty follower truncates to its high watermark, then copies the leader byte for byte', async () => {
    const l = log('leader');
    lead(l, 0, 3);
    lead(l, 1, 2);
    const f = log('follower');
    const leader = new LocalLeader(l, 1);
    const fetcher = startFetcher(leader, followerOf(f));
    await until(caughtUp(f, l), 'the follower to catch up');
    await until(() => f.highWatermark === l.highWatermark, 'the follower HW');
    expect(leader.epochRequests).toEqual([]); // no epochs yet: the HW rule, no OffsetForLeaderEpoch
    expect(f.endOffsetForEpoch(0)).toEqual({ leaderEpoch: 0, endOffset: 3 });
    expect(fetcher.fetchState(tpKey('t', 0))?.state).toBe('Fetching');
    // New appends keep flowing.
    lead(l, 1, 2);
    await until(caughtUp(f, l), 'the follower to follow new appends');
  });

  it('truncates a divergent tail to the end of the last common epoch', async () => {
    const l = log('leader');
    lead(l, 0, 5);
    lead(l, 2, 3); // 0@0, 2@5
    const f = log('follower');
    lead(f, 0, 5);
    lead(f, 1, 4); // 0@0, 1@5: offsets 5-8 were never committed
    f.updateHighWatermark(5);
    const leader = new LocalLeader(l, 2);
    startFetcher(leader, followerOf(f));
    await until(caughtUp(f, l), 'the follower to catch up');
    expect(leader.epochRequests.map((r) => r.leaderEpoch)).toEqual([1]);
    expect(f.endOffsetForEpoch(1)).toEqual({ leaderEpoch: 0, endOffset: 5 });
  });

  it('asks again when the leader answers an epoch the follower lacks', async () => {
    const l = log('leader');
    lead(l, 0, 3);
    lead(l, 1, 4);
    lead(l, 3, 2); // 0@0, 1@3, 3@7
    const f = log('follower');
    lead(f, 0, 5);
    lead(f, 2, 3); // 0@0, 2@5
    f.updateHighWatermark(0);
    const leader = new LocalLeader(l, 3);
    startFetcher(leader, followerOf(f));
    await until(caughtUp(f, l), 'the follower to catch up');
    // Epoch 2 → leader says (1, 7): unknown here, truncate to 5 and ask for 0 → (0, 3): truncate to 3.
    expect(leader.epochRequests.map((r) => r.leaderEpoch)).toEqual([2, 0]);
  });

  it('a follower without epochs truncates to its high watermark', async () => {
    // Message formats before v2 carry no epochs: both logs here have none.
    const l = log('leader');
    for (let i = 0; i < 4; i++) l.appendAsFollower(testBatch({ count: 1, baseOffset: i, valueSize: 4 }));
    l.updateHighWatermark(4);
    const f = log('follower');
    for (let i = 0; i < 2; i++) f.appendAsFollower(testBatch({ count: 1, baseOffset: i, valueSize: 4 }));
    for (let i = 2; i < 6; i++) f.appendAsFollower(testBatch({ count: 1, baseOffset: i, valueSize: 9 }));
    f.updateHighWatermark(2);
    expect(f.latestEpoch).toBe(-1);
    startFetcher(new LocalLeader(l, 0), followerOf(f));
    await until(caughtUp(f, l), 'the follower to catch up');
  });

  it('OFFSET_OUT_OF_RANGE with the leader’s log starting after ours: starts over at the leader’s start', async () => {
    const l = log('leader');
    l.truncateFullyAndStartAt(100);
    lead(l, 0, 3);
    const f = log('follower');
    startFetcher(new LocalLeader(l, 0), followerOf(f));
    await until(caughtUp(f, l), 'the follower to catch up');
    expect(f.logStartOffset).toBe(100);
    expect(f.logEndOffset).toBe(103);
  });

  it('OFFSET_OUT_OF_RANGE with the leader’s log ending before ours: truncates to the leader’s end', async () => {
    const l = log('leader');
    lead(l, 0, 6);
    const f = log('follower');
    const leader = new LocalLeader(l, 0);
    startFetcher(leader, followerOf(f));
    await until(caughtUp(f, l), 'the follower to catch up');
    l.truncateTo(4); // an unclean change under the same epoch: the follower is past the leader's end
    await until(() => f.logEndOffset === 4, 'the follower to truncate to the leader end');
    lead(l, 0, 2);
    await until(caughtUp(f, l), 'the follower to catch up again');
  });

  it('FENCED_LEADER_EPOCH drops the partition until the next LeaderAndIsr', async () => {
    const l = log('leader');
    lead(l, 5, 2);
    const f = log('follower');
    const fetcher = startFetcher(new LocalLeader(l, 5), followerOf(f), 4);
    await until(() => fetcher.partitionCount === 0, 'the partition to be dropped');
    expect(f.logEndOffset).toBe(0);
  });

  it('UNKNOWN_LEADER_EPOCH and NOT_LEADER_OR_FOLLOWER back off and retry', async () => {
    const l = log('leader');
    lead(l, 1, 2);
    const f = log('follower');
    const leader = new LocalLeader(l, 0); // the leader has not heard of epoch 1 yet
    leader.fetchErrors.push(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const fetcher = startFetcher(leader, followerOf(f), 1);
    await until(() => (fetcher.fetchState(tpKey('t', 0))?.delayedUntil ?? 0) > 0, 'a back-off');
    expect(f.logEndOffset).toBe(0);
    leader.leaderEpoch = 1;
    await until(caughtUp(f, l), 'the follower to catch up');
  });

  it('a leader that is down is retried after the back-off', async () => {
    const l = log('leader');
    lead(l, 0, 2);
    const f = log('follower');
    const leader = new LocalLeader(l, 0);
    leader.down = true;
    startFetcher(leader, followerOf(f));
    await new Promise((r) => setTimeout(r, 50));
    expect(f.logEndOffset).toBe(0);
    leader.down = false;
    await until(caughtUp(f, l), 'the follower to catch up');
  });

  it('appends a fetch of many batches in one call, and a cut-off last batch on the next fetch', async () => {
    const l = log('leader');
    lead(l, 0, 10);
    const f = log('follower');
    const replica = followerOf(f);
    const calls: number[] = [];
    const counting: FollowerPartition = {
      ...replica,
      appendRecordsToFollower: (records) => {
        calls.push(records.length);
        return replica.appendRecordsToFollower(records);
      },
    };
    const oneBatch = logBytes(l).length / 10;
    startFetcher(new LocalLeader(l, 0, Math.floor(oneBatch * 4.5)), counting);
    await until(caughtUp(f, l), 'the follower to catch up');
    expect(calls[0]).toBeGreaterThan(oneBatch);
  });

  it('a partition removed while its fetch is in flight is not written', async () => {
    const l = log('leader');
    lead(l, 0, 2);
    const f = log('follower');
    const leader = new LocalLeader(l, 0);
    leader.down = true;
    const fetcher = startFetcher(leader, followerOf(f));
    fetcher.removePartitions([tpKey('t', 0)]);
    leader.down = false;
    await new Promise((r) => setTimeout(r, 50));
    expect(f.logEndOffset).toBe(0);
    expect(fetcher.partitionCount).toBe(0);
  });
});
