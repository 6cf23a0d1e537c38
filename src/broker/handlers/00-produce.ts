import { ErrorCode } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, NO_RESPONSE, type Handler } from '../handler.js';
import type { PartitionProduceResult } from '../replica-manager.js';
import type { BrokerServices } from '../services.js';

/**
 * Produce (0), v0-13. v0-2 carry message sets (magic 0/1, up-converted to v2 on append); v1 adds throttle
 * time; v2 LogAppendTime; v3 transactional id and record batch v2 only; v5 log start offset; v7 zstd;
 * v8 per-record errors (KIP-467); v9 flexible; v10 current leader and node endpoints on
 * NOT_LEADER_OR_FOLLOWER (KIP-951); v11-12 transaction errors; v13 topic ids instead of names.
 *
 * acks=0 gets no response; if any partition failed, the connection is closed instead, as Kafka does,
 * so the producer notices. acks=-1 is acknowledged once every ISR member has the records, which on a
 * standalone broker (ISR = this broker) is at append.
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
    const responses = request.topicData.map((topicData) => {
      const name = v >= 13 ? (s.metadata.topicById(topicData.topicId)?.name ?? null) : topicData.name;
      const partitionResponses = topicData.partitionData.map((pd): PartitionResponse => {
        let result: PartitionProduceResult;
        if (!VALID_ACKS.has(acks)) result = failure(ErrorCode.INVALID_REQUIRED_ACKS);
        else if (name === null) result = failure(ErrorCode.UNKNOWN_TOPIC_ID);
        else result = rm.appendRecords(name, pd.index, pd.records as Buffer | null, acks, v);
        if (result.errorCode !== ErrorCode.NONE) failed = true;
        return {
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
      });
      return { name: topicData.name, topicId: topicData.topicId, partitionResponses };
    });
    if (acks === 0) {
      if (failed) ctx.closeAfterResponse = true;
      return NO_RESPONSE;
    }
    return { responses, throttleTimeMs: 0 };
  });
}

function failure(errorCode: number): PartitionProduceResult {
  return { errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage: null };
}
