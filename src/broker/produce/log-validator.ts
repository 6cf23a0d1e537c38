/**
 * validateRecords: what Kafka 3.9 does to one partition's records between a Produce request and the
 * log, for a leader append of client data (ProduceRequest.validateRecords,
 * UnifiedLog.analyzeAndValidateRecords and LogValidator.validateMessagesAndAssignOffsets), as one
 * function of bytes, topic config and `now`. No log, no I/O, no clock.
 *
 * Order, as Kafka's:
 * 1. Produce v3+: exactly one entry, magic 2, zstd only from v7 (shallow-checks.ts).
 * 2. Per entry: v2 baseOffset 0, size within max.message.bytes, CRC. A trailing partial entry is
 *    dropped. No complete entry at all (possible below v3): success with nothing to append.
 * 3. One entry only when it is v2 or any entry is compressed ("Compressed outer record has more
 *    than one batch"); Kafka refuses several v2 batches, or several compressed wrappers, in one
 *    request.
 * 4. The target codec is compression.type, or the source's for `producer`. A v2 batch goes through
 *    v2-batch.ts (in place when Kafka keeps it in place), magic 0/1 through legacy-up-conversion.ts.
 * 5. A rebuilt batch is checked against max.message.bytes again; the result against segment.bytes
 *    (RECORD_LIST_TOO_LARGE, Kafka's RecordBatchTooLargeException) if given.
 *
 * In the common case (one uncompressed v2 batch, or one whose codec is the topic's) the result is a
 * view of the input: no copy. The input may be patched in place (maxTimestamp and attributes, with a
 * new CRC) once everything has passed; a failure leaves it untouched.
 */
import {
  CompressionType,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  RecordBatch,
  TimestampType,
  compressionTypeFromName,
} from '../../protocol/records/index.js';
import { upConvertLegacy } from './legacy-up-conversion.js';
import { RecordChecker } from './record-checks.js';
import { analyzeRecords, checkBatchHeader, checkProduceRequest } from './shallow-checks.js';
import {
  maxDecompressedBytes,
  type BrokerCompressionType,
  type ValidateRecordsInput,
  type ValidatedRecords,
  type ValidationResult,
} from './types.js';
import { validateV2Batch, type BatchContext, type BatchOutcome } from './v2-batch.js';
import { ValidationError, inPartition, partitionName, toFailure } from './validation-error.js';

/** BrokerCompressionType.targetCompression: the topic's codec, or the producer's. */
export function targetCompression(topic: BrokerCompressionType, source: CompressionType): CompressionType {
  if (topic === 'producer') return source;
  return topic === 'uncompressed' ? CompressionType.NONE : compressionTypeFromName(topic);
}

/** DefaultRecordBatch.incrementSequence: sequences wrap from 2^31 - 1 to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > 0x7fffffff - increment) return increment - (0x7fffffff - sequence) - 1;
  return sequence + increment;
}

export function validateRecords(input: ValidateRecordsInput): ValidationResult {
  try {
    return validate(input);
  } catch (e) {
    return toFailure(e);
  }
}

function validate(input: ValidateRecordsInput): ValidatedRecords {
  const { records, config, now, topicPartition } = input;
  checkProduceRequest(records, input.produceVersion);
  const { entries, validBytes, sourceCompression } = analyzeRecords(records, config.maxMessageBytes, topicPartition);
  const first = entries[0];
  if (first === undefined) return nothingToAppend(config.messageTimestampType === 'LogAppendTime');

  if ((first.magic === 2 || sourceCompression !== CompressionType.NONE) && entries.length > 1) {
    throw new ValidationError('INVALID_RECORD', 'Compressed outer record has more than one batch');
  }
  const target = targetCompression(config.compressionType, sourceCompression);
  const ctx: BatchContext = {
    checker: new RecordChecker(config, now, topicPartition),
    logAppendTime: config.messageTimestampType === 'LogAppendTime',
    now,
    maxDecompressedBytes: maxDecompressedBytes(config),
  };
  let outcome: BatchOutcome;
  const batch = first.batch;
  if (batch !== null) {
    checkBatchHeader(batch, topicPartition);
    outcome = validateV2Batch(batch, target, ctx);
  } else {
    outcome = upConvertLegacy(entries, target, ctx, topicPartition);
  }

  const size = outcome.records.length;
  if (outcome.recompressed && size > config.maxMessageBytes) {
    throw new ValidationError(
      'MESSAGE_TOO_LARGE',
      `Message batch size is ${size} bytes in append to ${partitionName(topicPartition)} which exceeds the ` +
        `maximum configured size of ${config.maxMessageBytes}.`,
    );
  }
  if (config.segmentBytes !== undefined && size > config.segmentBytes) {
    throw new ValidationError(
      'RECORD_LIST_TOO_LARGE',
      `Message batch size is ${size} bytes in append${inPartition(topicPartition)}, which exceeds the maximum ` +
        `configured segment size of ${config.segmentBytes}.`,
    );
  }
  const out = new RecordBatch(outcome.records);
  const patch = outcome.timestampPatch;
  if (patch !== null) out.setMaxTimestamp(patch.type, patch.maxTimestamp);
  return result(out, outcome, first.magic, sourceCompression, validBytes, ctx);
}

function result(
  out: RecordBatch,
  outcome: BatchOutcome,
  sourceMagic: number,
  sourceCompression: CompressionType,
  validBytes: number,
  ctx: BatchContext,
): ValidatedRecords {
  const baseSequence = out.baseSequence;
  return {
    ok: true,
    records: outcome.records,
    recordCount: outcome.recordCount,
    batchCount: 1,
    validBytes,
    maxTimestamp: outcome.maxTimestamp,
    shallowOffsetOfMaxTimestamp: outcome.shallowOffsetOfMaxTimestamp,
    timestampType: out.timestampType,
    logAppendTime: ctx.logAppendTime ? ctx.now : -1,
    producerId: out.producerId,
    producerEpoch: out.producerEpoch,
    baseSequence,
    lastSequence: baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, out.lastOffsetDelta),
    isTransactional: out.isTransactional,
    isControl: out.isControlBatch,
    compression: outcome.compression,
    sourceCompression,
    sourceMagic,
    recompressed: outcome.recompressed,
  };
}

/** UnifiedLog.append returns early when no bytes are valid: nothing appended, no error. */
function nothingToAppend(logAppendTime: boolean): ValidatedRecords {
  return {
    ok: true,
    records: Buffer.alloc(0),
    recordCount: 0,
    batchCount: 0,
    validBytes: 0,
    maxTimestamp: -1,
    shallowOffsetOfMaxTimestamp: -1,
    timestampType: logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    logAppendTime: -1,
    producerId: NO_PRODUCER_ID,
    producerEpoch: NO_PRODUCER_EPOCH,
    baseSequence: NO_SEQUENCE,
    lastSequence: NO_SEQUENCE,
    isTransactional: false,
    isControl: false,
    compression: CompressionType.NONE,
    sourceCompression: CompressionType.NONE,
    sourceMagic: -1,
    recompressed: false,
  };
}
