import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecordsError, type RecordsErrorCode } from '../errors.js';
import { codecFixtures, codecPayload, fixtureBytes } from '../test-fixtures.js';
import { CompressionType, checkCompressionType, compress, compressionTypeFromName, decompress } from './index.js';
import { lz4Compress, lz4Decompress, lz4HeaderChecksum } from './lz4.js';
import { isXerial, snappyCompressRaw, snappyCompressXerial, snappyDecompress } from './snappy.js';
import { xxh32 } from './xxh32.js';
import { zstdCompress, zstdDecompress } from './zstd.js';

function expectCode(fn: () => unknown, code: RecordsErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a RecordsError').toBeInstanceOf(RecordsError);
  expect((thrown as RecordsError).code).toBe(code);
}

const CODECS = [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD] as const;
const payload = codecPayload();

describe('xxh32', () => {
  it('matches the reference vectors', () => {
    expect(xxh32(Buffer.alloc(0)).toString(16)).toBe('2cc5d05');
    expect(xxh32(Buffer.from('a')).toString(16)).toBe('550d7456');
    expect(xxh32(Buffer.from('abc')).toString(16)).toBe('32d153ff');
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition')).toString(16)).toBe('e2293b2f');
    expect(xxh32(Buffer.from('abc'), 0, 3, 1).toString(16)).not.toBe('32d153ff');
  });
});

describe("Java's compressed bytes (kafka-clients 3.9.2)", () => {
  for (const f of codecFixtures) {
    it(`decompresses ${f.name}`, () => {
      const out = decompress(compressionTypeFromName(f.codec), fixtureBytes(f.name), f.magic);
      expect(out.length).toBe(f.payloadBytes);
      expect(out.equals(payload)).toBe(true);
    });
  }

  it('Java writes xerial snappy, and raw snappy is read too', () => {
    expect(isXerial(fixtureBytes('codec-snappy-xerial'))).toBe(true);
    expect(isXerial(fixtureBytes('codec-snappy-raw'))).toBe(false);
  });

  it('writes the same xerial header as snappy-java', () => {
    const ours = snappyCompressXerial(payload);
    expect(ours.subarray(0, 16).equals(fixtureBytes('codec-snappy-xerial').subarray(0, 16))).toBe(true);
  });

  it('writes the same LZ4 frame header as Kafka, broken HC for magic 0 and correct HC for magic 1', () => {
    const v0 = fixtureBytes('codec-lz4-v0');
    const v1 = fixtureBytes('codec-lz4-v1');
    expect(v0[6]).not.toBe(v1[6]);
    expect(lz4Compress(payload, 0).subarray(0, 7).equals(v0.subarray(0, 7))).toBe(true);
    expect(lz4Compress(payload, 1).subarray(0, 7).equals(v1.subarray(0, 7))).toBe(true);
    expect(v0[6]).toBe(lz4HeaderChecksum(v0, 0, 6));
    expect(v1[6]).toBe(lz4HeaderChecksum(v1, 4, 6));
  });

  it('checks the LZ4 header checksum for magic 1+ and ignores it for magic 0, as Kafka does', () => {
    const broken = fixtureBytes('codec-lz4-v0');
    expect(lz4Decompress(broken, 0, 1 << 20).equals(payload)).toBe(true);
    expectCode(() => lz4Decompress(broken, 1, 1 << 20), 'CORRUPT_MESSAGE');
    expectCode(() => lz4Decompress(broken, 2, 1 << 20), 'CORRUPT_MESSAGE');
    expect(lz4Decompress(fixtureBytes('codec-lz4-v1'), 0, 1 << 20).equals(payload)).toBe(true);
  });

  it('our compressed bytes decompress to the same payload as the Java fixtures', () => {
    for (const codec of CODECS) {
      expect(decompress(codec, compress(codec, payload, 2), 2).equals(payload)).toBe(true);
    }
  });
});

