import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { RequestOf, ResponseInput } from '../../protocol/schema/api.js';
import { DelayedFetch } from '../fetch/delayed-fetch.js';
import { FetchManager, type FetchContext, type FetchRequestMetadata } from '../fetch/fetch-context.js';
import { convertForVersion } from '../fetch/fetch-conversion.js';
import { FetchSessionCache, sessionKey, type FetchTarget } from '../fetch/fetch-session.js';
import {
  fetchParams,
  partitionError,
  readPartitions,
  releaseAll,
  type FetchParams,
  type PartitionData,
} from '../fetch/partition-reads.js';
import { defineHandler, type Handler } from '../handler.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import type { ReplicaManager } from '../replica-manager.js';
import type { BrokerServices } from '../services.js';

/**
 * Fetch (1), v0-18. v1 throttle time; v3 response max bytes and KIP-74 (a first batch larger than the
 * limits is still returned whole); v4 isolation level, last stable offset, aborted transactions and
 * record batch v2 (v0-3 get magic 0/1, converted); v5 log start offset; v7 fetch sessions (KIP-227);
 * v9 current leader epoch; v10 zstd; v11 rack, preferred read replica; v12 flexible, diverging epoch;
 * v13 topic ids; v15 replica state; v16 node endpoints; v17-18 replica directory and high watermark tags.
 *
 * As Kafka's handleFetchRequest: the session context (fetch/fetch-context.ts) decides which partitions
 * are read; partitions of unknown topics are answered without reading, after the others; the rest
 * are read within min(max_bytes, fetch.max.bytes); if that gives fewer than min_bytes and no error, the
 * fetch waits in the purgatory (fetch/delayed-fetch.ts) until appends bring enough or max_wait_ms
 * passes, then reads again; the session then picks what the response names, and the answers are fitted
 * to the version (fetch/fetch-conversion.ts). read_committed reads stop at the last stable offset and
 * carry an empty aborted-transactions list; read_uncommitted ones carry null, as Kafka's do.
 *
 * A follower's fetch (replica_id >= 0, a replica of a partition this broker leads) reads to the log
 * end; its first read records the follower's position (Partition.updateFollowerFetchState), which may
 * add it to the ISR and move the high watermark, waking acks=-1 produces and consumers' fetches. A
 * last_fetched_epoch (v12+) that this log does not agree with is answered with diverging_epoch and no
 * records, at once; the follower then truncates.
 *
 * Not yet: rack-aware preferred read replicas (always -1), fetch quotas (throttle time 0).
 */
type Response = ResponseInput<typeof Fetch>;
type Request = RequestOf<typeof Fetch>;
type TopicResponse = NonNullable<Response['responses']>[number];

// Kafka answers a partition without data with empty records, never null; some clients depend on it.
const EMPTY_RECORDS = Buffer.alloc(0);

