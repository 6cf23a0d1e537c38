/**
 * A walk over the (decompressed) records region of a v2 batch that checks each record's structure and
 * keeps only what validation needs: offsetDelta, timestampDelta and the key and value sizes. It is
 * Kafka's skipKeyValueIterator (DefaultRecord.readPartiallyFrom) for the produce path: no record
 * object, no views, no allocation per record, so validating an uncompressed batch costs a few varint
 * reads per record on top of the CRC.
 *
 * Record layout (record.ts in the records layer):
 * ```
 * length:varint | attributes:int8 | timestampDelta:varlong | offsetDelta:varint | keyLength:varint
 * | key | valueLength:varint | value | headerCount:varint | [hKeyLength:varint | hKey | hValueLength:varint | hValue]...
 * ```
 * A length below 0 means null (below -1 too, as Kafka reads it). It rejects exactly what the records
 * layer's RecordIterator rejects (so anything accepted here reads back there), with Kafka's messages,
 * all INVALID_RECORD: a length past the data, fields not filling the declared length, a negative or
 * oversized header count, a negative header key length, fewer records than declared ("premature
 * EOF"), bytes after the last declared record.
 */
import { unzigzag64 } from '../../protocol/primitives/varint.js';
import { ValidationError } from './validation-error.js';

function structure(detail: string): ValidationError {
  return new ValidationError('INVALID_RECORD', `Found invalid record structure: ${detail}`);
}

/**
 * Varints are decoded inline rather than through the protocol Reader (about twice as fast on small
 * records), with the Reader's semantics: at most 5 bytes for a varint, 10 for a varlong.
 */
export class RecordScanner {
  /** Fields of the record the last `next()` read. */
  offsetDelta = 0;
  timestampDelta = 0;
  /** Negative for null. */
  keySize = -1;
  valueSize = -1;

  private pos = 0;
  private readonly end: number;
  private left: number;

  constructor(
    private readonly data: Buffer,
    recordCount: number,
  ) {
    this.end = data.length;
    this.left = recordCount;
  }

  /** Reads the next record; false once the declared count is read and the data is used up. */
  next(): boolean {
    if (this.left <= 0) {
      if (this.pos < this.end) {
        throw new ValidationError('INVALID_RECORD', 'Incorrect declared batch size, records still remaining in file');
      }
      return false;
    }
    this.left--;
    if (this.pos >= this.end) {
      throw new ValidationError('INVALID_RECORD', 'Incorrect declared batch size, premature EOF reached');
    }
    const bodySize = this.varint();
    const remaining = this.end - this.pos;
    if (bodySize < 0 || bodySize > remaining) {
      throw new ValidationError(
        'INVALID_RECORD',
        `Invalid record size: expected ${bodySize} bytes in record payload, but instead the buffer has only ${remaining} remaining bytes.`,
      );
    }
    const bodyStart = this.pos;
    this.skip(1); // attributes: unused in v2
    this.timestampDelta = this.varlong();
    this.offsetDelta = this.varint();
    this.keySize = this.varint();
    if (this.keySize > 0) this.skip(this.keySize);
    this.valueSize = this.varint();
    if (this.valueSize > 0) this.skip(this.valueSize);
    const headerCount = this.varint();
    if (headerCount < 0) {
      throw new ValidationError('INVALID_RECORD', `Found invalid number of record headers ${headerCount}`);
    }
    if (headerCount > this.end - this.pos) {
      throw new ValidationError(
        'INVALID_RECORD',
        `Found invalid number of record headers. ${headerCount} is larger than the remaining size of the buffer`,
      );
    }
    for (let i = 0; i < headerCount; i++) {
      const keyLength = this.varint();
      if (keyLength < 0) throw new ValidationError('INVALID_RECORD', `Invalid negative header key size ${keyLength}`);
      this.skip(keyLength);
      const valueLength = this.varint();
      if (valueLength > 0) this.skip(valueLength);
    }
    const read = this.pos - bodyStart;
    if (read !== bodySize) {
      throw new ValidationError(
        'INVALID_RECORD',
        `Invalid record size: expected to read ${bodySize} bytes in record payload, but the record payload had ${read} bytes`,
      );
    }
    return true;
  }

  private skip(n: number): void {
    if (n > this.end - this.pos) throw structure(`a field of ${n} bytes with ${this.end - this.pos} left`);
    this.pos += n;
  }

  /** Zig-zag int32 in at most 5 bytes. */
  private varint(): number {
    const data = this.data;
    let pos = this.pos;
    let z = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= this.end) throw structure('a varint runs past the data');
      const b = data[pos++]!;
      z |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        z >>>= 0;
        return (z >>> 1) ^ -(z & 1);
      }
    }
    throw structure('a varint longer than 5 bytes');
  }

  /** Zig-zag int64 in at most 10 bytes, as a number. */
  private varlong(): number {
    const data = this.data;
    let pos = this.pos;
    let z = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw structure('a varlong runs past the data');
      const b = data[pos++]!;
      z += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return unzigzag64(z);
      }
      scale *= 0x80;
    }
    throw structure('a varlong longer than 10 bytes');
  }
}
