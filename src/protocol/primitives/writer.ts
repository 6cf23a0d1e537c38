import { writeInt64 } from './int64.js';
import { zigzag64 } from './varint.js';
import { uuidToBytes } from './uuid.js';

/**
 * Record data that the protocol layer does not hold in memory, such as file regions a fetch response
 * sends with sendfile. The writer reserves its length prefix and notes where its bytes belong; the
 * caller splices them in when it sends the frame. The protocol layer knows only the byte length.
 */
export interface ExternalRecords {
  readonly external: true;
  readonly byteLength: number;
}

/** Bytes of a records field: a view of received bytes, or records held elsewhere. */
export type RecordsData = Buffer | ExternalRecords;

/** Where external records go: after `offset` bytes of the written buffer. */
export interface Splice {
  readonly offset: number;
  readonly records: ExternalRecords;
}

/**
 * The second pass of encoding: writes into one buffer allocated at the size the first pass computed.
 * No bounds checks beyond Buffer's own: a size function that disagrees with its write function is a
 * bug the tests catch (every codec is round-tripped at every version).
 */
export class Writer {
  pos = 0;
  splices: Splice[] | null = null;

  constructor(readonly buf: Buffer) {}

  static alloc(size: number): Writer {
    return new Writer(Buffer.allocUnsafe(size));
  }

  writeInt8(v: number): void {
    this.pos = this.buf.writeInt8(v, this.pos);
  }

  writeBool(v: boolean): void {
    this.buf[this.pos++] = v ? 1 : 0;
  }

  writeInt16(v: number): void {
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }

  writeUint16(v: number): void {
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }

  writeInt32(v: number): void {
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }

  writeUint32(v: number): void {
    this.pos = this.buf.writeUInt32BE(v, this.pos);
  }

  writeInt64(v: number): void {
    writeInt64(this.buf, this.pos, v);
    this.pos += 8;
  }

  writeFloat64(v: number): void {
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  writeUuid(v: string): void {
    this.pos += uuidToBytes(v).copy(this.buf, this.pos);
  }

  writeUnsignedVarint(v: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  writeVarint(v: number): void {
    this.writeUnsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  writeVarlong(v: number): void {
    const buf = this.buf;
    let z = zigzag64(v);
    let pos = this.pos;
    while (z >= 0x80) {
      buf[pos++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    buf[pos++] = z;
    this.pos = pos;
  }

  writeRaw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private utf8(v: string, byteLength: number): void {
    this.pos += this.buf.write(v, this.pos, byteLength, 'utf8');
  }

  writeString(v: string): void {
    const n = Buffer.byteLength(v);
    this.writeInt16(n);
    this.utf8(v, n);
  }

  writeNullableString(v: string | null): void {
    if (v === null) this.writeInt16(-1);
    else this.writeString(v);
  }

  writeCompactString(v: string): void {
    const n = Buffer.byteLength(v);
    this.writeUnsignedVarint(n + 1);
    this.utf8(v, n);
  }

  writeCompactNullableString(v: string | null): void {
    if (v === null) this.writeUnsignedVarint(0);
    else this.writeCompactString(v);
  }

  writeBytes(v: Uint8Array): void {
    this.writeInt32(v.length);
    this.writeRaw(v);
  }

  writeNullableBytes(v: Uint8Array | null): void {
    if (v === null) this.writeInt32(-1);
    else this.writeBytes(v);
  }

  writeCompactBytes(v: Uint8Array): void {
    this.writeUnsignedVarint(v.length + 1);
    this.writeRaw(v);
  }

  writeCompactNullableBytes(v: Uint8Array | null): void {
    if (v === null) this.writeUnsignedVarint(0);
    else this.writeCompactBytes(v);
  }

  /** Records: int32 (or compact) length, then the bytes, or a splice for external records. */
  writeRecords(v: RecordsData | null, compact: boolean): void {
    if (v === null) {
      if (compact) this.writeUnsignedVarint(0);
      else this.writeInt32(-1);
      return;
    }
    if (compact) this.writeUnsignedVarint(v.byteLength + 1);
    else this.writeInt32(v.byteLength);
    if (Buffer.isBuffer(v)) this.writeRaw(v);
    else (this.splices ??= []).push({ offset: this.pos, records: v });
  }
}

/** Bytes a records value adds to the frame, whether held here or spliced in later. */
export function sizeOfRecordsBody(v: RecordsData | null): number {
  return v === null ? 0 : v.byteLength;
}
