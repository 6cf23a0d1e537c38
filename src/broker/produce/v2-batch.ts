/**
 * Validation of the one v2 batch of a produce request, kept in place whenever Kafka 3.9 keeps it:
 *
 * - Uncompressed, topic codec none (LogValidator.assignOffsetsNonCompressed): in place. Every record
 *   is walked (RecordScanner: structure, key and timestamp rules, the largest timestamp) without
 *   copying or allocating; Kafka walks them too, for the same checks. Cost, measured by
 *   testing/log-validator.bench.ts: the CRC (~130 µs per MiB) plus ~30 ns per record, so +30% over the
 *   CRC for 1 KB records and about 3× the CRC for 100-byte ones.
 * - Otherwise (validateMessagesAndAssignOffsetsCompressed): in place when the batch's codec is the
 *   topic's target codec. The records are decompressed once (capped) and walked; if their offset
 *   deltas are not 0..n-1 the batch is rebuilt ("Some older clients do not implement the V1 internal
 *   offsets correctly"). Kafka decompresses here too, streaming. A different target codec rebuilds
 *   straight away: decompress, check, write one new batch with the target codec.
 *
 * In place, the batch needs setMaxTimestamp (LogAppendTime and `now`, or CreateTime and the largest
 * record timestamp, which also corrects a producer's wrong header); it recomputes the CRC only when a
 * value changes, and the caller applies it last (`timestampPatch`). A rebuilt batch keeps the producer
 * id, epoch, base sequence and transactional flag.
 */
import {
  CompressionType,
  RecordIterator,
  TimestampType,
  buildRecordBatch,
  decompressRecords,
  type RecordBatch,
  type SimpleRecord,
} from '../../protocol/records/index.js';
import { RecordFault, type RecordChecker } from './record-checks.js';
import { RecordScanner } from './record-scan.js';

/** What one validated batch becomes; offsets relative to the batch's first. */
export interface BatchOutcome {
  readonly records: Buffer;
  readonly recordCount: number;
  readonly maxTimestamp: number;
  readonly shallowOffsetOfMaxTimestamp: number;
  readonly compression: CompressionType;
  readonly recompressed: boolean;
  /**
   * In place only: the timestamp type and maxTimestamp the batch must get (setMaxTimestamp), applied
   * by the caller once every check has passed, so that a failure leaves the request untouched.
   */
  readonly timestampPatch: { readonly type: TimestampType; readonly maxTimestamp: number } | null;
}

export interface BatchContext {
  readonly checker: RecordChecker;
  readonly logAppendTime: boolean;
  readonly now: number;
  readonly maxDecompressedBytes: number;
}

/** DefaultRecord.toString, for the LogAppendTime-from-producer message. */
function describe(offset: number, timestamp: number, keySize: number, valueSize: number): string {
  return `DefaultRecord(offset=${offset}, timestamp=${timestamp}, key=${Math.max(keySize, 0)} bytes, value=${Math.max(valueSize, 0)} bytes)`;
}

/**
 * Walks the records with the rules; returns the largest timestamp (-1 if none is larger) and whether
 * the offset deltas run 0..n-1.
 */
function scanRecords(batch: RecordBatch, data: Buffer, ctx: BatchContext): { max: number; sequential: boolean } {
  const checker = ctx.checker;
  const lat = batch.timestampType === TimestampType.LOG_APPEND_TIME;
  const baseTimestamp = batch.baseTimestamp;
  const batchMax = batch.maxTimestamp;
  const scan = new RecordScanner(data, batch.recordCount);
  let max = -1;
  let sequential = true;
  let index = 0;
  while (scan.next()) {
    const timestamp = lat ? batchMax : baseTimestamp + scan.timestampDelta;
    const fault = checker.check(timestamp, scan.keySize >= 0, lat);
    if (fault !== RecordFault.NONE) {
      const { offsetDelta, keySize, valueSize } = scan;
      checker.reject(fault, index, offsetDelta, timestamp, () => describe(offsetDelta, timestamp, keySize, valueSize));
    } else {
      if (timestamp > max) max = timestamp;
      if (scan.offsetDelta !== index) sequential = false;
    }
    index++;
  }
  checker.endBatch();
  return { max, sequential };
}

