import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';

/**
 * Incremental fetch sessions (KIP-227, Kafka's FetchSession and FetchSessionCache).
 *
 * A fetcher names a session by (sessionId, epoch). Session id 0 means none. Epoch 0 (INITIAL) asks for
 * a full fetch that may create a session; epoch -1 (FINAL) a full fetch that creates none; any other
 * epoch is an incremental fetch of an existing session and must equal the session's epoch, which
 * moves on by one (wrapping to 1 after 2^31-1) with every incremental fetch. Pre-v7 requests carry
 * (0, -1).
 *
 * A session caches, per partition, the request parameters last sent (so an incremental request names
 * only what changed) and the high watermark and log start offset last answered (so an incremental
 * response names only partitions whose data, offsets or error changed). The partitions' order is the
 * order in which an incremental fetch reads them; a partition that returned records moves to the end,
 * so partitions share the response's byte budget in turn.
 */
export const INVALID_SESSION_ID = 0;
export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;

/** Kafka's `min.incremental.fetch.session.eviction.ms` (an internal setting, fixed at its default). */
export const MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS = 120_000;

export function nextEpoch(prev: number): number {
  if (prev < 0) return FINAL_EPOCH;
  return prev === 0x7fffffff ? 1 : prev + 1;
}

/**
 * Identifies a partition within a session: by topic id once topic ids are in use (v13+, where a name
 * may be unknown), by name before. Topic names ([a-zA-Z0-9._-]) and ids (base64url) never hold ':'.
 */
export function sessionKey(topic: string | null, topicId: string, partition: number): string {
  return `${topicId !== ZERO_UUID ? topicId : (topic ?? '')}:${partition}`;
}

/** What a fetch asks of one partition: the request's partition fields, resolved to a topic name. */
export interface FetchTarget {
  /** Null when a v13+ topic id names no topic this broker knows. */
  readonly topic: string | null;
  /** ZERO_UUID before v13. */
  readonly topicId: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
  readonly currentLeaderEpoch: number;
  readonly logStartOffset: number;
  readonly lastFetchedEpoch: number;
}

/** The response fields a session compares to decide whether an incremental response names a partition. */
export interface PartitionOutcome {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly bytes: number;
  readonly preferredReadReplica: number;
  /** Fetch v12+: set when the fetcher must truncate; such a partition is always answered. */
  readonly divergingEpoch?: { readonly epoch: number; readonly endOffset: number } | null;
}

/** One partition of a session; it serves as the fetch target of incremental fetches as it stands. */
export class CachedPartition implements FetchTarget {
  topic: string | null;
  readonly topicId: string;
  readonly partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  logStartOffset: number;
  lastFetchedEpoch: number;
  /** The high watermark last answered; -1 after an error, so the partition is named again once it clears. */
  highWatermark = -1;
  /** The leader's log start offset last answered. */
  localLogStartOffset = -1;

  constructor(req: FetchTarget) {
    this.topic = req.topic;
    this.topicId = req.topicId;
    this.partition = req.partition;
    this.fetchOffset = req.fetchOffset;
    this.partitionMaxBytes = req.partitionMaxBytes;
    this.currentLeaderEpoch = req.currentLeaderEpoch;
    this.logStartOffset = req.logStartOffset;
    this.lastFetchedEpoch = req.lastFetchedEpoch;
  }

  updateRequestParams(req: FetchTarget): void {
    this.fetchOffset = req.fetchOffset;
    this.partitionMaxBytes = req.partitionMaxBytes;
    this.currentLeaderEpoch = req.currentLeaderEpoch;
    this.logStartOffset = req.logStartOffset;
    this.lastFetchedEpoch = req.lastFetchedEpoch;
  }

  /**
   * Whether an incremental response must name this partition: it has records, an error, a preferred
   * read replica, or a high watermark or log start offset other than the last answered. With `update`,
   * remembers the answered offsets.
   */
  maybeUpdateResponseData(out: PartitionOutcome, update: boolean): boolean {
    let mustRespond = out.bytes > 0 || out.preferredReadReplica >= 0;
    if (this.highWatermark !== out.highWatermark) {
      mustRespond = true;
      if (update) this.highWatermark = out.highWatermark;
    }
    if (this.localLogStartOffset !== out.logStartOffset) {
      mustRespond = true;
      if (update) this.localLogStartOffset = out.logStartOffset;
    }
    if (out.errorCode !== ErrorCode.NONE) {
      if (update) this.highWatermark = -1;
      mustRespond = true;
    }
    if (out.divergingEpoch != null) mustRespond = true;
    return mustRespond;
  }
}

export class FetchSession {
  /** Insertion-ordered: the order incremental fetches read the partitions in. */
  readonly partitions: Map<string, CachedPartition>;
  epoch: number;
  lastUsedMs: number;
  /** The partition count when last touched; -1 while not in the cache. */
  cachedSize = -1;
  /** Eviction classes, decided when last touched (Kafka's evictableByAll / evictableByPrivileged). */
  evictableByAll = false;
  evictableByPrivileged = false;

