import { describe, expect, it } from 'vitest';
import { DecodeError } from './decode-error.js';
import { INT64_MAX, INT64_MIN } from './int64.js';
import { Reader } from './reader.js';
import { isUuid, uuidToBytes, ZERO_UUID } from './uuid.js';
import { sizeOfUnsignedVarint, sizeOfVarint, sizeOfVarlong } from './varint.js';
import { Writer } from './writer.js';

function bytes(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s/g, ''), 'hex');
}

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

describe('int64', () => {
  it('round-trips safe integers and the Long sentinels exactly', () => {
    for (const v of [
      0,
      1,
      -1,
      2 ** 32,
      -(2 ** 32) - 1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      1700000000000,
    ]) {
      const w = Writer.alloc(8);
      w.writeInt64(v);
      expect(new Reader(w.buf).readInt64()).toBe(v);
    }
    const max = Writer.alloc(8);
    max.writeInt64(INT64_MAX);
    expect(max.buf.toString('hex')).toBe('7fffffffffffffff');
    expect(new Reader(bytes('7fffffffffffffff')).readInt64()).toBe(INT64_MAX);
    const min = Writer.alloc(8);
    min.writeInt64(new Reader(bytes('8000000000000000')).readInt64());
    expect(min.buf.toString('hex')).toBe('8000000000000000');
    expect(INT64_MIN).toBe(-(2 ** 63));
  });
});

describe('varints', () => {
  it('encodes unsigned varints as Kafka does', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [0xffffffff, 'ffffffff0f'],
    ];
    for (const [v, hex] of cases) {
      const w = Writer.alloc(sizeOfUnsignedVarint(v));
      w.writeUnsignedVarint(v);
      expect(w.buf.toString('hex')).toBe(hex);
      expect(new Reader(w.buf).readUnsignedVarint()).toBe(v);
    }
  });

  it('zig-zags signed varints and varlongs', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [-64, '7f'],
      [64, '8001'],
    ];
    for (const [v, hex] of cases) {
      const w = Writer.alloc(sizeOfVarint(v));
      w.writeVarint(v);
      expect(w.buf.toString('hex')).toBe(hex);
      expect(new Reader(w.buf).readVarint()).toBe(v);
      const l = Writer.alloc(sizeOfVarlong(v));
      l.writeVarlong(v);
      expect(l.buf.toString('hex')).toBe(hex);
      expect(new Reader(l.buf).readVarlong()).toBe(v);
    }
    for (const v of [2 ** 31, -(2 ** 31) - 1, 1700000000000, -1700000000000, 2 ** 51]) {
      const l = Writer.alloc(sizeOfVarlong(v));
      l.writeVarlong(v);
      expect(l.pos).toBe(sizeOfVarlong(v));
      expect(new Reader(l.buf).readVarlong()).toBe(v);
    }
    for (const v of [2 ** 31 - 1, -(2 ** 31)]) {
      const w = Writer.alloc(sizeOfVarint(v));
      w.writeVarint(v);
      expect(new Reader(w.buf).readVarint()).toBe(v);
    }
  });

  it('rejects varints that never end', () => {
    expect(decodeError(() => new Reader(bytes('ffffffffff01')).readUnsignedVarint()).code).toBe('VARINT_TOO_LONG');
    expect(decodeError(() => new Reader(bytes('ffffffffffffffffffff01')).readVarlong()).code).toBe('VARINT_TOO_LONG');
    expect(decodeError(() => new Reader(bytes('ff')).readUnsignedVarint()).code).toBe('TRUNCATED');
  });
});

