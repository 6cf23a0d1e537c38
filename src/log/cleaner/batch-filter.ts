/**
 * One batch through the cleaner's record filter (Kafka's MemoryRecords.filterTo for a v2 batch).
 *
 * Outcomes:
 * - `ORIGINAL`: every record is kept and no delete horizon needs setting: the batch's bytes are copied.
 * - `DROP`: no record is kept and the batch carries no producer state worth keeping.
 * - a Buffer: the batch rebuilt with the kept records, as Kafka's buildRetainedRecordsInto does:
 *   the header is the original's (baseOffset, lastOffsetDelta, partitionLeaderEpoch, producer id,
 *   epoch and base sequence, transactional/control flags, timestamp type, codec) so offsets and the
 *   producer's last sequence survive; records keep their offsets and timestamps; recordCount,
 *   batchLength and the CRC are recomputed; maxTimestamp becomes the kept records' greatest for
 *   CreateTime (LogAppendTime keeps it); the payload is recompressed with the batch's own codec.
 *   When a kept tombstone sets the delete horizon for the first time, attributes bit 6 is set and
 *   baseTimestamp becomes the horizon (now + delete.retention.ms), record timestamp deltas re-encoded
 *   against it (Kafka 3.x, KIP-534). Otherwise the kept records' bytes are copied unchanged.
 * - with no record kept but a producer id whose last batch this is: an empty batch (recordCount 0,
 *   uncompressed, baseTimestamp = maxTimestamp = the original maxTimestamp), as Kafka's RETAIN_EMPTY,
 *   so the producer's last sequence and epoch stay in the log.
 *
 * Left as they are (documented gap): control batches (transaction markers) and transactional batches,
 * whose records are never removed, and whose keys the offset map never records (an aborted
 * transaction must not shadow older committed values; the cleaner does not track aborted
 * transactions yet).
 */
import { writeInt64 } from '../../protocol/primitives/int64.js';
import { Writer } from '../../protocol/primitives/writer.js';
import { CompressionType, checkCompressionType, compress } from '../../protocol/records/compression/index.js';
import { crc32c } from '../../protocol/records/crc.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CRC_OFFSET,
  DELETE_HORIZON_FLAG_MASK,
  LOG_OVERHEAD,
  MAGIC_VALUE_V2,
  MAX_TIMESTAMP_OFFSET,
  RECORDS_COUNT_OFFSET,
  RECORDS_OFFSET,
  RecordBatch,
  TimestampType,
} from '../../protocol/records/record-batch.js';
import {
  type DefaultRecord,
  NO_HEADERS,
  decompressRecords,
  readRecords,
  sizeOfRecord,
  sizeOfRecordBody,
  writeRecord,
} from '../../protocol/records/record.js';

/** Kafka's shouldRetainRecord, and whether an emptied batch keeps its header. */
export interface RecordFilter {
  /** Keep `record` of `batch`? */
  shouldRetainRecord(batch: RecordBatch, record: DefaultRecord): boolean;
  /** An emptied batch with a producer id is kept (header only) if this says it is the producer's last. */
  isLastBatchOfProducer(batch: RecordBatch): boolean;
  /** now + delete.retention.ms: the delete horizon stamped on batches with kept tombstones. */
  readonly deleteHorizonMs: number;
}

export const ORIGINAL = 0;
export const DROP = 1;
export type FilterOutcome = typeof ORIGINAL | typeof DROP | Buffer;

export interface FilterCounts {
  recordsRead: number;
  recordsRetained: number;
}

interface Kept {
  readonly record: DefaultRecord;
  readonly start: number;
}