  constructor(
    readonly id: number,
    readonly privileged: boolean,
    partitions: Map<string, CachedPartition>,
    readonly usesTopicIds: boolean,
    readonly creationMs: number,
  ) {
    this.partitions = partitions;
    this.epoch = nextEpoch(INITIAL_EPOCH);
    this.lastUsedMs = creationMs;
  }

  /** Applies an incremental request: new or changed partitions, then the forgotten ones. */
  update(fetchData: ReadonlyMap<string, FetchTarget>, toForget: readonly string[]): void {
    for (const [key, req] of fetchData) {
      const cached = this.partitions.get(key);
      if (cached === undefined) this.partitions.set(key, new CachedPartition(req));
      else cached.updateRequestParams(req);
    }
    for (const key of toForget) this.partitions.delete(key);
  }
}

/**
 * At most `maxEntries` sessions (max.incremental.fetch.session.cache.slots). When full, a new session
 * may evict (Kafka's tryEvict): first the least recently used one if it has been idle longer than
 * `evictionMs`; else the least valuable evictable one, ordered by (privileged, partition count, id),
 * if the newcomer is worth more. A session is evictable by anyone once older than `evictionMs`, and by
 * a privileged (follower) newcomer at once if it is a consumer's.
 *
 * Differences from Kafka: one shard (Kafka splits the slots over 8 shards for its request threads);
 * the eviction candidates are found by a scan when the cache is full rather than from sorted trees.
 */
export class FetchSessionCache {
  /** Ordered by last use: touch() re-inserts, so the first entry is the least recently used. */
  private readonly sessions = new Map<number, FetchSession>();
  private numPartitions = 0;
  evictions = 0;

  constructor(
    readonly maxEntries: number,
    readonly evictionMs: number = MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get totalPartitions(): number {
    return this.numPartitions;
  }

  get(sessionId: number): FetchSession | undefined {
    return this.sessions.get(sessionId);
  }

  /** Creates a session unless the cache is full and nothing may be evicted; returns its id or 0. */
  maybeCreateSession(
    now: number,
    privileged: boolean,
    size: number,
    usesTopicIds: boolean,
    createPartitions: () => Map<string, CachedPartition>,
  ): number {
    if (this.sessions.size >= this.maxEntries && !this.tryEvict(privileged, size, now)) return INVALID_SESSION_ID;
    const session = new FetchSession(this.newSessionId(), privileged, createPartitions(), usesTopicIds, now);
    this.sessions.set(session.id, session);
    this.touch(session, now);
    return session.id;
  }

  remove(sessionId: number): FetchSession | undefined {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return undefined;
    this.sessions.delete(sessionId);
    this.numPartitions -= session.cachedSize;
    session.cachedSize = -1;
    return session;
  }

  /** Marks a session used now: last in the LRU order, its size and eviction classes refreshed. */
  touch(session: FetchSession, now: number): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    session.lastUsedMs = now;
    if (session.cachedSize !== -1) this.numPartitions -= session.cachedSize;
    session.cachedSize = session.partitions.size;
    this.numPartitions += session.cachedSize;
    const old = now - session.creationMs > this.evictionMs;
    session.evictableByPrivileged = !session.privileged || old;
    session.evictableByAll = old;
  }

  private tryEvict(privileged: boolean, size: number, now: number): boolean {
    const lru = this.sessions.values().next();
    if (lru.done) return false;
    if (now - lru.value.lastUsedMs > this.evictionMs) {
      this.evict(lru.value);
      return true;
    }
    let victim: FetchSession | undefined;
    for (const s of this.sessions.values()) {
      if (!(privileged ? s.evictableByPrivileged : s.evictableByAll)) continue;
      if (victim === undefined || compareEvictable(s, victim) < 0) victim = s;
    }
    // The newcomer's key has id 0, below every real id: it wins only if strictly more valuable.
    if (victim === undefined || compareKeys(privileged, size, 0, victim.privileged, victim.cachedSize, victim.id) < 0)
      return false;
    this.evict(victim);
    return true;
  }

  private evict(session: FetchSession): void {
    this.remove(session.id);
    this.evictions++;
  }

  private newSessionId(): number {
    let id: number;
    do id = 1 + Math.floor(Math.random() * 0x7ffffffe);
    while (this.sessions.has(id));
    return id;
  }
}

function compareEvictable(a: FetchSession, b: FetchSession): number {
  return compareKeys(a.privileged, a.cachedSize, a.id, b.privileged, b.cachedSize, b.id);
}

/** Kafka's EvictableKey order: unprivileged first, then fewer partitions, then lower id. */
function compareKeys(ap: boolean, as: number, aid: number, bp: boolean, bs: number, bid: number): number {
  if (ap !== bp) return ap ? 1 : -1;
  if (as !== bs) return as - bs;
  return aid - bid;
}
