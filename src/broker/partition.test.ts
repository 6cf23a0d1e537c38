import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol/errors.js';
import { buildRecordBatch } from '../protocol/records/record-batch-builder.js';
import { PartitionLog } from '../log/partition-log.js';
import {
  ManualTime,
  MemoryLogger,
  makeTmpDir,
  removeTmpDir,
  testBatch,
  testConfig,
} from '../log/testing/test-batches.js';
import { Logger } from './logger.js';
import type { PartitionStateUpdate, UpdatePartitionStateResult } from './metadata/types.js';
import { noLeaderState, Partition, PartitionError, type IsrWriter, type LeaderAndIsrState } from './partition.js';

// Partition's leader and follower sides over a real log in a temp dir, with a hand-moved clock and an
// ISR writer that behaves like the store's versioned write.
let root: string;
let time: ManualTime;
let log: PartitionLog;
const LAG = 10_000;
const quiet = new Logger('test');
quiet.log = () => undefined;

interface WriteCall {
  update: PartitionStateUpdate;
  expected: number;
}

/** The store's versioned write of the state znode: refused unless `expected` is the current epoch. */
class FakeIsrWriter implements IsrWriter {
  readonly calls: WriteCall[] = [];
  /** When set, writes wait until `release()`. */
  hold = false;
  private held: (() => void)[] = [];
  constructor(public epoch: number) {}

  updatePartitionState(
    _topic: string,
    partition: number,
    update: PartitionStateUpdate,
    expected: number,
  ): Promise<UpdatePartitionStateResult> {
    this.calls.push({ update, expected });
    const answer = (): UpdatePartitionStateResult => {
      if (expected !== this.epoch) {
        return { errorCode: ErrorCode.INVALID_UPDATE_VERSION, errorMessage: 'stale', partition: null };
      }
      this.epoch++;
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        partition: { partition, ...update, partitionEpoch: this.epoch, replicas: [0, 1, 2] },
      };
    };
    if (!this.hold) return Promise.resolve(answer());
    return new Promise((resolve) => this.held.push(() => resolve(answer())));
  }

  async release(): Promise<void> {
    const held = this.held;
    this.held = [];
    for (const f of held) f();
    await flush();
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function state(over: Partial<LeaderAndIsrState> = {}): LeaderAndIsrState {
  return {
    controllerEpoch: 1,
    leader: 0,
    leaderEpoch: 1,
    isr: [0, 1, 2],
    partitionEpoch: 5,
    replicas: [0, 1, 2],
    isNew: false,
    ...over,
  };
}

function openLog(): PartitionLog {
  return PartitionLog.open({
    dir: path.join(root, 'orders-0'),
    topic: 'orders',
    partition: 0,
    config: testConfig(),
    time,
    logger: new MemoryLogger(),
  });
}

function newPartition(writer: IsrWriter | undefined, woken: number[] = []): Partition {
  return new Partition(
    'orders',
    0,
    'AAAAAAAAAAAAAAAAAAAAAA',
    log,
    0,
    noLeaderState(0, [0, 1, 2]),
    { time, logger: new MemoryLogger() },
    {
      isrWriter: writer,
      replicaLagTimeMaxMs: LAG,
      time,
      logger: quiet,
      delayedOperations: { tryCompleteDelayedRequests: () => woken.push(log.highWatermark) },
    },
  );
}

function idempotentBatch(baseOffset: number, seq: number, count: number, leaderEpoch = 0): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({
    timestamp: time.now + i,
    key: null,
    value: Buffer.from('v'),
  }));
  return buildRecordBatch(records, {
    baseOffset,
    producerId: 7,
    producerEpoch: 0,
    baseSequence: seq,
    partitionLeaderEpoch: leaderEpoch,
  });
}

beforeEach(() => {
  root = makeTmpDir('samsa-partition-');
  time = new ManualTime();
  log = openLog();
});

afterEach(() => {
  log.close();
  removeTmpDir(root);
});