describe('round trips', () => {
  const inputs = [
    Buffer.alloc(0),
    Buffer.from('x'),
    randomBytes(1000),
    randomBytes(64 * 1024),
    randomBytes(64 * 1024 + 1),
    Buffer.alloc(300_000, 7),
    payload,
  ];
  for (const codec of CODECS) {
    for (const magic of codec === CompressionType.ZSTD ? [2] : [0, 1, 2]) {
      it(`codec ${codec} at magic ${magic}`, () => {
        for (const input of inputs) {
          const c = compress(codec, input, magic);
          expect(decompress(codec, c, magic).equals(input)).toBe(true);
        }
      });
    }
  }

  it('NONE is the identity', () => {
    expect(compress(CompressionType.NONE, payload, 2)).toBe(payload);
    expect(decompress(CompressionType.NONE, payload, 2)).toBe(payload);
  });

  it('raw snappy (as librdkafka writes it) and concatenated xerial streams read back', () => {
    expect(snappyDecompress(snappyCompressRaw(payload), 1 << 20).equals(payload)).toBe(true);
    const two = Buffer.concat([snappyCompressXerial(Buffer.from('abc')), snappyCompressXerial(Buffer.from('def'))]);
    expect(snappyDecompress(two, 100).toString()).toBe('abcdef');
  });

  it('stores incompressible LZ4 blocks uncompressed', () => {
    const random = randomBytes(70_000);
    const frame = lz4Compress(random, 1);
    expect(frame.readUInt32LE(7) & 0x80000000).not.toBe(0);
    expect(lz4Decompress(frame, 1, 1 << 20).equals(random)).toBe(true);
  });
});