function inPlace(batch: RecordBatch, max: number, ctx: BatchContext, shallowWithoutTimestamp: number): BatchOutcome {
  const count = batch.recordCount;
  const maxTimestamp = ctx.logAppendTime ? ctx.now : max;
  const type = ctx.logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
  return {
    records: batch.buffer,
    recordCount: count,
    maxTimestamp,
    shallowOffsetOfMaxTimestamp: ctx.logAppendTime || max > -1 ? count - 1 : shallowWithoutTimestamp,
    compression: batch.compressionType as CompressionType,
    recompressed: false,
    timestampPatch: { type, maxTimestamp },
  };
}

/** Writes the records anew with the target codec (LogValidator.buildRecordsAndAssignOffsets). */
export function rebuild(
  records: readonly SimpleRecord[],
  target: CompressionType,
  ctx: BatchContext,
  producer: RecordBatch | null,
): BatchOutcome {
  const built = buildRecordBatch(records, {
    compression: target,
    timestampType: ctx.logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    logAppendTime: ctx.now,
    producerId: producer?.producerId,
    producerEpoch: producer?.producerEpoch,
    baseSequence: producer?.baseSequence,
    isTransactional: producer?.isTransactional ?? false,
  });
  // MemoryRecordsBuilder.info() for v2: the last offset, unless no record has a timestamp.
  const maxTimestamp = ctx.logAppendTime ? ctx.now : maxOf(records);
  return {
    records: built,
    recordCount: records.length,
    maxTimestamp,
    shallowOffsetOfMaxTimestamp: ctx.logAppendTime || maxTimestamp !== -1 ? records.length - 1 : -1,
    compression: target,
    recompressed: true,
    timestampPatch: null,
  };
}

function maxOf(records: readonly SimpleRecord[]): number {
  let max = -1;
  for (const r of records) if (r.timestamp > max) max = r.timestamp;
  return max;
}

/** Reads every record for a rebuild, checking them unless a scan already has. */
function readAll(batch: RecordBatch, ctx: BatchContext, check: boolean): SimpleRecord[] {
  const out: SimpleRecord[] = [];
  const lat = batch.timestampType === TimestampType.LOG_APPEND_TIME;
  let index = 0;
  for (const r of new RecordIterator(batch, ctx.maxDecompressedBytes)) {
    if (check) {
      const fault = ctx.checker.check(r.timestamp, r.key !== null, lat);
      if (fault !== RecordFault.NONE) {
        const size = (b: Buffer | null): number => (b === null ? -1 : b.length);
        ctx.checker.reject(fault, index, r.offset, r.timestamp, () =>
          describe(r.offset, r.timestamp, size(r.key), size(r.value)),
        );
      }
    }
    out.push({ timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
    index++;
  }
  if (check) ctx.checker.endBatch();
  return out;
}

/** The batch's header must already have passed checkBatchHeader. */
export function validateV2Batch(batch: RecordBatch, target: CompressionType, ctx: BatchContext): BatchOutcome {
  const source = batch.compressionType as CompressionType;
  if (source === CompressionType.NONE && target === CompressionType.NONE) {
    const { max } = scanRecords(batch, batch.recordsPayload, ctx);
    return inPlace(batch, max, ctx, -1);
  }
  if (source === target) {
    const { max, sequential } = scanRecords(batch, decompressRecords(batch, ctx.maxDecompressedBytes), ctx);
    // Kafka's compressed in-place path reports the last offset even without timestamps.
    if (sequential) return inPlace(batch, max, ctx, batch.recordCount - 1);
    return rebuild(readAll(batch, ctx, false), target, ctx, batch);
  }
  return rebuild(readAll(batch, ctx, true), target, ctx, batch);
}