describe('the leader high watermark', () => {
  it('is the smallest log end offset in a 3-replica ISR as the followers fetch', () => {
    const woken: number[] = [];
    const p = newPartition(new FakeIsrWriter(5), woken);
    expect(p.makeLeader(state())).toBe(true);
    expect(woken).toEqual([0]); // a new leader wakes what waits on the partition
    woken.length = 0;
    p.appendRecordsToLeader(testBatch({ count: 5 }));
    expect(log.logEndOffset).toBe(5);
    expect(log.highWatermark).toBe(0);
    expect(p.updateFollowerFetchState(1, 5, 5, time.now)).toBe(false);
    expect(log.highWatermark).toBe(0); // follower 2's position is unknown
    expect(p.updateFollowerFetchState(2, 3, 5, time.now)).toBe(true);
    expect(log.highWatermark).toBe(3);
    expect(p.updateFollowerFetchState(2, 5, 5, time.now)).toBe(true);
    expect(log.highWatermark).toBe(5);
    expect(woken).toEqual([3, 5]);
  });

  it('never moves back when a follower fetches from lower', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeLeader(state({ isr: [0, 1], replicas: [0, 1] }));
    p.appendRecordsToLeader(testBatch({ count: 4 }));
    p.updateFollowerFetchState(1, 4, 4, time.now);
    expect(log.highWatermark).toBe(4);
    expect(p.updateFollowerFetchState(1, 2, 4, time.now)).toBe(false);
    expect(log.highWatermark).toBe(4);
  });

  it('follows the log end at once with an ISR of this broker alone (standalone)', () => {
    const p = new Partition(
      'orders',
      0,
      'AAAAAAAAAAAAAAAAAAAAAA',
      log,
      0,
      {
        partition: 0,
        leader: 0,
        leaderEpoch: 0,
        isr: [0],
        partitionEpoch: 0,
        replicas: [0],
      },
      { logger: new MemoryLogger() },
      { logger: quiet },
    );
    p.appendRecordsToLeader(testBatch({ count: 3 }));
    expect(log.highWatermark).toBe(3);
    expect(p.checkEnoughReplicasReachOffset(3, 1)).toBe(ErrorCode.NONE);
  });

  it('waits for a caught-up follower outside the ISR (it is about to join)', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeLeader(state({ isr: [0, 1] }));
    p.appendRecordsToLeader(testBatch({ count: 4 }));
    // Replica 2 fetched at the log end: caught up, so it holds the high watermark while it joins.
    p.updateFollowerFetchState(2, 4, 4, time.now);
    p.updateFollowerFetchState(1, 4, 4, time.now);
    expect(log.highWatermark).toBe(4);
  });

  it('answers acks=-1 checks: not yet, done, after-append min.isr, not leader', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeLeader(state({ isr: [0, 1], replicas: [0, 1] }));
    p.appendRecordsToLeader(testBatch({ count: 2 }));
    expect(p.checkEnoughReplicasReachOffset(2, 2)).toBeNull();
    p.updateFollowerFetchState(1, 2, 2, time.now);
    expect(p.checkEnoughReplicasReachOffset(2, 2)).toBe(ErrorCode.NONE);
    expect(p.checkEnoughReplicasReachOffset(2, 3)).toBe(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    p.makeFollower(state({ leader: 1, leaderEpoch: 2, partitionEpoch: 6 }));
    expect(p.checkEnoughReplicasReachOffset(2, 2)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('ignores a fetch from a broker that is not a replica', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeLeader(state({ isr: [0, 1], replicas: [0, 1] }));
    expect(p.updateFollowerFetchState(9, 0, 0, time.now)).toBe(false);
    expect(p.getReplica(9)).toBeUndefined();
  });
});

