/**
 * Record batch v2 (magic 2), read and patched in place through a view of its bytes.
 *
 * ```
 * baseOffset:int64 (0) | batchLength:int32 (8) | partitionLeaderEpoch:int32 (12) | magic:int8 = 2 (16)
 * | crc:uint32 (17) | attributes:int16 (21) | lastOffsetDelta:int32 (23) | baseTimestamp:int64 (27)
 * | maxTimestamp:int64 (35) | producerId:int64 (43) | producerEpoch:int16 (51) | baseSequence:int32 (53)
 * | recordCount:int32 (57) | records (61), compressed as one payload if attributes say so
 * ```
 *
 * Invariants:
 * - batchLength counts the bytes after itself: the batch is 12 + batchLength bytes, at least 61.
 * - crc is CRC-32C over [21, end). baseOffset, batchLength, partitionLeaderEpoch and magic lie outside
 *   it, so the broker patches baseOffset and partitionLeaderEpoch without recomputing; changing the
 *   attributes or maxTimestamp (LogAppendTime) recomputes it.
 * - attributes: bits 0-2 codec, 3 timestamp type (1 = LogAppendTime), 4 transactional, 5 control,
 *   6 delete horizon set (baseTimestamp is then the delete horizon).
 * - A batch as a client produces it has lastOffsetDelta + 1 == recordCount > 0. Compaction may later
 *   remove records (and even leave a batch empty) while keeping lastOffsetDelta, so the log accepts
 *   batches that only pass `ensureValid`.
 *
 * A RecordBatch never copies: it reads and writes the Buffer it was given, which must span exactly the
 * batch (see BatchIterator for carving batches out of a records buffer).
 */
import { readInt64, writeInt64 } from '../primitives/int64.js';
import { crc32c } from './crc.js';
import { RecordsError } from './errors.js';
import { checkCompressionType, type CompressionType } from './compression/index.js';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;
export const RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
/** offset:int64 and size:int32 that open every entry of every format. */
export const LOG_OVERHEAD = 12;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

export const MAGIC_VALUE_V0 = 0;
export const MAGIC_VALUE_V1 = 1;
export const MAGIC_VALUE_V2 = 2;

export const NO_TIMESTAMP = -1;
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

