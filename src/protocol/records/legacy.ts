/**
 * Message sets of magic v0 and v1 (Kafka's LegacyRecord), parsed and built. Each entry is
 *
 * ```
 * offset:int64 (0) | size:int32 (8) | crc:uint32 (12) | magic:int8 (16) | attributes:int8 (17)
 * | [timestamp:int64 (18), v1 only] | keyLength:int32 (-1 = null) | key | valueLength:int32 (-1 = null) | value
 * ```
 *
 * - crc is CRC-32 (IEEE) over [magic, end of message). size counts from crc to the end: at least 14
 *   (v0) or 22 (v1).
 * - attributes: bits 0-2 codec (0-3; zstd never), bit 3 timestamp type (v1: 1 = LogAppendTime).
 * - A compressed entry is a wrapper: its value is the compressed bytes of an inner message set, its key
 *   null. The wrapper's offset is the absolute offset of its last inner message.
 *   - v0: inner offsets are absolute.
 *   - v1: inner offsets are relative (0..n-1 as Kafka writes them): absolute = wrapper - lastInner +
 *     inner. A wrapper offset of 0 means "unknown" (librdkafka, kafkajs send it): absolute = inner.
 *     A wrapper offset otherwise below the last inner offset is INVALID_RECORD. A LogAppendTime
 *     wrapper's timestamp overrides its inner messages'.
 *   - Inner messages must have the wrapper's magic, must not be compressed themselves, and there must
 *     be at least one; inner CRCs are checked. A partial inner entry at the end is ignored, as Kafka's
 *     DataLogInputStream ignores it.
 *
 * Keys and values are views of the input (or of the decompressed wrapper value), never copies.
 */
import { readInt64, writeInt64 } from '../primitives/int64.js';
import { BatchIterator } from './batch-iterator.js';
import {
  CompressionType,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  checkCompressionType,
  compress,
  decompress,
} from './compression/index.js';
import { crc32 } from './crc.js';
import { RecordsError } from './errors.js';
import {
  COMPRESSION_CODEC_MASK,
  LOG_OVERHEAD,
  MAGIC_VALUE_V0,
  MAGIC_VALUE_V1,
  NO_TIMESTAMP,
  TIMESTAMP_TYPE_MASK,
  TimestampType,
} from './record-batch.js';
import type { SimpleRecord } from './record-batch-builder.js';

export const RECORD_OVERHEAD_V0 = 14;
export const RECORD_OVERHEAD_V1 = 22;
const CRC_OFFSET = 12;
const MAGIC_OFFSET = 16;
const ATTRIBUTES_OFFSET = 17;
const TIMESTAMP_OFFSET = 18;

/** One message of magic 0 or 1: a plain message, a compressed wrapper, or an inner message. */
export interface LegacyRecord {
  /** Absolute for plain and inner messages returned by readLegacyRecords; the raw field otherwise. */
  readonly offset: number;
  readonly magic: number;
  readonly attributes: number;
  readonly crc: number;
  /** -1 (NO_TIMESTAMP) for v0. */
  readonly timestamp: number;
  readonly timestampType: TimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Bytes of the entry, its 12-byte offset and size included. */
  readonly sizeInBytes: number;
}

export function legacyCompressionType(record: LegacyRecord): number {
  return record.attributes & COMPRESSION_CODEC_MASK;
}

function readSized(entry: Buffer, pos: number, what: string): [Buffer | null, number] {
  if (entry.length - pos < 4) throw new RecordsError('CORRUPT_MESSAGE', `message ends before its ${what} length`);
  const n = entry.readInt32BE(pos);
  pos += 4;
  if (n < 0) return [null, pos];
  if (n > entry.length - pos) throw new RecordsError('CORRUPT_MESSAGE', `${what} length ${n} runs past the message`);
  return [entry.subarray(pos, pos + n), pos + n];
}

/**
 * Parses one entry (a view spanning exactly it, as BatchIterator gives) and checks its CRC. The offset
 * is the entry's own field.
 */