describe('ISR shrink', () => {
  it('removes a follower that has not caught up within replica.lag.time.max.ms, then moves the HW', async () => {
    const woken: number[] = [];
    const writer = new FakeIsrWriter(5);
    const p = newPartition(writer, woken);
    p.makeLeader(state());
    woken.length = 0;
    p.appendRecordsToLeader(testBatch({ count: 3 }));
    p.updateFollowerFetchState(1, 3, 3, time.now);
    expect(log.highWatermark).toBe(0);
    time.sleep(LAG);
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toEqual([]); // exactly the lag: still in sync
    time.sleep(1);
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toEqual([
      { update: { leader: 0, leaderEpoch: 1, isr: [0, 1], controllerEpoch: 1 }, expected: 5 },
    ]);
    expect(p.isr).toEqual([0, 1]);
    expect(p.partitionEpoch).toBe(6);
    expect(log.highWatermark).toBe(3);
    expect(woken).toEqual([3]);
  });

  it('keeps a follower at the log end however long ago it last fetched', async () => {
    const writer = new FakeIsrWriter(5);
    const p = newPartition(writer);
    p.makeLeader(state({ isr: [0, 1], replicas: [0, 1] }));
    p.appendRecordsToLeader(testBatch({ count: 3 }));
    p.updateFollowerFetchState(1, 3, 3, time.now);
    time.sleep(LAG * 10);
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toEqual([]);
    expect(p.isr).toEqual([0, 1]);
  });

  it('keeps a follower that keeps fetching up to the log end of its previous fetch', async () => {
    const writer = new FakeIsrWriter(5);
    const p = newPartition(writer);
    p.makeLeader(state({ isr: [0, 1], replicas: [0, 1] }));
    for (let i = 0; i < 5; i++) {
      // Each fetch reaches what the leader had at the previous one, while new appends keep coming.
      const leo = log.logEndOffset;
      p.appendRecordsToLeader(testBatch({ count: 1 }));
      time.sleep(LAG / 2);
      p.updateFollowerFetchState(1, leo, log.logEndOffset, time.now);
    }
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toEqual([]);
  });

  it('does not move the HW past a follower whose removal is still being written', async () => {
    const writer = new FakeIsrWriter(5);
    writer.hold = true;
    const p = newPartition(writer);
    p.makeLeader(state());
    p.appendRecordsToLeader(testBatch({ count: 3 }));
    p.updateFollowerFetchState(1, 3, 3, time.now);
    time.sleep(LAG + 1);
    const shrink = p.maybeShrinkIsr(time.now);
    expect(p.isrChangeInFlight).toBe(true);
    expect(p.maximalIsr).toEqual([0, 1, 2]);
    p.updateFollowerFetchState(1, 3, 3, time.now);
    expect(log.highWatermark).toBe(0);
    expect(p.checkEnoughReplicasReachOffset(3, 3)).toBeNull();
    // No second change starts while one is in flight.
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toHaveLength(1);
    await writer.release();
    await shrink;
    expect(p.isr).toEqual([0, 1]);
    expect(log.highWatermark).toBe(3);
  });

  it('keeps the ISR when the write is refused as stale, and waits for a new state', async () => {
    const writer = new FakeIsrWriter(9); // the controller moved the state on
    const p = newPartition(writer);
    p.makeLeader(state());
    p.appendRecordsToLeader(testBatch({ count: 3 }));
    time.sleep(LAG + 1);
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toHaveLength(1);
    expect(p.isr).toEqual([0, 1, 2]);
    expect(p.partitionEpoch).toBe(5);
    expect(p.isrChangeInFlight).toBe(false);
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toHaveLength(1);
    // The controller's LeaderAndIsr (same leader epoch, new partition epoch) lifts the wait.
    expect(p.makeLeader(state({ isr: [0, 1, 2], partitionEpoch: 9 }))).toBe(false);
    time.sleep(LAG + 1);
    await p.maybeShrinkIsr(time.now);
    expect(writer.calls).toHaveLength(2);
    expect(writer.calls[1]!.expected).toBe(9);
    expect(p.isr).toEqual([0]);
  });

  it('lets a state that arrives during the write win over the write', async () => {
    const writer = new FakeIsrWriter(5);
    writer.hold = true;
    const p = newPartition(writer);
    p.makeLeader(state());
    time.sleep(LAG + 1);
    const shrink = p.maybeShrinkIsr(time.now);
    p.makeLeader(state({ leaderEpoch: 2, isr: [0, 2], partitionEpoch: 7 }));
    await writer.release();
    await shrink;
    expect(p.isr).toEqual([0, 2]);
    expect(p.partitionEpoch).toBe(7);
  });

  it('keeps the ISR when the store cannot write, and tries again at the next check', async () => {
    const failing: IsrWriter = { updatePartitionState: () => Promise.reject(new Error('ZooKeeper is away')) };
    const p = newPartition(failing);
    p.makeLeader(state());
    time.sleep(LAG + 1);
    await p.maybeShrinkIsr(time.now);
    expect(p.isr).toEqual([0, 1, 2]);
    expect(p.isrChangeInFlight).toBe(false);
  });

  it('never changes the ISR without a writer, or on a follower', async () => {
    const p = newPartition(undefined);
    p.makeLeader(state());
    time.sleep(LAG + 1);
    await p.maybeShrinkIsr(time.now);
    expect(p.isr).toEqual([0, 1, 2]);
    const writer = new FakeIsrWriter(5);
    const f = newPartition(writer);
    f.makeFollower(state({ leader: 1 }));
    await f.maybeShrinkIsr(time.now + LAG * 2);
    expect(writer.calls).toEqual([]);
  });
});

