import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { FetchManager, type FetchRequestMetadata } from './fetch-context.js';
import { CachedPartition, FetchSessionCache, nextEpoch, sessionKey, type FetchTarget } from './fetch-session.js';

const target = (topic: string, partition: number, fetchOffset = 0, topicId = ZERO_UUID): FetchTarget => ({
  topic,
  topicId,
  partition,
  fetchOffset,
  partitionMaxBytes: 1 << 20,
  currentLeaderEpoch: -1,
  logStartOffset: -1,
  lastFetchedEpoch: -1,
});

const partitions = (n: number) => () => {
  const m = new Map<string, CachedPartition>();
  for (let i = 0; i < n; i++) m.set(`t:${i}`, new CachedPartition(target('t', i)));
  return m;
};

const outcome = (t: FetchTarget, hw: number, bytes = 0, errorCode = 0) => ({
  target: t,
  errorCode,
  highWatermark: hw,
  logStartOffset: 0,
  bytes,
  preferredReadReplica: -1,
});

function request(over: Partial<FetchRequestMetadata>, targets: FetchTarget[] = []): FetchRequestMetadata {
  const fetchData = new Map(targets.map((t) => [sessionKey(t.topic, t.topicId, t.partition), t]));
  return { version: 12, sessionId: 0, sessionEpoch: 0, isFromFollower: false, fetchData, toForget: [], ...over };
}

describe('nextEpoch', () => {
  it('counts up, wraps to 1, and stays final', () => {
    expect(nextEpoch(0)).toBe(1);
    expect(nextEpoch(0x7fffffff)).toBe(1);
    expect(nextEpoch(-1)).toBe(-1);
  });
});

describe('FetchSessionCache eviction', () => {
  it('admits sessions until full, then refuses one worth no more than the least valuable', () => {
    const cache = new FetchSessionCache(2, 1000);
    expect(cache.maybeCreateSession(0, false, 3, false, partitions(3))).not.toBe(0);
    expect(cache.maybeCreateSession(0, false, 3, false, partitions(3))).not.toBe(0);
    // Not yet older than evictionMs: nobody is evictable by a consumer.
    expect(cache.maybeCreateSession(10, false, 5, false, partitions(5))).toBe(0);
    expect(cache.size).toBe(2);
    expect(cache.totalPartitions).toBe(6);
  });

  it('evicts a session idle longer than evictionMs first', () => {
    const cache = new FetchSessionCache(2, 1000);
    const a = cache.maybeCreateSession(0, false, 10, false, partitions(10));
    const b = cache.maybeCreateSession(500, false, 10, false, partitions(10));
    const c = cache.maybeCreateSession(1200, false, 1, false, partitions(1));
    expect(c).not.toBe(0);
    expect(cache.get(a)).toBeUndefined();
    expect(cache.get(b)).toBeDefined();
    expect(cache.evictions).toBe(1);
  });

  it('lets a bigger session evict an older, smaller one, but not an equal one', () => {
    const cache = new FetchSessionCache(1, 1000);
    const small = cache.maybeCreateSession(0, false, 2, false, partitions(2));
    cache.touch(cache.get(small)!, 1500); // used recently, but created long ago: evictable by all
    expect(cache.maybeCreateSession(1600, false, 2, false, partitions(2))).toBe(0);
    const big = cache.maybeCreateSession(1600, false, 3, false, partitions(3));
    expect(big).not.toBe(0);
    expect(cache.get(small)).toBeUndefined();
  });

  it('lets a follower (privileged) session evict a fresh consumer session, never the reverse', () => {
    const cache = new FetchSessionCache(1, 1000);
    const consumer = cache.maybeCreateSession(0, false, 100, false, partitions(100));
    const follower = cache.maybeCreateSession(1, true, 1, false, partitions(1));
    expect(follower).not.toBe(0);
    expect(cache.get(consumer)).toBeUndefined();
    expect(cache.maybeCreateSession(2, false, 100, false, partitions(100))).toBe(0);
    expect(cache.get(follower)?.privileged).toBe(true);
  });

  it('creates nothing with zero slots', () => {
    expect(new FetchSessionCache(0).maybeCreateSession(0, true, 1, false, partitions(1))).toBe(0);
  });
});

