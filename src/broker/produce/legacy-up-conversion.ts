/**
 * Magic 0/1 message sets (Produce v0-v2 from old clients) become one v2 batch, as Kafka 3.x stores
 * only v2 (LogValidator.convertAndAssignOffsetsNonCompressed, and the rebuild branch of
 * validateMessagesAndAssignOffsetsCompressed, whose target magic differs from the source's):
 *
 * - every entry must have the first entry's magic ("Batch magic 1 is not the same as the first
 *   batch's magic byte 0"), checked entry by entry between their records;
 * - a compressed wrapper is opened by the records layer, capped: inner CRCs, inner magic equal to the
 *   wrapper's, no nested compression, at least one inner message, and the v1 wrapper offset (0 means
 *   "unknown": librdkafka and kafkajs send it; otherwise not below the last inner offset). zstd
 *   cannot be in a legacy wrapper: INVALID_RECORD, as Kafka's DeepRecordsIterator;
 * - each record passes the key and timestamp rules, with its message's (or wrapper's) timestamp type;
 *   an uncompressed message is a batch of its own, so the first bad one fails the request;
 * - the records are written with the target codec (the producer's, or the topic's), offsets 0..n-1,
 *   timestamps kept (v0 gives -1), the topic's timestamp type, no producer id. Headers do not exist
 *   in v0/v1.
 */
import {
  COMPRESSION_NAMES,
  CompressionType,
  TimestampType,
  legacyCompressionType,
  readWrapperRecords,
  type LegacyRecord,
  type SimpleRecord,
} from '../../protocol/records/index.js';
import { RecordFault } from './record-checks.js';
import type { Entry } from './shallow-checks.js';
import { rebuild, type BatchContext, type BatchOutcome } from './v2-batch.js';
import { ValidationError, inPartition } from './validation-error.js';

/** LegacyRecord.toString. */
function describe(r: LegacyRecord): string {
  const compression = COMPRESSION_NAMES[legacyCompressionType(r)] ?? 'unknown';
  const type = r.timestampType === TimestampType.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime';
  const ts = r.magic > 0 ? `, ${type}=${r.timestamp}` : '';
  return (
    `Record(magic=${r.magic}, attributes=${r.attributes}, compression=${compression}, crc=${r.crc}${ts}, ` +
    `key=${r.key?.length ?? 0} bytes, value=${r.value?.length ?? 0} bytes)`
  );
}

export function upConvertLegacy(
  entries: readonly Entry[],
  target: CompressionType,
  ctx: BatchContext,
  topicPartition?: string,
): BatchOutcome {
  const firstMagic = entries[0]!.magic;
  const out: SimpleRecord[] = [];
  for (const entry of entries) {
    if (entry.magic !== firstMagic) {
      throw new ValidationError(
        'INVALID_RECORD',
        `Batch magic ${entry.magic} is not the same as the first batch's magic byte ${firstMagic}` +
          inPartition(topicPartition),
      );
    }
    const outer = entry.legacy!;
    const codec = legacyCompressionType(outer);
    if (codec === CompressionType.ZSTD) {
      throw new ValidationError(
        'INVALID_RECORD',
        `Invalid wrapper compressionType found in legacy deep record iterator ${outer.magic}`,
      );
    }
    const records = codec === CompressionType.NONE ? [outer] : readWrapperRecords(outer, ctx.maxDecompressedBytes);
    const lat = outer.timestampType === TimestampType.LOG_APPEND_TIME;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const fault = ctx.checker.check(r.timestamp, r.key !== null, lat);
      if (fault !== RecordFault.NONE) ctx.checker.reject(fault, i, r.offset, r.timestamp, () => describe(r));
      out.push({ timestamp: r.timestamp, key: r.key, value: r.value });
    }
    ctx.checker.endBatch();
  }
  return rebuild(out, target, ctx, null);
}