describe('ISR expand', () => {
  it('adds a follower once it reaches the high watermark', async () => {
    const writer = new FakeIsrWriter(5);
    const p = newPartition(writer);
    p.makeLeader(state({ isr: [0, 1] }));
    p.appendRecordsToLeader(testBatch({ count: 4 }));
    p.updateFollowerFetchState(1, 4, 4, time.now);
    expect(log.highWatermark).toBe(4);
    p.updateFollowerFetchState(2, 2, 4, time.now);
    expect(writer.calls).toEqual([]);
    p.updateFollowerFetchState(2, 4, 4, time.now);
    expect(writer.calls).toEqual([
      { update: { leader: 0, leaderEpoch: 1, isr: [0, 1, 2], controllerEpoch: 1 }, expected: 5 },
    ]);
    expect(p.maximalIsr).toEqual([0, 1, 2]); // counted at once, before the write is acknowledged
    await flush();
    expect(p.isr).toEqual([0, 1, 2]);
    expect(p.partitionEpoch).toBe(6);
  });

  it('waits until the follower reaches the start of this leader epoch', async () => {
    // Offsets 0-4 written in epoch 0, then this broker leads epoch 1 from offset 5, high watermark 2.
    log.appendAsFollower(testBatch({ count: 5, partitionLeaderEpoch: 0 }));
    log.updateHighWatermark(2);
    const writer = new FakeIsrWriter(5);
    const p = newPartition(writer);
    p.makeLeader(state({ isr: [0, 1] }));
    expect(p.leaderEpochStartOffset).toBe(5);
    p.updateFollowerFetchState(2, 3, 5, time.now);
    expect(writer.calls).toEqual([]);
    p.updateFollowerFetchState(2, 5, 5, time.now);
    expect(writer.calls).toHaveLength(1);
    await flush();
    expect(p.isr).toEqual([0, 1, 2]);
  });

  it('never adds a broker outside the replica set', async () => {
    const writer = new FakeIsrWriter(5);
    const p = newPartition(writer);
    p.makeLeader(state({ isr: [0], replicas: [0, 1] }));
    p.updateFollowerFetchState(2, 0, 0, time.now);
    await flush();
    expect(writer.calls).toEqual([]);
  });
});