describe('FetchManager contexts', () => {
  const names = () => null;

  it('full fetch creates a session; incremental fetches update, prune and rotate it', () => {
    const m = new FetchManager(new FetchSessionCache(10));
    const full = m.newContext(request({}, [target('t', 0), target('t', 1)]), 0, names);
    const res = full.respond(
      full.targets.map((t) => outcome(t, 5)),
      0,
    );
    expect(res.sessionId).not.toBe(0);
    const id = res.sessionId;
    // Epoch 1, nothing changed: both partitions are read, none is named.
    const inc = m.newContext(request({ sessionId: id, sessionEpoch: 1 }), 1, names);
    expect(inc.targets.map((t) => t.partition)).toEqual([0, 1]);
    expect(
      inc.respond(
        inc.targets.map((t) => outcome(t, 5)),
        1,
      ).partitions,
    ).toEqual([]);
    // Epoch 2: partition 0 moves its offset; partition 0 returns data, partition 1 a new HW.
    const inc2 = m.newContext(request({ sessionId: id, sessionEpoch: 2 }, [target('t', 0, 5)]), 2, names);
    expect(inc2.targets[0]!.fetchOffset).toBe(5);
    const r2 = inc2.respond([outcome(inc2.targets[0]!, 6, 100), outcome(inc2.targets[1]!, 7)], 2);
    expect(r2.partitions.map((p) => p.target.partition)).toEqual([0, 1]);
    // Partition 0 returned data, so it is read last next time.
    const inc3 = m.newContext(request({ sessionId: id, sessionEpoch: 3, toForget: ['t:1'] }), 3, names);
    expect(inc3.targets.map((t) => t.partition)).toEqual([0]);
  });

  it('answers session errors', () => {
    const m = new FetchManager(new FetchSessionCache(10));
    expect(m.newContext(request({ sessionId: 42, sessionEpoch: 1 }), 0, names).error).toBe(
      ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    );
    const full = m.newContext(request({}, [target('t', 0)]), 0, names);
    const id = full.respond([outcome(full.targets[0]!, 1)], 0).sessionId;
    expect(m.newContext(request({ sessionId: id, sessionEpoch: 5 }), 0, names).error).toBe(
      ErrorCode.INVALID_FETCH_SESSION_EPOCH,
    );
    const err = m.newContext(request({ version: 13, sessionId: id, sessionEpoch: 1 }), 0, names);
    expect(err.error).toBe(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    expect(err.respond([], 0)).toEqual({
      errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
      sessionId: 0,
      partitions: [],
    });
  });

  it('answers INVALID_FETCH_SESSION_EPOCH when a duplicate request moved the epoch meanwhile', () => {
    const m = new FetchManager(new FetchSessionCache(10));
    const full = m.newContext(request({}, [target('t', 0)]), 0, names);
    const id = full.respond([outcome(full.targets[0]!, 1)], 0).sessionId;
    const first = m.newContext(request({ sessionId: id, sessionEpoch: 1 }), 1, names);
    const second = m.newContext(request({ sessionId: id, sessionEpoch: 2 }), 1, names);
    expect(first.respond([outcome(first.targets[0]!, 2)], 1)).toMatchObject({
      errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH,
      sessionId: id,
    });
    expect(second.respond([outcome(second.targets[0]!, 2)], 1).partitions).toHaveLength(1);
  });

  it('closes the session named by a full request; epoch -1 creates none', () => {
    const cache = new FetchSessionCache(10);
    const m = new FetchManager(cache);
    const full = m.newContext(request({}, [target('t', 0)]), 0, names);
    const id = full.respond([outcome(full.targets[0]!, 1)], 0).sessionId;
    const final = m.newContext(request({ sessionId: id, sessionEpoch: -1 }, [target('t', 0)]), 0, names);
    expect(cache.get(id)).toBeUndefined();
    expect(final.respond([outcome(final.targets[0]!, 1)], 0).sessionId).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('an incremental fetch that forgets every partition closes the session', () => {
    const cache = new FetchSessionCache(10);
    const m = new FetchManager(cache);
    const full = m.newContext(request({}, [target('t', 0)]), 0, names);
    const id = full.respond([outcome(full.targets[0]!, 1)], 0).sessionId;
    const ctx = m.newContext(request({ sessionId: id, sessionEpoch: 1, toForget: ['t:0'] }), 0, names);
    expect(ctx.targets).toEqual([]);
    expect(ctx.respond([], 0).sessionId).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('resolves topic ids a topic-id session did not know when it was made', () => {
    const m = new FetchManager(new FetchSessionCache(10));
    const id22 = 'AAAAAAAAAAAAAAAAAAAAAQ';
    const t = { ...target('x', 0, 0, id22), topic: null };
    const full = m.newContext(request({ version: 13 }, [t]), 0, () => null);
    const sid = full.respond([outcome(t, -1, 0, ErrorCode.UNKNOWN_TOPIC_ID)], 0).sessionId;
    const inc = m.newContext(request({ version: 13, sessionId: sid, sessionEpoch: 1 }), 0, (id) =>
      id === id22 ? 'late' : null,
    );
    expect(inc.targets[0]!.topic).toBe('late');
  });
});

describe('CachedPartition.maybeUpdateResponseData', () => {
  it('always names a partition answering a diverging epoch, even with nothing else new', () => {
    const cached = new CachedPartition(target('t', 0));
    const same = outcome(target('t', 0), 5);
    expect(cached.maybeUpdateResponseData(same, true)).toBe(true); // first answer: new high watermark
    expect(cached.maybeUpdateResponseData(same, true)).toBe(false);
    expect(cached.maybeUpdateResponseData({ ...same, divergingEpoch: null }, true)).toBe(false);
    expect(cached.maybeUpdateResponseData({ ...same, divergingEpoch: { epoch: 1, endOffset: 3 } }, true)).toBe(true);
  });
});
