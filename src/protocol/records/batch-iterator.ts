/**
 * Carves a records buffer (a produce request's records, a fetch response's, a segment file's bytes)
 * into its entries without copying. Every format opens an entry the same way:
 *
 * ```
 * offset:int64 | size:int32 | size bytes, whose byte 4 (entry byte 16) is the magic
 * ```
 *
 * For magic 2 the entry is a record batch (offset = baseOffset, size = batchLength); for magic 0 and 1
 * it is one message (a compressed wrapper counts as one entry).
 *
 * Invariants: a complete entry's header is checked before its bytes are used (size at least 14, the
 * smallest message; a magic above 2 or a v2 batch under 61 bytes is CORRUPT_MESSAGE; a size over
 * `maxMessageSize` too). An incomplete entry at the end (a fetch response cut at max_bytes, a torn
 * write at a segment's tail) is not an error: `next()` returns false and `partialTailBytes` says how
 * many bytes were left.
 */
import { readInt64 } from '../primitives/int64.js';
import { RecordsError } from './errors.js';
import { LOG_OVERHEAD, MAGIC_OFFSET, MAGIC_VALUE_V2, RECORD_BATCH_OVERHEAD, RecordBatch } from './record-batch.js';

/** Magic v0's message overhead: crc 4, magic 1, attributes 1, key length 4, value length 4. */
export const MIN_ENTRY_SIZE = 14;

export class BatchIterator {
  /** Start of the current entry in `buffer`. */
  position = -1;
  /** Bytes of the current entry, LOG_OVERHEAD included. */
  sizeInBytes = 0;
  magic = -1;
  /** Bytes of an incomplete entry left at the end, once next() has returned false. */
  partialTailBytes = 0;
  private cursor: number;

  constructor(
    readonly buffer: Buffer,
    start = 0,
    readonly end = buffer.length,
    readonly maxMessageSize = 0x7fffffff,
  ) {
    this.cursor = start;
  }

  next(): boolean {
    const buf = this.buffer;
    const at = this.cursor;
    const remaining = this.end - at;
    if (remaining < LOG_OVERHEAD) return this.stop(remaining);
    const size = buf.readInt32BE(at + 8);
    if (size < MIN_ENTRY_SIZE) {
      throw new RecordsError('CORRUPT_MESSAGE', `entry at ${at} has size ${size}, below the minimum ${MIN_ENTRY_SIZE}`);
    }
    if (size > this.maxMessageSize) {
      throw new RecordsError('CORRUPT_MESSAGE', `entry at ${at} has size ${size}, over ${this.maxMessageSize}`);
    }
    if (remaining < LOG_OVERHEAD + size) return this.stop(remaining);
    const magic = buf.readInt8(at + MAGIC_OFFSET);
    if (magic < 0 || magic > MAGIC_VALUE_V2)
      throw new RecordsError('CORRUPT_MESSAGE', `entry at ${at} has magic ${magic}`);
    if (magic === MAGIC_VALUE_V2 && LOG_OVERHEAD + size < RECORD_BATCH_OVERHEAD) {
      throw new RecordsError('CORRUPT_MESSAGE', `record batch at ${at} of ${LOG_OVERHEAD + size} bytes is too small`);
    }
    this.position = at;
    this.sizeInBytes = LOG_OVERHEAD + size;
    this.magic = magic;
    this.cursor = at + LOG_OVERHEAD + size;
    return true;
  }

  private stop(remaining: number): false {
    this.position = -1;
    this.sizeInBytes = 0;
    this.magic = -1;
    this.partialTailBytes = remaining;
    return false;
  }

  /** The current entry's offset field: a batch's baseOffset, a message's (or wrapper's) offset. */
  get offset(): number {
    return readInt64(this.buffer, this.position);
  }

  /** The current entry's bytes, a view. */
  view(): Buffer {
    return this.buffer.subarray(this.position, this.position + this.sizeInBytes);
  }

  /** The current entry as a record batch; it must be magic 2. */
  batch(): RecordBatch {
    if (this.magic !== MAGIC_VALUE_V2) {
      throw new RecordsError('UNSUPPORTED_FOR_MESSAGE_FORMAT', `entry at ${this.position} is magic ${this.magic}`);
    }
    return new RecordBatch(this.view());
  }
}

/** The magic of the first entry, or -1 if the buffer is too short to say. */
export function firstMagic(records: Buffer): number {
  return records.length > MAGIC_OFFSET ? records.readInt8(MAGIC_OFFSET) : -1;
}

/** All complete v2 batches of a records buffer, and how many bytes of a partial one trail them. */
export function readRecordBatches(
  records: Buffer,
  maxMessageSize?: number,
): { batches: RecordBatch[]; partialTailBytes: number } {
  const it = new BatchIterator(records, 0, records.length, maxMessageSize);
  const batches: RecordBatch[] = [];
  while (it.next()) batches.push(it.batch());
  return { batches, partialTailBytes: it.partialTailBytes };
}