describe('makeLeader and makeFollower', () => {
  it('tell whether the role or the epoch changed, and refuse an older partition epoch', () => {
    const p = newPartition(new FakeIsrWriter(5));
    expect(p.isLeader).toBe(false);
    expect(p.makeLeader(state())).toBe(true);
    expect(p.makeLeader(state())).toBe(false);
    expect(p.makeLeader(state({ leaderEpoch: 2, partitionEpoch: 6 }))).toBe(true);
    expect(p.leaderEpoch).toBe(2);
    expect(p.controllerEpoch).toBe(1);
    expect(p.makeFollower(state({ leader: 1, leaderEpoch: 3, partitionEpoch: 4 }))).toBe(false);
    expect(p.isLeader).toBe(true);
    expect(p.makeFollower(state({ leader: 1, leaderEpoch: 3, partitionEpoch: 7, controllerEpoch: 2 }))).toBe(true);
    expect(p.isLeader).toBe(false);
    expect(p.leaderId).toBe(1);
    expect(p.isr).toEqual([]);
    expect(p.controllerEpoch).toBe(2);
    expect(p.leaderEpochStartOffset).toBe(-1);
    expect(p.makeFollower(state({ leader: 1, leaderEpoch: 3, partitionEpoch: 8 }))).toBe(false);
    expect(p.makeFollower(state({ leader: 2, leaderEpoch: 4, partitionEpoch: 9 }))).toBe(true);
    expect(p.makeLeader(state({ leaderEpoch: 5, partitionEpoch: 10 }))).toBe(true);
  });

  it('starts each new leader epoch at the log end in the leader-epoch cache', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeLeader(state());
    p.appendRecordsToLeader(testBatch({ count: 3 }));
    p.makeLeader(state({ leaderEpoch: 4, partitionEpoch: 6 }));
    expect(log.leaderEpochCache.entries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 4, startOffset: 3 },
    ]);
    expect(p.leaderEpochStartOffset).toBe(3);
  });

  it('resets followers: ISR members caught up now, others never, a new leader forgets positions', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeLeader(state({ isr: [0, 1] }));
    expect(p.getReplica(1)!.lastCaughtUpTimeMs).toBe(time.now);
    expect(p.getReplica(2)!.lastCaughtUpTimeMs).toBe(0);
    p.updateFollowerFetchState(1, 0, 0, time.now);
    time.sleep(5);
    p.makeLeader(state({ leaderEpoch: 2, partitionEpoch: 6, isr: [0, 1] }));
    expect(p.getReplica(1)!.logEndOffset).toBe(0); // re-elected: kept
    expect(p.getReplica(1)!.lastCaughtUpTimeMs).toBe(time.now);
    p.makeFollower(state({ leader: 1, leaderEpoch: 3, partitionEpoch: 7 }));
    expect(p.getReplica(1)).toBeUndefined();
    p.makeLeader(state({ leaderEpoch: 4, partitionEpoch: 8, isr: [0, 1] }));
    expect(p.getReplica(1)!.logEndOffset).toBe(-1);
  });

  it('applies the store state standalone (updateState), ignoring an older leader epoch', () => {
    const p = new Partition(
      'orders',
      0,
      'AAAAAAAAAAAAAAAAAAAAAA',
      log,
      0,
      {
        partition: 0,
        leader: 0,
        leaderEpoch: 3,
        isr: [0],
        partitionEpoch: 3,
        replicas: [0],
      },
      { logger: new MemoryLogger() },
      { logger: quiet },
    );
    expect(log.leaderEpochCache.entries).toEqual([{ epoch: 3, startOffset: 0 }]);
    p.updateState({ partition: 0, leader: 1, leaderEpoch: 2, isr: [1], partitionEpoch: 4, replicas: [0, 1] });
    expect(p.isLeader).toBe(true);
    p.updateState({ partition: 0, leader: 1, leaderEpoch: 4, isr: [1], partitionEpoch: 4, replicas: [0, 1] });
    expect(p.isLeader).toBe(false);
    expect(p.leaderEpoch).toBe(4);
  });
});

