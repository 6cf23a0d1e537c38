import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { readPartitions, releaseAll, type FetchTarget, type PartitionData } from '../fetch/partition-reads.js';
import { defineHandler, type Handler } from '../handler.js';
import { partitionKey } from '../replica-manager.js';
import type { BrokerServices } from '../services.js';

/**
 * Fetch (1), v0-18. v1 throttle time; v3 response max bytes and KIP-74 (a first batch larger than the
 * limits is still returned whole); v4 isolation level, last stable offset, aborted transactions and
 * record batch v2 (v0-3 get magic 0/1, converted); v5 log start offset; v7 fetch sessions (KIP-227);
 * v9 current leader epoch; v11 rack; v12 flexible, diverging epoch; v13 topic ids; v15 replica state;
 * v17-18 replica directory and high watermark tags.
 *
 * Long polling: if the first read has fewer than min_bytes and no error, the fetch waits in the
 * purgatory until appends to its partitions bring enough data or max_wait_ms passes, then reads again.
 * Sessions: this broker declines to create fetch sessions (session id 0), which KIP-227 allows; every
 * fetch is then a full fetch.
 */
type Response = ResponseInput<typeof Fetch>;

// Kafka answers a partition without data with empty records, never null; some clients depend on it.
const EMPTY_RECORDS = Buffer.alloc(0);

export function fetchHandler(s: BrokerServices): Handler<typeof Fetch> {
  const rm = s.replicaManager;
  return defineHandler(Fetch, '0-18', (ctx, request) => {
    const v = ctx.apiVersion;
    const replicaId = v >= 15 ? request.replicaState.replicaId : request.replicaId;
    const fromReplica = replicaId >= 0;
    const maxBytes = v >= 3 ? request.maxBytes : 0x7fffffff;
    const targets: FetchTarget[] = [];
    for (const t of request.topics) {
      const topic = v >= 13 ? (s.metadata.topicById(t.topicId)?.name ?? null) : t.topic;
      for (const p of t.partitions) {
        targets.push({
          topic,
          partition: p.partition,
          fetchOffset: p.fetchOffset,
          partitionMaxBytes: p.partitionMaxBytes,
          currentLeaderEpoch: p.currentLeaderEpoch,
        });
      }
    }
    const read = () => readPartitions(rm, targets, maxBytes, v, fromReplica);
    const respond = (partitions: readonly PartitionData[]): Response => toResponse(request.topics, partitions);
    const first = read();
    if (request.maxWaitMs <= 0 || targets.length === 0 || first.errors || first.totalBytes >= request.minBytes) {
      return respond(first.partitions);
    }
    releaseAll(first.partitions);
    const keys = targets.filter((t) => t.topic !== null).map((t) => partitionKey(t.topic!, t.partition));
    return new Promise<Response>((resolve) => {
      rm.fetchPurgatory.tryCompleteElseWatch(
        {
          tryComplete: () => {
            const r = read();
            if (r.totalBytes >= request.minBytes || r.errors) {
              resolve(respond(r.partitions));
              return true;
            }
            releaseAll(r.partitions);
            return false;
          },
          onExpiration: () => resolve(respond(read().partitions)),
        },
        keys,
        request.maxWaitMs,
      );
    });
  });
}

function toResponse(
  topics: readonly { topic: string; topicId: string; partitions: readonly unknown[] }[],
  partitions: readonly PartitionData[],
): Response {
  let i = 0;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    sessionId: 0,
    responses: topics.map((t) => ({
      topic: t.topic,
      topicId: t.topicId,
      partitions: t.partitions.map(() => {
        const p = partitions[i++]!;
        return {
          partitionIndex: p.target.partition,
          errorCode: p.errorCode,
          highWatermark: p.highWatermark,
          lastStableOffset: p.lastStableOffset,
          logStartOffset: p.logStartOffset,
          abortedTransactions: null,
          records: p.records ?? EMPTY_RECORDS,
        };
      }),
    })),
  };
}
