/**
 * The few v2 batch header fields the log reads and patches, at a position inside a larger buffer (a
 * produce request's records, a chunk of a segment file), without allocating a view per batch. The
 * layout and its constants are the records layer's (src/protocol/records/record-batch.ts); the log
 * treats everything after byte 61 as opaque.
 *
 * A batch occupies LOG_OVERHEAD (12) + batchLength bytes and is at least RECORD_BATCH_OVERHEAD (61).
 * baseOffset and partitionLeaderEpoch lie outside the CRC, so patching them keeps the batch valid.
 */
import { readInt64, writeInt64 } from '../protocol/primitives/int64.js';
import { crc32c } from '../protocol/records/crc.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_VALUE_V2,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
} from '../protocol/records/record-batch.js';

export { LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, MAGIC_VALUE_V2 };

export function batchSizeAt(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
}
export function baseOffsetAt(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + BASE_OFFSET_OFFSET);
}
export function setBaseOffsetAt(buf: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buf, pos + BASE_OFFSET_OFFSET, baseOffset);
}
export function lastOffsetDeltaAt(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
}
export function lastOffsetAt(buf: Buffer, pos: number): number {
  return baseOffsetAt(buf, pos) + lastOffsetDeltaAt(buf, pos);
}
export function magicAt(buf: Buffer, pos: number): number {
  return buf.readInt8(pos + MAGIC_OFFSET);
}
export function partitionLeaderEpochAt(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET);
}
export function setPartitionLeaderEpochAt(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
}
export function maxTimestampAt(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + MAX_TIMESTAMP_OFFSET);
}
export function recordCountAt(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + RECORDS_COUNT_OFFSET);
}

/** The stored CRC-32C matches bytes [21, size) of the batch at `pos`. */
export function isCrcValidAt(buf: Buffer, pos: number, size: number): boolean {
  return crc32c(buf, pos + ATTRIBUTES_OFFSET, pos + size) === buf.readUInt32BE(pos + CRC_OFFSET);
}

/**
 * Why the batch header at `pos` cannot open a v2 batch within `end`, or null if it can: the checks
 * Kafka's FileLogInputStream and DefaultRecordBatch make before trusting a size.
 */
export function headerProblemAt(buf: Buffer, pos: number, end: number): string | null {
  if (end - pos < RECORD_BATCH_OVERHEAD) return `${end - pos} bytes left, less than a batch header`;
  const size = batchSizeAt(buf, pos);
  if (size < RECORD_BATCH_OVERHEAD) return `batch size ${size} below the ${RECORD_BATCH_OVERHEAD}-byte header`;
  const magic = magicAt(buf, pos);
  if (magic !== MAGIC_VALUE_V2) return `magic ${magic}, expected ${MAGIC_VALUE_V2}`;
  if (lastOffsetDeltaAt(buf, pos) < 0) return `negative lastOffsetDelta ${lastOffsetDeltaAt(buf, pos)}`;
  return null;
}
