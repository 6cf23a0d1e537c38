import { ErrorCode } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, NO_RESPONSE, type Handler } from '../handler.js';
import { DelayedProduce, pendingStatus, type ProducePartitionStatus } from '../produce/delayed-produce.js';
import { partitionKey, type PartitionProduceResult, type ReplicaManager } from '../replica-manager.js';
import type { BrokerServices } from '../services.js';

/**
 * Produce (0), v0-13. v0-2 carry message sets (magic 0/1, up-converted to v2 on append); v1 adds throttle
 * time; v2 LogAppendTime; v3 transactional id and record batch v2 only; v5 log start offset; v7 zstd;
 * v8 per-record errors (KIP-467); v9 flexible; v10 current leader and node endpoints on
 * NOT_LEADER_OR_FOLLOWER (KIP-951); v11-12 transaction errors; v13 topic ids instead of names.
 *
 * acks=0 gets no response; if any partition failed, the connection is closed instead, as Kafka does,
 * so the producer notices. acks=-1 is acknowledged once every ISR member has the records, i.e. the
 * high watermark reaches them (produce/delayed-produce.ts): on a standalone broker (ISR = this broker)
 * that is at append, and the answer is synchronous; otherwise the request waits up to timeout_ms
 * (REQUEST_TIMED_OUT), answers NOT_LEADER_OR_FOLLOWER if leadership moves, and
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR fell below min.insync.replicas meanwhile.
 */
type Response = ResponseInput<typeof Produce>;
type PartitionResponse = NonNullable<NonNullable<Response['responses']>[number]['partitionResponses']>[number];

const VALID_ACKS = new Set([-1, 0, 1]);

export function produceHandler(s: BrokerServices): Handler<typeof Produce> {
  const rm = s.replicaManager;
  return defineHandler(Produce, '0-13', (ctx, request) => {
    const v = ctx.apiVersion;
    const acks = request.acks;
    let failed = false;
    // acks=-1: the partitions appended, each with the response entry its outcome patches.
    const waiting: { status: ProducePartitionStatus; response: PartitionResponse }[] = [];
    const responses = request.topicData.map((topicData) => {
      const name = v >= 13 ? (s.metadata.topicById(topicData.topicId)?.name ?? null) : topicData.name;
      const partitionResponses = topicData.partitionData.map((pd): PartitionResponse => {
        let result: PartitionProduceResult;
        if (!VALID_ACKS.has(acks)) result = failure(ErrorCode.INVALID_REQUIRED_ACKS);
        else if (name === null) result = failure(ErrorCode.UNKNOWN_TOPIC_ID);
        else result = rm.appendRecords(name, pd.index, pd.records as Buffer | null, acks, v);
        if (result.errorCode !== ErrorCode.NONE) failed = true;
        const response: PartitionResponse = {
          index: pd.index,
          errorCode: result.errorCode,
          baseOffset: result.baseOffset,
          logAppendTimeMs: result.logAppendTimeMs,
          logStartOffset: result.logStartOffset,
          recordErrors: result.recordErrors.map((e) => ({
            batchIndex: e.batchIndex,
            batchIndexErrorMessage: e.message,
          })),
          errorMessage: result.errorMessage,
        };
        if (acks === -1 && name !== null) {
          const status = replicationStatus(rm, name, pd.index, result, response);
          if (status !== null) waiting.push({ status, response });
        }
        return response;
      });
      return { name: topicData.name, topicId: topicData.topicId, partitionResponses };
    });
    if (acks === 0) {
      if (failed) ctx.closeAfterResponse = true;
      return NO_RESPONSE;
    }
    const response = { responses, throttleTimeMs: 0 };
    if (waiting.length === 0) return response;
    // Kafka's DelayedProduce: the partitions not settled at append wait in the purgatory.
    return new Promise<typeof response>((resolve) => {
      const op = new DelayedProduce(
        rm,
        waiting.map((w) => w.status),
        () => {
          for (const w of waiting) w.response.errorCode = w.status.errorCode;
          resolve(response);
        },
      );
      rm.producePurgatory.tryCompleteElseWatch(op, op.keys, request.timeoutMs);
    });
  });
}

/**
 * What an acks=-1 partition just appended to still waits for: null when it failed, appended nothing,
 * or is settled already (its answer then patched into `response`), as always with an ISR of this
 * broker alone, which so costs no purgatory entry; else its DelayedProduce status.
 */
function replicationStatus(
  rm: ReplicaManager,
  topic: string,
  partition: number,
  result: PartitionProduceResult,
  response: PartitionResponse,
): ProducePartitionStatus | null {
  if (result.errorCode !== ErrorCode.NONE || result.lastOffset === undefined || result.lastOffset < 0) return null;
  const minIsr = rm.settingsOf(topic).minInsyncReplicas;
  const p = rm.getPartition(topic, partition);
  const settled =
    p === undefined
      ? ErrorCode.NOT_LEADER_OR_FOLLOWER
      : p.checkEnoughReplicasReachOffset(result.lastOffset + 1, minIsr);
  if (settled === null) return pendingStatus(partitionKey(topic, partition), result.lastOffset, minIsr);
  response.errorCode = settled;
  return null;
}

function failure(errorCode: number): PartitionProduceResult {
  return { errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage: null };
}