describe('codec ids', () => {
  it('rejects unknown ids and zstd below magic 2', () => {
    expectCode(() => checkCompressionType(5, 2), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectCode(() => checkCompressionType(7, 1), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectCode(() => checkCompressionType(4, 1), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectCode(() => checkCompressionType(4, 0), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectCode(() => compress(CompressionType.ZSTD, payload, 1), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectCode(() => compressionTypeFromName('brotli'), 'UNSUPPORTED_COMPRESSION_TYPE');
    expect(checkCompressionType(4, 2)).toBe(CompressionType.ZSTD);
  });
});

describe('bad input gives typed errors', () => {
  const garbage = [
    Buffer.alloc(0),
    Buffer.from([1]),
    Buffer.from('definitely not compressed data, just some text'),
    randomBytes(100),
    randomBytes(5000),
  ];
  for (const codec of CODECS) {
    it(`codec ${codec}: garbage and truncation`, () => {
      for (const g of garbage) {
        try {
          decompress(codec, g, 2, 1 << 20);
        } catch (e) {
          expect(e).toBeInstanceOf(RecordsError);
        }
      }
      const good = compress(codec, payload, 2);
      for (const cut of [1, 7, 20, good.length >> 1, good.length - 1]) {
        expectCode(() => decompress(codec, good.subarray(0, cut), 2, 1 << 20), 'CORRUPT_MESSAGE');
      }
    });
  }

  it('gzip garbage is CORRUPT_MESSAGE', () => {
    expectCode(() => decompress(CompressionType.GZIP, Buffer.from('not gzip'), 2), 'CORRUPT_MESSAGE');
  });

  it('LZ4 frames that Kafka rejects: bad magic, version, dependent blocks, reserved bits, oversized blocks', () => {
    const good = lz4Compress(payload, 1);
    const patched = (at: number, value: number, fixHc = true): Buffer => {
      const b = Buffer.from(good);
      b[at] = value;
      if (fixHc) b[6] = lz4HeaderChecksum(b, 4, 6);
      return b;
    };
    expectCode(() => lz4Decompress(patched(0, 0x05, false), 1, 1 << 20), 'CORRUPT_MESSAGE');
    expectCode(() => lz4Decompress(patched(4, 0xa0), 1, 1 << 20), 'CORRUPT_MESSAGE'); // version 2
    expectCode(() => lz4Decompress(patched(4, 0x40), 1, 1 << 20), 'CORRUPT_MESSAGE'); // dependent blocks
    expectCode(() => lz4Decompress(patched(4, 0x61), 1, 1 << 20), 'CORRUPT_MESSAGE'); // dictionary id
    expectCode(() => lz4Decompress(patched(5, 0x41), 1, 1 << 20), 'CORRUPT_MESSAGE'); // reserved BD bits
    expectCode(() => lz4Decompress(patched(5, 0x30), 1, 1 << 20), 'CORRUPT_MESSAGE'); // block size id 3
    const big = Buffer.from(good);
    big.writeUInt32LE(0x7fffffff, 7);
    expectCode(() => lz4Decompress(big, 1, 1 << 20), 'CORRUPT_MESSAGE');
  });
});

describe('bombs and lying sizes stop at the caller limit', () => {
  const zeros = Buffer.alloc(4 << 20);
  const limit = 1 << 20;

  it('gzip', () => {
    const bomb = gzipSync(zeros);
    expect(bomb.length).toBeLessThan(10_000);
    expectCode(() => decompress(CompressionType.GZIP, bomb, 2, limit), 'MESSAGE_TOO_LARGE');
  });

  it('snappy: a raw block declaring 4 GiB is refused before decoding', () => {
    const liar = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61]);
    expectCode(() => decompress(CompressionType.SNAPPY, liar, 2, limit), 'MESSAGE_TOO_LARGE');
    expectCode(() => decompress(CompressionType.SNAPPY, snappyCompressXerial(zeros), 2, limit), 'MESSAGE_TOO_LARGE');
    expectCode(() => decompress(CompressionType.SNAPPY, snappyCompressRaw(zeros), 2, limit), 'MESSAGE_TOO_LARGE');
  });

  it('snappy: a block whose preamble lies about its length', () => {
    const raw = snappyCompressRaw(Buffer.from('hello hello hello hello'));
    const liar = Buffer.concat([Buffer.from([0x30]), raw.subarray(1)]);
    expectCode(() => snappyDecompress(liar, limit), 'CORRUPT_MESSAGE');
  });

  it('lz4: many blocks, and a declared content size', () => {
    expectCode(() => decompress(CompressionType.LZ4, lz4Compress(zeros, 1), 1, limit), 'MESSAGE_TOO_LARGE');
    const frame = lz4Compress(Buffer.from('small'), 1);
    // FLG with content size: 4 GiB declared.
    const withSize = Buffer.concat([frame.subarray(0, 6), Buffer.alloc(8), frame.subarray(6)]);
    withSize[4] = 0x68;
    withSize.writeUInt32LE(0, 6);
    withSize.writeUInt32LE(1, 10);
    withSize[14] = lz4HeaderChecksum(withSize, 4, 14);
    expectCode(() => lz4Decompress(withSize, 1, limit), 'MESSAGE_TOO_LARGE');
  });

  it('zstd: a frame with a content size, a frame without one, and a lying content size', () => {
    const bomb = zstdCompress(zeros);
    expectCode(() => zstdDecompress(bomb, limit), 'MESSAGE_TOO_LARGE');
    // Frame header: magic, FHD, ... Set the single-segment content size to a huge value.
    const small = zstdCompress(Buffer.from('tiny payload, tiny payload'));
    const fhd = small[4]!;
    expect(fhd >> 6).toBe(0); // one-byte content size (single segment)
    const liar = Buffer.from(small);
    liar[5] = 0xff; // declares 255 bytes, holds 26
    expectCode(() => zstdDecompress(liar, 1 << 20), 'CORRUPT_MESSAGE');
    expectCode(() => zstdDecompress(liar, 100), 'MESSAGE_TOO_LARGE');
    // Two frames back to back: content size of the first is not the whole input, so it streams.
    const two = Buffer.concat([zstdCompress(Buffer.from('abc')), zstdCompress(Buffer.from('def'))]);
    expect(zstdDecompress(two, 100).toString()).toBe('abcdef');
    const many = Buffer.concat([bomb, bomb]);
    expectCode(() => zstdDecompress(many, 5 << 20), 'MESSAGE_TOO_LARGE');
  });
});
