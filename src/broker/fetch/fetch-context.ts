import { ErrorCode } from '../../protocol/errors.js';
import {
  CachedPartition,
  FINAL_EPOCH,
  INITIAL_EPOCH,
  INVALID_SESSION_ID,
  nextEpoch,
  sessionKey,
  type FetchSession,
  type FetchSessionCache,
  type FetchTarget,
  type PartitionOutcome,
} from './fetch-session.js';

/**
 * How one Fetch request relates to the session cache (Kafka's FetchManager.newContext and the four
 * FetchContexts):
 *  - session error: an unknown session id (FETCH_SESSION_ID_NOT_FOUND), a wrong epoch
 *    (INVALID_FETCH_SESSION_EPOCH), or a session made with topic ids fetched without them or the
 *    reverse (FETCH_SESSION_TOPIC_ID_ERROR): a top-level error, session id 0, no partitions;
 *  - sessionless (epoch -1, or an incremental fetch that forgot every partition): the request's
 *    partitions, session id 0;
 *  - full (epoch 0): the request's partitions; a new session from the response if the cache admits it
 *    (a session named by a full request is closed first);
 *  - incremental: the session's partitions after applying the request; only changed ones answered.
 * The session's epoch moves when the context is made; the response checks it has not moved again
 * meanwhile (a duplicate request), answering INVALID_FETCH_SESSION_EPOCH if it has.
 */
export interface FetchContext {
  /** Set for a session error: nothing is read. */
  readonly error: number;
  /** The partitions to read, in order. */
  readonly targets: readonly FetchTarget[];
  /**
   * Decides the response: its error and session id, and which outcomes it names (a subset of
   * `outcomes`, in order). Call once, when the fetch completes.
   */
  respond<T extends PartitionOutcome & { readonly target: FetchTarget }>(
    outcomes: readonly T[],
    now: number,
  ): { errorCode: number; sessionId: number; partitions: readonly T[] };
}

export interface FetchRequestMetadata {
  readonly version: number;
  readonly sessionId: number;
  readonly sessionEpoch: number;
  readonly isFromFollower: boolean;
  /** Keyed by sessionKey, in request order (a repeated partition keeps its first place, last values). */
  readonly fetchData: ReadonlyMap<string, FetchTarget>;
  /** sessionKeys of the forgotten partitions. */
  readonly toForget: readonly string[];
}

export class FetchManager {
  constructor(private readonly cache: FetchSessionCache) {}

  get sessions(): FetchSessionCache {
    return this.cache;
  }

  newContext(req: FetchRequestMetadata, now: number, resolveName: (topicId: string) => string | null): FetchContext {
    const usesTopicIds = req.version >= 13;
    if (req.sessionEpoch === INITIAL_EPOCH || req.sessionEpoch === FINAL_EPOCH) {
      if (req.sessionId !== INVALID_SESSION_ID) this.cache.remove(req.sessionId);
      const targets = [...req.fetchData.values()];
      if (req.sessionEpoch === FINAL_EPOCH) return sessionless(targets);
      return this.full(targets, req.isFromFollower, usesTopicIds);
    }
    const session = this.cache.get(req.sessionId);
    if (session === undefined) return sessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    if (session.epoch !== req.sessionEpoch) return sessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    if (session.usesTopicIds !== usesTopicIds) return sessionError(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    session.update(req.fetchData, req.toForget);
    if (session.partitions.size === 0) {
      this.cache.remove(session.id);
      return sessionless([...req.fetchData.values()]);
    }
    this.cache.touch(session, now);
    session.epoch = nextEpoch(session.epoch);
    return incremental(session, req.sessionEpoch, resolveName);
  }

  private full(targets: readonly FetchTarget[], privileged: boolean, usesTopicIds: boolean): FetchContext {
    const cache = this.cache;
    return {
      error: ErrorCode.NONE,
      targets,
      respond(outcomes, now) {
        const sessionId = cache.maybeCreateSession(now, privileged, outcomes.length, usesTopicIds, () => {
          const partitions = new Map<string, CachedPartition>();
          for (const o of outcomes) {
            const t = o.target;
            const cached = new CachedPartition(t);
            cached.highWatermark = o.highWatermark;
            cached.localLogStartOffset = o.logStartOffset;
            partitions.set(sessionKey(t.topic, t.topicId, t.partition), cached);
          }
          return partitions;
        });
        return { errorCode: ErrorCode.NONE, sessionId, partitions: outcomes };
      },
    };
  }
}

function sessionError(error: number): FetchContext {
  return {
    error,
    targets: [],
    respond: () => ({ errorCode: error, sessionId: INVALID_SESSION_ID, partitions: [] }),
  };
}

function sessionless(targets: readonly FetchTarget[]): FetchContext {
  return {
    error: ErrorCode.NONE,
    targets,
    respond: (outcomes) => ({ errorCode: ErrorCode.NONE, sessionId: INVALID_SESSION_ID, partitions: outcomes }),
  };
}

function incremental(
  session: FetchSession,
  requestEpoch: number,
  resolveName: (topicId: string) => string | null,
): FetchContext {
  const targets: CachedPartition[] = [];
  for (const p of session.partitions.values()) {
    if (session.usesTopicIds && p.topic === null) p.topic = resolveName(p.topicId);
    targets.push(p);
  }
  const expectedEpoch = nextEpoch(requestEpoch);
  return {
    error: ErrorCode.NONE,
    targets,
    respond(outcomes) {
      if (session.epoch !== expectedEpoch)
        return { errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: session.id, partitions: [] };
      const named = outcomes.filter((o) => {
        const key = sessionKey(o.target.topic, o.target.topicId, o.target.partition);
        const cached = session.partitions.get(key);
        if (cached === undefined || !cached.maybeUpdateResponseData(o, true)) return false;
        if (o.bytes > 0) {
          // Round robin: a partition that returned data is read last next time.
          session.partitions.delete(key);
          session.partitions.set(key, cached);
        }
        return true;
      });
      return { errorCode: ErrorCode.NONE, sessionId: session.id, partitions: named };
    },
  };
}