export function readLegacyEntry(entry: Buffer): LegacyRecord {
  if (entry.length < LOG_OVERHEAD + RECORD_OVERHEAD_V0) {
    throw new RecordsError('CORRUPT_MESSAGE', `message of ${entry.length} bytes is below the minimum`);
  }
  if (entry.readInt32BE(8) + LOG_OVERHEAD !== entry.length) {
    throw new RecordsError('CORRUPT_MESSAGE', 'message size disagrees with its bytes');
  }
  const magic = entry.readInt8(MAGIC_OFFSET);
  if (magic !== MAGIC_VALUE_V0 && magic !== MAGIC_VALUE_V1) {
    throw new RecordsError('CORRUPT_MESSAGE', `legacy message with magic ${magic}`);
  }
  if (magic === MAGIC_VALUE_V1 && entry.length < LOG_OVERHEAD + RECORD_OVERHEAD_V1) {
    throw new RecordsError('CORRUPT_MESSAGE', `v1 message of ${entry.length} bytes is below the minimum`);
  }
  const crc = entry.readUInt32BE(CRC_OFFSET);
  const computed = crc32(entry, MAGIC_OFFSET);
  if (crc !== computed) {
    throw new RecordsError('CORRUPT_MESSAGE', `message CRC ${crc} does not match computed ${computed}`);
  }
  const attributes = entry.readInt8(ATTRIBUTES_OFFSET);
  let pos = TIMESTAMP_OFFSET;
  let timestamp = NO_TIMESTAMP;
  let timestampType: TimestampType = TimestampType.NO_TIMESTAMP_TYPE;
  if (magic === MAGIC_VALUE_V1) {
    timestamp = readInt64(entry, pos);
    pos += 8;
    timestampType =
      (attributes & TIMESTAMP_TYPE_MASK) !== 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
  }
  const [key, afterKey] = readSized(entry, pos, 'key');
  const [value] = readSized(entry, afterKey, 'value');
  return {
    offset: readInt64(entry, 0),
    magic,
    attributes,
    crc,
    timestamp,
    timestampType,
    key,
    value,
    sizeInBytes: entry.length,
  };
}

function withOffset(r: LegacyRecord, offset: number, timestamp: number, timestampType: TimestampType): LegacyRecord {
  return { ...r, offset, timestamp, timestampType };
}

/** The inner messages of a compressed wrapper, with absolute offsets. */
export function readWrapperRecords(
  wrapper: LegacyRecord,
  maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): LegacyRecord[] {
  const codec = checkCompressionType(legacyCompressionType(wrapper), wrapper.magic);
  if (wrapper.value === null) throw new RecordsError('INVALID_RECORD', 'compressed wrapper with a null value');
  const inner = decompress(codec, wrapper.value, wrapper.magic, maxDecompressedBytes);
  const it = new BatchIterator(inner);
  const records: LegacyRecord[] = [];
  while (it.next()) {
    const r = readLegacyEntry(it.view());
    if (r.magic !== wrapper.magic) {
      throw new RecordsError(
        'INVALID_RECORD',
        `inner message magic ${r.magic} differs from wrapper magic ${wrapper.magic}`,
      );
    }
    if (legacyCompressionType(r) !== CompressionType.NONE) {
      throw new RecordsError('INVALID_RECORD', 'a compressed message inside a compressed wrapper');
    }
    records.push(r);
  }
  if (records.length === 0) throw new RecordsError('INVALID_RECORD', 'compressed wrapper with no inner messages');
  if (wrapper.magic === MAGIC_VALUE_V0) return records;

  const lastInner = records[records.length - 1]!.offset;
  let base = 0;
  if (wrapper.offset !== 0) {
    if (wrapper.offset < lastInner) {
      throw new RecordsError(
        'INVALID_RECORD',
        `wrapper offset ${wrapper.offset} is below the last inner offset ${lastInner} and not zero`,
      );
    }
    base = wrapper.offset - lastInner;
  }
  const lat = wrapper.timestampType === TimestampType.LOG_APPEND_TIME;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    records[i] = withOffset(r, base + r.offset, lat ? wrapper.timestamp : r.timestamp, wrapper.timestampType);
  }
  return records;
}

export interface LegacyReadResult {
  /** Every message, wrappers opened: absolute offsets, timestamps resolved. */
  readonly records: LegacyRecord[];
  /** The codec of the first compressed wrapper, or NONE. */
  readonly compression: CompressionType;
  readonly partialTailBytes: number;
}

