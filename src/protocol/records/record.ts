/**
 * Records of a v2 batch (DefaultRecord), encoded and decoded. Each record is
 *
 * ```
 * length:varint | attributes:int8 (unused, 0) | timestampDelta:varlong | offsetDelta:varint
 * | keyLength:varint (-1 = null) | key | valueLength:varint (-1 = null) | value
 * | headerCount:varint | [headerKeyLength:varint | headerKey (UTF-8) | headerValueLength:varint (-1 = null) | headerValue]...
 * ```
 *
 * All varints are zig-zag. `length` counts the bytes after itself. offset = baseOffset + offsetDelta;
 * timestamp = baseTimestamp + timestampDelta, or the batch's maxTimestamp for LogAppendTime.
 *
 * Decoding is lazy: a RecordIterator decompresses the batch's payload once (into a buffer no larger than
 * the caller's limit) and then decodes one record per `next()`. Keys, values and header values are
 * views of the batch (or of the decompressed payload), never copies. A record whose fields do not fill
 * exactly its declared length, a negative header count, or bytes left after the last record are
 * INVALID_RECORD, as in Kafka's DefaultRecord.readFrom.
 */
import { DecodeError } from '../primitives/decode-error.js';
import { Reader } from '../primitives/reader.js';
import { sizeOfVarint, sizeOfVarlong } from '../primitives/varint.js';
import type { Writer } from '../primitives/writer.js';
import {
  CompressionType,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  checkCompressionType,
  decompress,
} from './compression/index.js';
import { RecordsError } from './errors.js';
import { MAGIC_VALUE_V2, NO_SEQUENCE, type RecordBatch, TimestampType } from './record-batch.js';

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** One decoded v2 record (Kafka's DefaultRecord), with absolute offset and resolved timestamp. */
export interface DefaultRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  readonly attributes: number;
  /** baseSequence + offsetDelta (wrapping at 2^31), or -1 without a producer sequence. */
  readonly sequence: number;
  /** Bytes of the record in the (decompressed) records region, its length varint included. */
  readonly sizeInBytes: number;
}

export const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

function sizeOfBytes(b: Uint8Array | null): number {
  return b === null ? 1 : sizeOfVarint(b.length) + b.length;
}

/** Bytes of a record after its length varint. */
export function sizeOfRecordBody(
  offsetDelta: number,
  timestampDelta: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[],
): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta) + sizeOfBytes(key) + sizeOfBytes(value);
  size += sizeOfVarint(headers.length);
  for (const h of headers) {
    const n = Buffer.byteLength(h.key);
    size += sizeOfVarint(n) + n + sizeOfBytes(h.value);
  }
  return size;
}

export function sizeOfRecord(bodySize: number): number {
  return sizeOfVarint(bodySize) + bodySize;
}

function writeBytes(w: Writer, b: Uint8Array | null): void {
  if (b === null) {
    w.writeVarint(-1);
  } else {
    w.writeVarint(b.length);
    w.writeRaw(b);
  }
}

/** Writes one record; `bodySize` is what sizeOfRecordBody returned for the same fields. */
export function writeRecord(
  w: Writer,
  bodySize: number,
  offsetDelta: number,
  timestampDelta: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[],
): void {
  w.writeVarint(bodySize);
  w.writeInt8(0);
  w.writeVarlong(timestampDelta);
  w.writeVarint(offsetDelta);
  writeBytes(w, key);
  writeBytes(w, value);
  w.writeVarint(headers.length);
  for (const h of headers) {
    const n = Buffer.byteLength(h.key);
    w.writeVarint(n);
    w.pos += w.buf.write(h.key, w.pos, n, 'utf8');
    writeBytes(w, h.value);
  }
}