describe('the follower side', () => {
  it('appends the leader batches at their offsets, keeping the producer state', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeFollower(state({ leader: 1 }));
    expect(p.appendRecordsToFollower(Buffer.alloc(0))).toBeNull();
    const info = p.appendRecordsToFollower(Buffer.concat([idempotentBatch(0, 0, 3), idempotentBatch(3, 3, 2)]));
    expect(info).toMatchObject({ baseOffset: 0, lastOffset: 4, batchCount: 2 });
    expect(p.producerStateManager.lastEntry(7)!.lastSeq).toBe(4);
    expect(p.producerStateManager.mapEndOffset).toBe(5);
    // Promoted, it recognises the producer's retry as a duplicate and takes the next sequence.
    p.makeLeader(state({ leaderEpoch: 2, partitionEpoch: 6 }));
    const batch = { producerId: 7, producerEpoch: 0, isTransactional: false };
    expect(p.producerStateManager.prepareAppend({ ...batch, baseSequence: 3, lastSequence: 4 }).kind).toBe('duplicate');
    expect(p.producerStateManager.prepareAppend({ ...batch, baseSequence: 5, lastSequence: 5 }).kind).toBe('append');
    expect(p.producerStateManager.prepareAppend({ ...batch, baseSequence: 7, lastSequence: 7 })).toMatchObject({
      kind: 'rejected',
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
  });

  it('refuses batches below its log end', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeFollower(state({ leader: 1 }));
    p.appendRecordsToFollower(testBatch({ count: 2 }));
    expect(() => p.appendRecordsToFollower(testBatch({ count: 1, baseOffset: 1 }))).toThrow(/below the log end/);
  });

  it('truncates the log and reloads the producer state', () => {
    const p = newPartition(new FakeIsrWriter(5));
    p.makeFollower(state({ leader: 1 }));
    p.appendRecordsToFollower(Buffer.concat([idempotentBatch(0, 0, 3), idempotentBatch(3, 3, 2, 1)]));
    p.truncateTo(3);
    expect(log.logEndOffset).toBe(3);
    expect(p.producerStateManager.lastEntry(7)!.lastSeq).toBe(2);
    expect(p.producerStateManager.mapEndOffset).toBe(3);
    expect(log.leaderEpochCache.entries).toEqual([{ epoch: 0, startOffset: 0 }]);
    p.truncateTo(10); // past the end: nothing to do
    expect(log.logEndOffset).toBe(3);
    p.truncateFullyAndStartAt(20);
    expect(log.logEndOffset).toBe(20);
    expect(p.producerStateManager.lastEntry(7)).toBeUndefined();
  });

  it('takes the leader high watermark, bounded by its own log end', () => {
    const woken: number[] = [];
    const p = newPartition(new FakeIsrWriter(5), woken);
    p.makeFollower(state({ leader: 1 }));
    woken.length = 0;
    p.appendRecordsToFollower(testBatch({ count: 4 }));
    p.updateFollowerHighWatermark(10);
    expect(log.highWatermark).toBe(4);
    p.updateFollowerHighWatermark(2);
    expect(log.highWatermark).toBe(2);
    p.updateFollowerHighWatermark(2);
    expect(woken).toEqual([4, 2]);
  });
});

describe('divergingEpoch', () => {
  beforeEach(() => {
    // Epoch 0 at offsets 0-4, epoch 2 at 5-9.
    log.appendAsFollower(testBatch({ count: 5, partitionLeaderEpoch: 0 }));
    log.appendAsFollower(testBatch({ count: 5, baseOffset: 5, partitionLeaderEpoch: 2 }));
  });

  it('is null when the follower agrees up to its fetch offset', () => {
    const p = newPartition(undefined);
    expect(p.divergingEpoch(2, 10)).toBeNull();
    expect(p.divergingEpoch(0, 5)).toBeNull();
  });

  it('names the epoch and end offset where the follower diverges', () => {
    const p = newPartition(undefined);
    expect(p.divergingEpoch(1, 7)).toEqual({ leaderEpoch: 0, endOffset: 5 });
    expect(p.divergingEpoch(0, 6)).toEqual({ leaderEpoch: 0, endOffset: 5 });
  });

  it('is OFFSET_OUT_OF_RANGE for an epoch this log cannot place', () => {
    const p = newPartition(undefined);
    expect(() => p.divergingEpoch(7, 10)).toThrow(PartitionError);
    try {
      p.divergingEpoch(7, 10);
    } catch (err) {
      expect((err as PartitionError).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    }
  });
});
