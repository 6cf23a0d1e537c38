/**
 * Builds one v2 record batch (layout in record-batch.ts) from records, with any codec: what our CLI
 * producer sends, what conversion writes, what tests compare against Kafka's bytes.
 *
 * Follows Kafka's MemoryRecordsBuilder: baseTimestamp is the first record's timestamp; maxTimestamp
 * the largest (or `logAppendTime` for LogAppendTime); offsets strictly increase, offsetDelta =
 * offset - baseOffset, lastOffsetDelta is the last record's. Records are sized first and written once;
 * an uncompressed batch takes one allocation, a compressed one a second for the plain records. The
 * CRC-32C is computed last, over [21, end).
 */
import { writeInt64 } from '../primitives/int64.js';
import { Writer } from '../primitives/writer.js';
import { CompressionType, checkCompressionType, compress } from './compression/index.js';
import { RecordsError } from './errors.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_VALUE_V2,
  MAX_TIMESTAMP_OFFSET,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORDS_COUNT_OFFSET,
  RECORDS_OFFSET,
  TimestampType,
  computeAttributes,
} from './record-batch.js';
import { NO_HEADERS, type RecordHeader, sizeOfRecord, sizeOfRecordBody, writeRecord } from './record.js';
import { crc32c } from './crc.js';

/** A record to write (Kafka's SimpleRecord). `offset` defaults to baseOffset + its index. */
export interface SimpleRecord {
  readonly timestamp: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[];
  readonly offset?: number;
}

export interface RecordBatchOptions {
  baseOffset?: number;
  compression?: CompressionType;
  timestampType?: TimestampType;
  /** maxTimestamp of a LogAppendTime batch. */
  logAppendTime?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  partitionLeaderEpoch?: number;
}

export function buildRecordBatch(records: readonly SimpleRecord[], options: RecordBatchOptions = {}): Buffer {
  const baseOffset = options.baseOffset ?? 0;
  const compression = checkCompressionType(options.compression ?? CompressionType.NONE, MAGIC_VALUE_V2);
  const timestampType = options.timestampType ?? TimestampType.CREATE_TIME;
  const n = records.length;
  const baseTimestamp = n > 0 ? records[0]!.timestamp : NO_TIMESTAMP;

  const bodySizes = new Array<number>(n);
  let recordsSize = 0;
  let maxTimestamp = NO_TIMESTAMP;
  let lastOffsetDelta = -1;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    const offsetDelta = r.offset === undefined ? i : r.offset - baseOffset;
    if (offsetDelta <= lastOffsetDelta || offsetDelta > 0x7fffffff) {
      throw new RecordsError('INVALID_RECORD', `record offset delta ${offsetDelta} after ${lastOffsetDelta}`);
    }
    lastOffsetDelta = offsetDelta;
    if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
    const body = sizeOfRecordBody(offsetDelta, r.timestamp - baseTimestamp, r.key, r.value, r.headers ?? NO_HEADERS);
    bodySizes[i] = body;
    recordsSize += sizeOfRecord(body);
  }
  if (timestampType === TimestampType.LOG_APPEND_TIME) maxTimestamp = options.logAppendTime ?? maxTimestamp;

  const writeRecords = (w: Writer): void => {
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      const offsetDelta = r.offset === undefined ? i : r.offset - baseOffset;
      writeRecord(w, bodySizes[i]!, offsetDelta, r.timestamp - baseTimestamp, r.key, r.value, r.headers ?? NO_HEADERS);
    }
  };

  let batch: Buffer;
  if (compression === CompressionType.NONE) {
    batch = Buffer.allocUnsafe(RECORDS_OFFSET + recordsSize);
    const w = new Writer(batch);
    w.pos = RECORDS_OFFSET;
    writeRecords(w);
  } else {
    const plain = Writer.alloc(recordsSize);
    writeRecords(plain);
    const payload = compress(compression, plain.buf, MAGIC_VALUE_V2);
    batch = Buffer.allocUnsafe(RECORDS_OFFSET + payload.length);
    batch.set(payload, RECORDS_OFFSET);
  }

  writeInt64(batch, BASE_OFFSET_OFFSET, baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, PARTITION_LEADER_EPOCH_OFFSET);
  batch.writeInt8(MAGIC_VALUE_V2, MAGIC_OFFSET);
  const attributes = computeAttributes(
    compression,
    timestampType,
    options.isTransactional ?? false,
    options.isControl ?? false,
  );
  batch.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
  batch.writeInt32BE(Math.max(lastOffsetDelta, 0), LAST_OFFSET_DELTA_OFFSET);
  writeInt64(batch, BASE_TIMESTAMP_OFFSET, baseTimestamp);
  writeInt64(batch, MAX_TIMESTAMP_OFFSET, maxTimestamp);
  writeInt64(batch, PRODUCER_ID_OFFSET, options.producerId ?? NO_PRODUCER_ID);
  batch.writeInt16BE(options.producerEpoch ?? NO_PRODUCER_EPOCH, PRODUCER_EPOCH_OFFSET);
  batch.writeInt32BE(options.baseSequence ?? NO_SEQUENCE, BASE_SEQUENCE_OFFSET);
  batch.writeInt32BE(n, RECORDS_COUNT_OFFSET);
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return batch;
}