export function fetchHandler(s: BrokerServices): Handler<typeof Fetch> {
  const rm = s.replicaManager;
  const manager = new FetchManager(new FetchSessionCache(s.config.get('max.incremental.fetch.session.cache.slots')));
  const brokerMaxBytes = s.config.get('fetch.max.bytes');
  const resolveName = (topicId: string): string | null => s.metadata.topicById(topicId)?.name ?? null;
  return defineHandler(Fetch, '0-18', (ctx, request) => {
    const v = ctx.apiVersion;
    const replicaId = v >= 15 ? request.replicaState.replicaId : request.replicaId;
    const { maxWaitMs, minBytes, maxBytes, isolationLevel } = request;
    const params = fetchParams(v, replicaId, isolationLevel, maxWaitMs, minBytes, maxBytes, brokerMaxBytes);
    const metadata = requestMetadata(request, v, params.isFromFollower, resolveName);
    const context = manager.newContext(metadata, Date.now(), resolveName);
    const interesting: FetchTarget[] = [];
    const erroneous: PartitionData[] = [];
    for (const t of context.targets) {
      if (t.topic === null) erroneous.push(partitionError(t, ErrorCode.UNKNOWN_TOPIC_ID));
      else if (!hasPartition(s.metadata, t.topic, t.partition))
        erroneous.push(partitionError(t, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
      else interesting.push(t);
    }
    const finish = (read: readonly PartitionData[]): Response =>
      toResponse(rm, context, params, erroneous.length === 0 ? read : [...read, ...erroneous]);
    if (interesting.length === 0) return finish([]);
    const first = readPartitions(rm, interesting, params);
    if (params.maxWaitMs <= 0 || first.errors || first.divergent || first.totalBytes >= params.minBytes)
      return finish(first.partitions);
    releaseAll(first.partitions);
    return new Promise<Response>((resolve) => {
      const { op, keys } = DelayedFetch.create(rm, params, first.partitions, () =>
        resolve(finish(readPartitions(rm, interesting, params, false).partitions)),
      );
      rm.fetchPurgatory.tryCompleteElseWatch(op, keys, params.maxWaitMs);
    });
  });
}

/** The request's partitions keyed for the session, names resolved (v13+ names topics by id). */
function requestMetadata(
  request: Request,
  v: number,
  isFromFollower: boolean,
  resolveName: (topicId: string) => string | null,
): FetchRequestMetadata {
  const fetchData = new Map<string, FetchTarget>();
  for (const t of request.topics) {
    const topicId = v >= 13 ? t.topicId : ZERO_UUID;
    const topic = v >= 13 ? resolveName(t.topicId) : t.topic;
    for (const p of t.partitions) {
      fetchData.set(sessionKey(topic, topicId, p.partition), {
        topic,
        topicId,
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        partitionMaxBytes: p.partitionMaxBytes,
        currentLeaderEpoch: p.currentLeaderEpoch,
        logStartOffset: p.logStartOffset,
        lastFetchedEpoch: p.lastFetchedEpoch,
      });
    }
  }
  const toForget: string[] = [];
  for (const t of request.forgottenTopicsData) {
    const topicId = v >= 13 ? t.topicId : ZERO_UUID;
    for (const partition of t.partitions) toForget.push(sessionKey(v >= 13 ? null : t.topic, topicId, partition));
  }
  return {
    version: v,
    sessionId: request.sessionId,
    sessionEpoch: request.sessionEpoch,
    isFromFollower,
    fetchData,
    toForget,
  };
}

function hasPartition(metadata: MetadataStore, topic: string, partition: number): boolean {
  const t = metadata.topic(topic);
  return t !== undefined && partition >= 0 && partition < t.partitions.length;
}

/** The session picks the partitions to name; consecutive partitions of one topic share a topic entry. */
function toResponse(
  rm: ReplicaManager,
  context: FetchContext,
  params: FetchParams,
  outcomes: readonly PartitionData[],
): Response {
  const chosen = context.respond(outcomes, Date.now());
  if (chosen.partitions.length !== outcomes.length) {
    const named = new Set(chosen.partitions);
    releaseAll(outcomes.filter((o) => !named.has(o)));
  }
  const byId = params.version >= 13;
  const responses: TopicResponse[] = [];
  let current: TopicResponse | null = null;
  let partitions: NonNullable<TopicResponse['partitions']> = [];
  for (const raw of chosen.partitions) {
    const d = convertForVersion(rm, raw, params);
    const t = d.target;
    if (current === null || (byId ? current.topicId !== t.topicId : current.topic !== t.topic)) {
      partitions = [];
      current = { topic: t.topic ?? '', topicId: t.topicId, partitions };
      responses.push(current);
    }
    partitions.push({
      partitionIndex: t.partition,
      errorCode: d.errorCode,
      highWatermark: d.highWatermark,
      lastStableOffset: d.lastStableOffset,
      logStartOffset: d.logStartOffset,
      abortedTransactions: d.abortedTransactions,
      preferredReadReplica: d.preferredReadReplica,
      divergingEpoch: d.divergingEpoch ?? undefined,
      records: d.records ?? EMPTY_RECORDS,
    });
  }
  return { throttleTimeMs: 0, errorCode: chosen.errorCode, sessionId: chosen.sessionId, responses };
}
