import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { PartitionLog } from '../../log/partition-log.js';
import {
  ManualTime,
  MemoryLogger,
  makeTmpDir,
  removeTmpDir,
  testBatch,
  testConfig,
} from '../../log/testing/test-batches.js';
import { Purgatory } from '../delayed/purgatory.js';
import { Logger } from '../logger.js';
import type { UpdatePartitionStateResult } from '../metadata/types.js';
import { noLeaderState, Partition } from '../partition.js';
import { DelayedProduce, pendingStatus, type ProducePartitionStatus } from './delayed-produce.js';

// DelayedProduce over real partitions (real logs in a temp dir) in a real purgatory, woken the way the
// ReplicaManager wakes it: from the partition's high watermark moves.
const LAG = 10_000;
const quiet = new Logger('test');
quiet.log = () => undefined;
let root: string;
let time: ManualTime;
let purgatory: Purgatory;
const partitions = new Map<string, Partition>();
const logs: PartitionLog[] = [];

const okWriter = {
  updatePartitionState: (_t: string, partition: number, update: { isr: readonly number[] }, expected: number) =>
    Promise.resolve<UpdatePartitionStateResult>({
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      partition: {
        partition,
        leader: 0,
        leaderEpoch: 1,
        isr: update.isr,
        partitionEpoch: expected + 1,
        replicas: [0, 1],
      },
    }),
};

/** Leader of `key` (epoch 1) with replicas [0, 1] and the given ISR, holding 3 records. */
function leader(key: string, isr: readonly number[]): Partition {
  const log = PartitionLog.open({
    dir: path.join(root, key),
    topic: key.slice(0, key.lastIndexOf('-')),
    partition: 0,
    config: testConfig(),
    time,
    logger: new MemoryLogger(),
  });
  logs.push(log);
  const p = new Partition(
    log.topic,
    0,
    'AAAAAAAAAAAAAAAAAAAAAA',
    log,
    0,
    noLeaderState(0, [0, 1]),
    { time, logger: new MemoryLogger() },
    {
      isrWriter: okWriter,
      replicaLagTimeMaxMs: LAG,
      time,
      logger: quiet,
      delayedOperations: { tryCompleteDelayedRequests: () => purgatory.checkAndComplete(key) },
    },
  );
  p.makeLeader({
    controllerEpoch: 1,
    leader: 0,
    leaderEpoch: 1,
    isr,
    partitionEpoch: 1,
    replicas: [0, 1],
    isNew: true,
  });
  p.appendRecordsToLeader(testBatch({ count: 3 }));
  partitions.set(key, p);
  return p;
}

function waitOn(statuses: ProducePartitionStatus[], timeoutMs = 30_000): { done: () => boolean } {
  let done = false;
  const op = new DelayedProduce({ getPartitionByKey: (k) => partitions.get(k) }, statuses, () => {
    expect(done).toBe(false);
    done = true;
  });
  purgatory.tryCompleteElseWatch(op, op.keys, timeoutMs);
  return { done: () => done };
}

beforeEach(() => {
  root = makeTmpDir('samsa-delayed-produce-');
  time = new ManualTime();
  purgatory = new Purgatory();
});

afterEach(() => {
  vi.useRealTimers();
  purgatory.expireAll();
  partitions.clear();
  for (const l of logs.splice(0)) l.close();
  removeTmpDir(root);
});

describe('DelayedProduce', () => {
  it('completes at once when the ISR is this broker alone', () => {
    leader('t-0', [0]);
    const s = pendingStatus('t-0', 2, 1);
    expect(waitOn([s]).done()).toBe(true);
    expect(s).toMatchObject({ acksPending: false, errorCode: ErrorCode.NONE });
    expect(purgatory.size).toBe(0);
  });

  it('completes when the follower fetch moves the high watermark past the append', () => {
    const p = leader('t-0', [0, 1]);
    const s = pendingStatus('t-0', 2, 2);
    const w = waitOn([s]);
    expect(w.done()).toBe(false);
    p.updateFollowerFetchState(1, 2, 3, time.now); // HW 2: not yet
    expect(w.done()).toBe(false);
    p.updateFollowerFetchState(1, 3, 3, time.now);
    expect(w.done()).toBe(true);
    expect(s.errorCode).toBe(ErrorCode.NONE);
  });

  it('answers REQUEST_TIMED_OUT for the partitions still waiting at timeout_ms', () => {
    vi.useFakeTimers();
    leader('a-0', [0]);
    leader('b-0', [0, 1]);
    const a = pendingStatus('a-0', 2, 1);
    const b = pendingStatus('b-0', 2, 1);
    const w = waitOn([a, b], 500);
    expect(w.done()).toBe(false);
    vi.advanceTimersByTime(499);
    expect(w.done()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(w.done()).toBe(true);
    expect(a.errorCode).toBe(ErrorCode.NONE);
    expect(b).toMatchObject({ acksPending: true, errorCode: ErrorCode.REQUEST_TIMED_OUT });
  });

  it('answers NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below min.insync.replicas', async () => {
    const p = leader('t-0', [0, 1]);
    const s = pendingStatus('t-0', 2, 2);
    const w = waitOn([s]);
    time.sleep(LAG + 1);
    await p.maybeShrinkIsr(time.now);
    expect(p.isr).toEqual([0]);
    expect(w.done()).toBe(true);
    expect(s.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
  });

  it('answers NOT_LEADER_OR_FOLLOWER as soon as this broker becomes follower', () => {
    const p = leader('t-0', [0, 1]);
    const moved = pendingStatus('t-0', 2, 1);
    const w = waitOn([moved]);
    p.makeFollower({
      controllerEpoch: 1,
      leader: 1,
      leaderEpoch: 2,
      isr: [1],
      partitionEpoch: 2,
      replicas: [0, 1],
      isNew: false,
    });
    // makeFollower itself wakes the purgatory.
    expect(w.done()).toBe(true);
    expect(moved.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('completes across a leader epoch bump that keeps this broker leader (the controller shrank the ISR)', () => {
    const p = leader('t-0', [0, 1]);
    const s = pendingStatus('t-0', 2, 1);
    const w = waitOn([s]);
    p.makeLeader({
      controllerEpoch: 1,
      leader: 0,
      leaderEpoch: 2,
      isr: [0],
      partitionEpoch: 2,
      replicas: [0, 1],
      isNew: false,
    });
    expect(w.done()).toBe(true);
    expect(s.errorCode).toBe(ErrorCode.NONE);
  });

  it('answers NOT_LEADER_OR_FOLLOWER when the partition went away', () => {
    leader('t-0', [0, 1]);
    const s = pendingStatus('t-0', 2, 1);
    const w = waitOn([s]);
    partitions.delete('t-0');
    purgatory.checkAndComplete('t-0');
    expect(w.done()).toBe(true);
    expect(s.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });
});