/** The bytes a v2 batch's records occupy once decompressed: a view for uncompressed batches. */
export function decompressRecords(batch: RecordBatch, maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Buffer {
  const codec = checkCompressionType(batch.compressionType, MAGIC_VALUE_V2);
  const payload = batch.recordsPayload;
  return codec === CompressionType.NONE ? payload : decompress(codec, payload, MAGIC_VALUE_V2, maxDecompressedBytes);
}

export class RecordIterator implements IterableIterator<DefaultRecord> {
  private readonly reader: Reader;
  private left: number;
  private readonly baseOffset: number;
  private readonly baseTimestamp: number;
  private readonly logAppendTime: number;
  private readonly baseSequence: number;

  constructor(batch: RecordBatch, maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES) {
    const data = decompressRecords(batch, maxDecompressedBytes);
    this.reader = new Reader(data);
    this.left = batch.recordCount;
    if (this.left < 0) throw new RecordsError('CORRUPT_MESSAGE', `record count ${this.left}`);
    this.baseOffset = batch.baseOffset;
    this.baseTimestamp = batch.baseTimestamp;
    this.logAppendTime = batch.timestampType === TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp : NaN;
    this.baseSequence = batch.baseSequence;
  }

  /** The next record, or null after the last. */
  nextRecord(): DefaultRecord | null {
    const r = this.reader;
    if (this.left === 0) {
      if (r.remaining > 0) {
        throw new RecordsError('INVALID_RECORD', `${r.remaining} bytes remain after the batch's last record`);
      }
      return null;
    }
    this.left--;
    try {
      return this.decode(r);
    } catch (e) {
      if (e instanceof DecodeError) {
        throw new RecordsError('INVALID_RECORD', `invalid record structure: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }

  private decode(r: Reader): DefaultRecord {
    const start = r.pos;
    const bodySize = r.readVarint();
    const bodyStart = r.pos;
    if (bodySize < 0 || bodySize > r.remaining) {
      throw new RecordsError('INVALID_RECORD', `record length ${bodySize} with ${r.remaining} bytes left`);
    }
    const attributes = r.readInt8();
    const timestampDelta = r.readVarlong();
    const offsetDelta = r.readVarint();
    const keySize = r.readVarint();
    const key = keySize >= 0 ? r.readRaw(keySize) : null;
    const valueSize = r.readVarint();
    const value = valueSize >= 0 ? r.readRaw(valueSize) : null;
    const headerCount = r.readVarint();
    if (headerCount < 0 || headerCount > r.remaining) {
      throw new RecordsError('INVALID_RECORD', `invalid header count ${headerCount}`);
    }
    let headers = NO_HEADERS;
    if (headerCount > 0) {
      const list: RecordHeader[] = [];
      for (let i = 0; i < headerCount; i++) {
        const keyLength = r.readVarint();
        if (keyLength < 0) throw new RecordsError('INVALID_RECORD', `negative header key length ${keyLength}`);
        const headerKey = r.readRaw(keyLength).toString('utf8');
        const headerValueSize = r.readVarint();
        list.push({ key: headerKey, value: headerValueSize >= 0 ? r.readRaw(headerValueSize) : null });
      }
      headers = list;
    }
    if (r.pos - bodyStart !== bodySize) {
      throw new RecordsError(
        'INVALID_RECORD',
        `record declares ${bodySize} bytes but its fields take ${r.pos - bodyStart}`,
      );
    }
    const base = this.baseSequence;
    return {
      offset: this.baseOffset + offsetDelta,
      timestamp: Number.isNaN(this.logAppendTime) ? this.baseTimestamp + timestampDelta : this.logAppendTime,
      key,
      value,
      headers,
      attributes,
      sequence:
        base < 0
          ? NO_SEQUENCE
          : base > 0x7fffffff - offsetDelta
            ? base - 0x7fffffff - 1 + offsetDelta
            : base + offsetDelta,
      sizeInBytes: r.pos - start,
    };
  }

  next(): IteratorResult<DefaultRecord> {
    const record = this.nextRecord();
    return record === null ? { done: true, value: undefined } : { done: false, value: record };
  }

  [Symbol.iterator](): RecordIterator {
    return this;
  }
}

/** Iterates a v2 batch's records lazily (decompressing once). */
export function readRecords(batch: RecordBatch, maxDecompressedBytes?: number): RecordIterator {
  return new RecordIterator(batch, maxDecompressedBytes);
}
