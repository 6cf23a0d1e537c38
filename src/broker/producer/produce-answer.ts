/**
 * The Produce answer for a batch the producer state kept out of the log (Kafka 3.9's ReplicaManager
 * and UnifiedLog.append): a duplicate is NONE with the original batch's first offset, and its max
 * timestamp as log_append_time_ms (Kafka sets LogAppendInfo.logAppendTime from the duplicate's
 * metadata); a rejection is its error code with the partition's log start offset and no error
 * message (Kafka's hasCustomErrorMessage is false for these). Kafka logs INVALID_PRODUCER_EPOCH at
 * INFO and the others at ERROR; we log them at WARN, since a client's retry logic, not the broker,
 * is what went wrong.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import type { Partition } from '../partition.js';
import type { PartitionProduceResult } from '../replica-manager.js';
import type { ProducerAppendCheck } from './producer-append-check.js';
import { firstOffsetOf } from './producer-state-entry.js';

export function answerWithoutAppend(
  check: Exclude<ProducerAppendCheck, { kind: 'append' }>,
  partition: Partition,
  log: Logger,
): PartitionProduceResult {
  const logStartOffset = partition.log.logStartOffset;
  if (check.kind === 'duplicate') {
    return {
      errorCode: ErrorCode.NONE,
      baseOffset: firstOffsetOf(check.batch),
      logAppendTimeMs: check.batch.timestamp,
      logStartOffset,
      recordErrors: [],
      errorMessage: null,
      lastOffset: check.batch.lastOffset,
    };
  }
  const line = `Error processing append operation on partition ${partition.name}: ${check.message}`;
  if (check.errorCode === ErrorCode.INVALID_PRODUCER_EPOCH) log.info(line);
  else log.warn(line);
  return {
    errorCode: check.errorCode,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset,
    recordErrors: [],
    errorMessage: null,
  };
}
