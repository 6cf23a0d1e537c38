import { DecodeError } from './decode-error.js';
import { readInt64 } from './int64.js';
import { unzigzag64 } from './varint.js';

/**
 * A bounds-checked cursor over a Buffer view `[pos, end)`.
 *
 * Invariants: no read moves past `end`; every length or count is checked against the bytes left
 * before anything is allocated, so a 2 GiB length prefix in a 20-byte frame is a DecodeError, not an
 * allocation. Bytes, records and unknown tagged fields are returned as `subarray` views of the input,
 * never copies: they stay valid while the input buffer does.
 */
export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    pos = 0,
    end = buf.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n > this.end - at) {
      throw new DecodeError('TRUNCATED', `need ${n} bytes at ${at}, have ${this.end - at}`);
    }
    this.pos = at + n;
    return at;
  }

  private checkLength(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw new DecodeError('LENGTH_EXCEEDS_INPUT', `${what} of ${n} exceeds the ${this.end - this.pos} bytes left`);
    }
  }

  readInt8(): number {
    return this.buf.readInt8(this.need(1));
  }

  readBool(): boolean {
    const b = this.buf[this.need(1)];
    if (b === 0) return false;
    if (b === 1) return true;
    throw new DecodeError('BAD_VALUE', `bool byte ${b}`);
  }

  readInt16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  readUint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }

  readInt32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  readUint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }

  readInt64(): number {
    return readInt64(this.buf, this.need(8));
  }

  readFloat64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  readUuid(): string {
    const at = this.need(16);
    return this.buf.toString('base64url', at, at + 16);
  }

  readUnsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.need(1)]!;
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
    }
    throw new DecodeError('VARINT_TOO_LONG', 'unsigned varint longer than 5 bytes');
  }

  readVarint(): number {
    const z = this.readUnsignedVarint();
    return (z >>> 1) ^ -(z & 1);
  }

  readVarlong(): number {
    let z = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1)]!;
      z += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return unzigzag64(z);
      scale *= 0x80;
    }
    throw new DecodeError('VARINT_TOO_LONG', 'varlong longer than 10 bytes');
  }

  /** Raw bytes as a view. */
  readRaw(n: number): Buffer {
    this.checkLength(n, 'byte run');
    const at = this.pos;
    this.pos = at + n;
    return this.buf.subarray(at, at + n);
  }

  private utf8(n: number): string {
    this.checkLength(n, 'string');
    const at = this.pos;
    this.pos = at + n;
    return this.buf.toString('utf8', at, at + n);
  }

  // Classic encodings: int16 length for strings, int32 for bytes and arrays, -1 meaning null.

  readString(): string {
    const n = this.readInt16();
    if (n < 0) throw new DecodeError('NEGATIVE_LENGTH', `non-nullable string with length ${n}`);
    return this.utf8(n);
  }

  readNullableString(): string | null {
    const n = this.readInt16();
    if (n === -1) return null;
    if (n < 0) throw new DecodeError('NEGATIVE_LENGTH', `string length ${n}`);
    return this.utf8(n);
  }

  readBytes(): Buffer {
    const n = this.readInt32();
    if (n < 0) throw new DecodeError('NEGATIVE_LENGTH', `non-nullable bytes with length ${n}`);
    return this.readRaw(n);
  }

  readNullableBytes(): Buffer | null {
    const n = this.readInt32();
    if (n === -1) return null;
    if (n < 0) throw new DecodeError('NEGATIVE_LENGTH', `bytes length ${n}`);
    return this.readRaw(n);
  }

  /** An int32 element count, -1 for null. Each element takes at least one byte, as Kafka checks. */
  readArrayLength(): number {
    const n = this.readInt32();
    if (n < -1) throw new DecodeError('NEGATIVE_LENGTH', `array length ${n}`);
    if (n > 0) this.checkLength(n, 'array count');
    return n;
  }

  // Compact encodings (KIP-482): unsigned varint of length + 1, 0 meaning null.

  readCompactString(): string {
    const n = this.readUnsignedVarint() - 1;
    if (n < 0) throw new DecodeError('NEGATIVE_LENGTH', 'non-nullable compact string is null');
    return this.utf8(n);
  }

  readCompactNullableString(): string | null {
    const n = this.readUnsignedVarint() - 1;
    return n < 0 ? null : this.utf8(n);
  }

  readCompactBytes(): Buffer {
    const n = this.readUnsignedVarint() - 1;
    if (n < 0) throw new DecodeError('NEGATIVE_LENGTH', 'non-nullable compact bytes is null');
    return this.readRaw(n);
  }

  readCompactNullableBytes(): Buffer | null {
    const n = this.readUnsignedVarint() - 1;
    return n < 0 ? null : this.readRaw(n);
  }

  /** A compact element count, -1 for null. */
  readCompactArrayLength(): number {
    const n = this.readUnsignedVarint() - 1;
    if (n > 0) this.checkLength(n, 'array count');
    return n;
  }
}