/** Reads a whole message set of magic 0/1 entries (a trailing partial entry is reported, not read). */
export function readLegacyRecords(
  messageSet: Buffer,
  maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): LegacyReadResult {
  const it = new BatchIterator(messageSet);
  const records: LegacyRecord[] = [];
  let compression: CompressionType = CompressionType.NONE;
  while (it.next()) {
    const entry = readLegacyEntry(it.view());
    const codec = legacyCompressionType(entry);
    if (codec === CompressionType.NONE) {
      records.push(entry);
    } else {
      if (compression === CompressionType.NONE) compression = checkCompressionType(codec, entry.magic);
      for (const r of readWrapperRecords(entry, maxDecompressedBytes)) records.push(r);
    }
  }
  return { records, compression, partialTailBytes: it.partialTailBytes };
}

export interface LegacyBuildOptions {
  magic: 0 | 1;
  compression?: CompressionType;
  /** v1 only. */
  timestampType?: TimestampType;
  /** The timestamp of every message (and of the wrapper) for LogAppendTime. */
  logAppendTime?: number;
  /** Offset of the first record when records carry none; the base of v1 relative inner offsets. */
  baseOffset?: number;
}

function sizeOfMessage(magic: number, key: Uint8Array | null, value: Uint8Array | null): number {
  return (magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1) + (key?.length ?? 0) + (value?.length ?? 0);
}

function writeMessage(
  buf: Buffer,
  at: number,
  offset: number,
  magic: number,
  attributes: number,
  timestamp: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
): number {
  writeInt64(buf, at, offset);
  const size = sizeOfMessage(magic, key, value);
  buf.writeInt32BE(size, at + 8);
  buf.writeInt8(magic, at + MAGIC_OFFSET);
  buf.writeInt8(attributes, at + ATTRIBUTES_OFFSET);
  let pos = at + TIMESTAMP_OFFSET;
  if (magic === MAGIC_VALUE_V1) {
    writeInt64(buf, pos, timestamp);
    pos += 8;
  }
  for (const b of [key, value]) {
    if (b === null) {
      pos = buf.writeInt32BE(-1, pos);
    } else {
      pos = buf.writeInt32BE(b.length, pos);
      buf.set(b, pos);
      pos += b.length;
    }
  }
  buf.writeUInt32BE(crc32(buf, at + MAGIC_OFFSET, pos), at + CRC_OFFSET);
  return pos;
}

/**
 * Builds a magic 0/1 message set as Kafka's MemoryRecordsBuilder does: uncompressed, one entry per
 * record; compressed, one wrapper whose offset is the last record's, over inner offsets that are
 * absolute (v0) or relative to `baseOffset` (v1), and whose v1 timestamp is the largest inner one or
 * `logAppendTime`. Headers cannot be represented and are dropped.
 */
export function buildLegacyMessageSet(records: readonly SimpleRecord[], options: LegacyBuildOptions): Buffer {
  const magic = options.magic;
  const compression = checkCompressionType(options.compression ?? CompressionType.NONE, magic);
  const lat = magic === MAGIC_VALUE_V1 && options.timestampType === TimestampType.LOG_APPEND_TIME;
  const logAppendTime = options.logAppendTime ?? NO_TIMESTAMP;
  const baseOffset = options.baseOffset ?? records[0]?.offset ?? 0;
  const innerAttributes = lat ? TIMESTAMP_TYPE_MASK : 0;
  const compressed = compression !== CompressionType.NONE;

  let size = 0;
  for (const r of records) size += LOG_OVERHEAD + sizeOfMessage(magic, r.key, r.value);
  const set = Buffer.allocUnsafe(size);
  let pos = 0;
  let maxTimestamp = NO_TIMESTAMP;
  let lastOffset = baseOffset;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const offset = r.offset ?? baseOffset + i;
    const timestamp = lat ? logAppendTime : r.timestamp;
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    lastOffset = offset;
    const written = compressed && magic === MAGIC_VALUE_V1 ? offset - baseOffset : offset;
    pos = writeMessage(set, pos, written, magic, innerAttributes, timestamp, r.key, r.value);
  }
  if (!compressed || records.length === 0) return set;

  const value = compress(compression, set, magic);
  const wrapper = Buffer.allocUnsafe(LOG_OVERHEAD + sizeOfMessage(magic, null, value));
  writeMessage(
    wrapper,
    0,
    lastOffset,
    magic,
    compression | innerAttributes,
    lat ? logAppendTime : maxTimestamp,
    null,
    value,
  );
  return wrapper;
}