/** Filters one v2 batch (a Buffer spanning exactly the batch). */
export function filterBatch(buf: Buffer, filter: RecordFilter, counts: FilterCounts): FilterOutcome {
  const batch = new RecordBatch(buf);
  if (batch.isControlBatch || batch.isTransactional) {
    counts.recordsRead += batch.recordCount;
    counts.recordsRetained += batch.recordCount;
    return ORIGINAL;
  }
  const codec = checkCompressionType(batch.compressionType, MAGIC_VALUE_V2);
  const data = decompressRecords(batch);
  // Records of a compressed batch are walked in a plain copy so that each one's bytes can be located.
  const plain = codec === CompressionType.NONE ? batch : plainBatch(buf, data);
  const kept: Kept[] = [];
  let writeOriginal = true;
  let containsTombstones = false;
  let position = 0;
  for (const record of readRecords(plain)) {
    counts.recordsRead++;
    if (filter.shouldRetainRecord(batch, record)) {
      kept.push({ record, start: position });
      if (record.value === null) containsTombstones = true;
    } else {
      writeOriginal = false;
    }
    position += record.sizeInBytes;
  }
  counts.recordsRetained += kept.length;
  const needToSetDeleteHorizon = containsTombstones && !batch.hasDeleteHorizon;
  if (writeOriginal && !needToSetDeleteHorizon) return ORIGINAL;
  if (kept.length === 0) {
    return batch.producerId >= 0 && filter.isLastBatchOfProducer(batch) ? emptyBatch(buf) : DROP;
  }
  let records: Buffer;
  let baseTimestamp = batch.baseTimestamp;
  if (needToSetDeleteHorizon) {
    baseTimestamp = filter.deleteHorizonMs;
    records = encodeRecords(kept, batch.baseOffset, baseTimestamp);
  } else {
    records = copyRecords(kept, data);
  }
  let maxTimestamp = batch.maxTimestamp;
  if (batch.timestampType === TimestampType.CREATE_TIME) {
    maxTimestamp = -1;
    for (const k of kept) if (k.record.timestamp > maxTimestamp) maxTimestamp = k.record.timestamp;
  }
  const payload = codec === CompressionType.NONE ? records : compress(codec, records, MAGIC_VALUE_V2);
  const out = Buffer.allocUnsafe(RECORDS_OFFSET + payload.length);
  buf.copy(out, 0, 0, RECORDS_OFFSET);
  out.set(payload, RECORDS_OFFSET);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  const horizonSet = needToSetDeleteHorizon || batch.hasDeleteHorizon;
  const attributes = horizonSet ? batch.attributes | DELETE_HORIZON_FLAG_MASK : batch.attributes;
  out.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
  writeInt64(out, BASE_TIMESTAMP_OFFSET, baseTimestamp);
  writeInt64(out, MAX_TIMESTAMP_OFFSET, maxTimestamp);
  out.writeInt32BE(kept.length, RECORDS_COUNT_OFFSET);
  out.writeUInt32BE(crc32c(out, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return out;
}

/** A copy of the header (codec cleared) followed by the decompressed records: walkable in place. */
function plainBatch(buf: Buffer, data: Buffer): RecordBatch {
  const copy = Buffer.allocUnsafe(RECORDS_OFFSET + data.length);
  buf.copy(copy, 0, 0, RECORDS_OFFSET);
  data.copy(copy, RECORDS_OFFSET);
  copy.writeInt16BE(copy.readInt16BE(ATTRIBUTES_OFFSET) & ~COMPRESSION_CODEC_MASK, ATTRIBUTES_OFFSET);
  return new RecordBatch(copy);
}

function copyRecords(kept: readonly Kept[], data: Buffer): Buffer {
  let size = 0;
  for (const k of kept) size += k.record.sizeInBytes;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const k of kept) {
    at += data.copy(out, at, k.start, k.start + k.record.sizeInBytes);
  }
  return out;
}

function encodeRecords(kept: readonly Kept[], baseOffset: number, baseTimestamp: number): Buffer {
  const bodies = new Array<number>(kept.length);
  let size = 0;
  for (let i = 0; i < kept.length; i++) {
    const r = kept[i]!.record;
    bodies[i] = sizeOfRecordBody(r.offset - baseOffset, r.timestamp - baseTimestamp, r.key, r.value, r.headers);
    size += sizeOfRecord(bodies[i]!);
  }
  const w = Writer.alloc(size);
  for (let i = 0; i < kept.length; i++) {
    const r = kept[i]!.record;
    const headers = r.headers.length === 0 ? NO_HEADERS : r.headers;
    writeRecord(w, bodies[i]!, r.offset - baseOffset, r.timestamp - baseTimestamp, r.key, r.value, headers);
  }
  return w.buf;
}

/** Kafka's writeEmptyHeader: the batch's header with no records, uncompressed, no delete horizon. */
function emptyBatch(buf: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORDS_OFFSET);
  buf.copy(out, 0, 0, RECORDS_OFFSET);
  const batch = new RecordBatch(out);
  const maxTimestamp = batch.maxTimestamp;
  out.writeInt32BE(RECORDS_OFFSET - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  out.writeInt16BE(batch.attributes & ~COMPRESSION_CODEC_MASK & ~DELETE_HORIZON_FLAG_MASK, ATTRIBUTES_OFFSET);
  writeInt64(out, BASE_TIMESTAMP_OFFSET, maxTimestamp);
  out.writeInt32BE(0, RECORDS_COUNT_OFFSET);
  out.writeUInt32BE(crc32c(out, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return out;
}