describe('Reader bounds', () => {
  it('turns short input into TRUNCATED', () => {
    expect(decodeError(() => new Reader(bytes('0001')).readInt32()).code).toBe('TRUNCATED');
    expect(decodeError(() => new Reader(bytes('00')).readInt64()).code).toBe('TRUNCATED');
  });

  it('refuses lengths beyond the input before allocating', () => {
    expect(decodeError(() => new Reader(bytes('7fffffff')).readBytes()).code).toBe('LENGTH_EXCEEDS_INPUT');
    expect(decodeError(() => new Reader(bytes('7fffffff00')).readArrayLength()).code).toBe('LENGTH_EXCEEDS_INPUT');
    expect(decodeError(() => new Reader(bytes('7fff')).readString()).code).toBe('LENGTH_EXCEEDS_INPUT');
    expect(decodeError(() => new Reader(bytes('ffffffff07')).readCompactArrayLength()).code).toBe(
      'LENGTH_EXCEEDS_INPUT',
    );
  });

  it('distinguishes null from negative lengths', () => {
    expect(new Reader(bytes('ffff')).readNullableString()).toBeNull();
    expect(decodeError(() => new Reader(bytes('ffff')).readString()).code).toBe('NEGATIVE_LENGTH');
    expect(decodeError(() => new Reader(bytes('fffe')).readNullableString()).code).toBe('NEGATIVE_LENGTH');
    expect(new Reader(bytes('ffffffff')).readNullableBytes()).toBeNull();
    expect(decodeError(() => new Reader(bytes('fffffffe')).readArrayLength()).code).toBe('NEGATIVE_LENGTH');
    expect(new Reader(bytes('00')).readCompactNullableString()).toBeNull();
    expect(decodeError(() => new Reader(bytes('00')).readCompactString()).code).toBe('NEGATIVE_LENGTH');
  });

  it('rejects bool bytes other than 0 and 1', () => {
    expect(decodeError(() => new Reader(bytes('02')).readBool()).code).toBe('BAD_VALUE');
  });

  it('returns bytes as views of the input', () => {
    const input = bytes('00000003616263');
    const view = new Reader(input).readBytes();
    expect(view.toString()).toBe('abc');
    expect(view.buffer).toBe(input.buffer);
  });

  it('reads within a sub-range only', () => {
    const r = new Reader(bytes('0001000200030004'), 2, 4);
    expect(r.readInt16()).toBe(2);
    expect(decodeError(() => r.readInt16()).code).toBe('TRUNCATED');
  });
});

describe('strings', () => {
  it('writes UTF-8 with classic and compact length prefixes', () => {
    const s = 'héllo ✓';
    const n = Buffer.byteLength(s);
    const w = Writer.alloc(2 + n + sizeOfUnsignedVarint(n + 1) + n + 2 + 1);
    w.writeString(s);
    w.writeCompactString(s);
    w.writeNullableString(null);
    w.writeCompactNullableString(null);
    const r = new Reader(w.buf);
    expect(r.readString()).toBe(s);
    expect(r.readCompactString()).toBe(s);
    expect(r.readNullableString()).toBeNull();
    expect(r.readCompactNullableString()).toBeNull();
    expect(r.remaining).toBe(0);
  });
});

describe('uuid', () => {
  it("uses Kafka's base64url text form", () => {
    expect(uuidToBytes(ZERO_UUID)).toEqual(Buffer.alloc(16));
    const w = Writer.alloc(16);
    w.writeUuid('vLC3ueHfQ6qZCvzMvBBWUw');
    expect(new Reader(w.buf).readUuid()).toBe('vLC3ueHfQ6qZCvzMvBBWUw');
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(() => uuidToBytes('short')).toThrow(TypeError);
  });
});

describe('Writer records', () => {
  it('splices external records instead of copying them', () => {
    const w = Writer.alloc(4 + 2);
    w.writeRecords({ external: true, byteLength: 100 }, false);
    w.writeInt16(7);
    expect(w.splices).toEqual([{ offset: 4, records: { external: true, byteLength: 100 } }]);
    expect(w.buf.readInt32BE(0)).toBe(100);
    expect(w.buf.readInt16BE(4)).toBe(7);
  });
});