/** Kafka's TimestampType ids; NO_TIMESTAMP_TYPE is magic v0's. */
export const TimestampType = { NO_TIMESTAMP_TYPE: -1, CREATE_TIME: 0, LOG_APPEND_TIME: 1 } as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export function computeAttributes(
  compression: CompressionType,
  timestampType: TimestampType,
  isTransactional: boolean,
  isControl: boolean,
  hasDeleteHorizon = false,
): number {
  let attributes: number = compression;
  if (timestampType === TimestampType.LOG_APPEND_TIME) attributes |= TIMESTAMP_TYPE_MASK;
  if (isTransactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (isControl) attributes |= CONTROL_FLAG_MASK;
  if (hasDeleteHorizon) attributes |= DELETE_HORIZON_FLAG_MASK;
  return attributes;
}

export class RecordBatch {
  constructor(readonly buffer: Buffer) {}

  get sizeInBytes(): number {
    return this.buffer.length;
  }
  get baseOffset(): number {
    return readInt64(this.buffer, BASE_OFFSET_OFFSET);
  }
  get batchLength(): number {
    return this.buffer.readInt32BE(BATCH_LENGTH_OFFSET);
  }
  get partitionLeaderEpoch(): number {
    return this.buffer.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET);
  }
  get magic(): number {
    return this.buffer.readInt8(MAGIC_OFFSET);
  }
  get crc(): number {
    return this.buffer.readUInt32BE(CRC_OFFSET);
  }
  get attributes(): number {
    return this.buffer.readInt16BE(ATTRIBUTES_OFFSET);
  }
  get lastOffsetDelta(): number {
    return this.buffer.readInt32BE(LAST_OFFSET_DELTA_OFFSET);
  }
  get baseTimestamp(): number {
    return readInt64(this.buffer, BASE_TIMESTAMP_OFFSET);
  }
  get maxTimestamp(): number {
    return readInt64(this.buffer, MAX_TIMESTAMP_OFFSET);
  }
  get producerId(): number {
    return readInt64(this.buffer, PRODUCER_ID_OFFSET);
  }
  get producerEpoch(): number {
    return this.buffer.readInt16BE(PRODUCER_EPOCH_OFFSET);
  }
  get baseSequence(): number {
    return this.buffer.readInt32BE(BASE_SEQUENCE_OFFSET);
  }
  get recordCount(): number {
    return this.buffer.readInt32BE(RECORDS_COUNT_OFFSET);
  }

  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }
  get nextOffset(): number {
    return this.lastOffset + 1;
  }
  /** The codec id, unchecked (5-7 are invalid; records() and checkCompressionType reject them). */
  get compressionType(): number {
    return this.attributes & COMPRESSION_CODEC_MASK;
  }
  get timestampType(): TimestampType {
    return (this.attributes & TIMESTAMP_TYPE_MASK) !== 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
  }
  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_FLAG_MASK) !== 0;
  }
  get isControlBatch(): boolean {
    return (this.attributes & CONTROL_FLAG_MASK) !== 0;
  }
  get hasDeleteHorizon(): boolean {
    return (this.attributes & DELETE_HORIZON_FLAG_MASK) !== 0;
  }
  /** The compressed (or plain) records region, a view. */
  get recordsPayload(): Buffer {
    return this.buffer.subarray(RECORDS_OFFSET);
  }

  computeChecksum(): number {
    return crc32c(this.buffer, ATTRIBUTES_OFFSET);
  }

  /** The stored CRC matches the bytes. */
  isValid(): boolean {
    return this.buffer.length >= RECORD_BATCH_OVERHEAD && this.computeChecksum() === this.crc;
  }

  /**
   * Structure and checksum, as Kafka's DefaultRecordBatch.ensureValid: what every batch in a log must
   * pass. CORRUPT_MESSAGE otherwise.
   */
  ensureValid(): void {
    const buf = this.buffer;
    if (buf.length < RECORD_BATCH_OVERHEAD) {
      throw new RecordsError('CORRUPT_MESSAGE', `record batch of ${buf.length} bytes is below the 61-byte overhead`);
    }
    if (this.magic !== MAGIC_VALUE_V2) throw new RecordsError('CORRUPT_MESSAGE', `record batch magic ${this.magic}`);
    if (this.batchLength + LOG_OVERHEAD !== buf.length) {
      throw new RecordsError('CORRUPT_MESSAGE', `batchLength ${this.batchLength} disagrees with ${buf.length} bytes`);
    }
    if (this.recordCount < 0) throw new RecordsError('CORRUPT_MESSAGE', `record count ${this.recordCount}`);
    const computed = this.computeChecksum();
    if (computed !== this.crc) {
      throw new RecordsError('CORRUPT_MESSAGE', `record batch CRC ${this.crc} does not match computed ${computed}`);
    }
  }

  /**
   * ensureValid plus the rules for a batch as a producer sends it (LogValidator.validateBatch): a known
   * codec, records present, and lastOffsetDelta + 1 == recordCount. INVALID_RECORD for the latter.
   */
  validate(): void {
    this.ensureValid();
    checkCompressionType(this.compressionType, MAGIC_VALUE_V2);
    const count = this.recordCount;
    if (count <= 0) throw new RecordsError('INVALID_RECORD', `record batch with record count ${count}`);
    if (this.lastOffsetDelta + 1 !== count) {
      throw new RecordsError(
        'INVALID_RECORD',
        `inconsistent batch: lastOffsetDelta ${this.lastOffsetDelta} with record count ${count}`,
      );
    }
  }

  /** Outside the CRC: no recomputation. */
  setBaseOffset(baseOffset: number): void {
    writeInt64(this.buffer, BASE_OFFSET_OFFSET, baseOffset);
  }

  /** Kafka's setLastOffset: the base offset follows from lastOffsetDelta. */
  setLastOffset(lastOffset: number): void {
    this.setBaseOffset(lastOffset - this.lastOffsetDelta);
  }

  /** Outside the CRC: no recomputation. */
  setPartitionLeaderEpoch(epoch: number): void {
    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH_OFFSET);
  }

  /**
   * Sets the timestamp type and maxTimestamp (the broker time for LogAppendTime) and recomputes the CRC,
   * unless both are unchanged.
   */
  setMaxTimestamp(timestampType: TimestampType, maxTimestamp: number): void {
    if (this.timestampType === timestampType && this.maxTimestamp === maxTimestamp) return;
    const attributes =
      timestampType === TimestampType.LOG_APPEND_TIME
        ? this.attributes | TIMESTAMP_TYPE_MASK
        : this.attributes & ~TIMESTAMP_TYPE_MASK;
    this.buffer.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
    writeInt64(this.buffer, MAX_TIMESTAMP_OFFSET, maxTimestamp);
    this.buffer.writeUInt32BE(this.computeChecksum(), CRC_OFFSET);
  }
}
