import { describe, expect, it } from 'vitest';
import {
  COMPRESSION_NAMES,
  CompressionType,
  RecordBatch,
  TimestampType,
  buildLegacyMessageSet,
  compress,
  compressionTypeFromName,
  crc32,
  type SimpleRecord,
} from '../../protocol/records/index.js';
import { fixtureBytes, recordsFixtures } from '../../protocol/records/test-fixtures.js';
import { NOW, fails, isViewOf, ok, readBack, run } from './testing/test-helpers.js';

const legacyFixtures = recordsFixtures.filter((f) => f.batches[0]!.magic < 2);

const rec = (key: string | null, value: string, timestamp = NOW): SimpleRecord => ({
  timestamp,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
});
const records = [rec('a', '1', NOW - 3), rec('b', '2', NOW - 1), rec('c', '3', NOW - 2)];

/** One v0/v1 message written by hand (null key), so a wrapper can hold anything. */
function message(offset: number, magic: 0 | 1, attributes: number, value: Buffer, timestamp = NOW): Buffer {
  const body = Buffer.alloc((magic === 1 ? 22 : 14) + value.length);
  body[4] = magic;
  body[5] = attributes;
  let pos = 6;
  if (magic === 1) {
    body.writeBigInt64BE(BigInt(timestamp), pos);
    pos += 8;
  }
  body.writeInt32BE(-1, pos);
  body.writeInt32BE(value.length, pos + 4);
  value.copy(body, pos + 8);
  body.writeUInt32BE(crc32(body, 4), 0);
  const head = Buffer.alloc(12);
  head.writeBigInt64BE(BigInt(offset), 0);
  head.writeInt32BE(body.length, 8);
  return Buffer.concat([head, body]);
}

describe("Kafka's magic 0 and 1 message sets become one v2 batch", () => {
  for (const f of legacyFixtures) {
    it(`${f.name}: up-converted, codec kept, offsets 0..n-1, timestamps as Kafka reads them`, () => {
      const input = fixtureBytes(f.name);
      const result = ok(run(input, {}, { produceVersion: 2 }));
      const source = compressionTypeFromName(f.batches[0]!.compression);
      expect(result.recompressed).toBe(true);
      expect(isViewOf(result.records, input)).toBe(false);
      expect(result.sourceMagic).toBe(f.batches[0]!.magic);
      expect(result.sourceCompression).toBe(source);
      expect(result.compression).toBe(source);
      expect(result.batchCount).toBe(1);
      expect(result.recordCount).toBe(f.records.length);
      expect(result.producerId).toBe(-1);
      expect(result.baseSequence).toBe(-1);
      expect(result.lastSequence).toBe(-1);
      const batch = new RecordBatch(result.records);
      expect(batch.magic).toBe(2);
      expect(batch.compressionType).toBe(source);
      expect(batch.timestampType).toBe(TimestampType.CREATE_TIME);
      const back = readBack(result);
      expect(back.map((r) => r.offset)).toEqual(f.records.map((_, i) => i));
      expect(back.map((r) => r.timestamp)).toEqual(f.records.map((r) => r.timestamp));
      expect(back.map((r) => (r.key === null ? null : Buffer.from(r.key).toString('hex')))).toEqual(
        f.records.map((r) => r.key),
      );
      const max = Math.max(...f.records.map((r) => r.timestamp));
      expect(result.maxTimestamp).toBe(max);
      expect(result.shallowOffsetOfMaxTimestamp).toBe(max === -1 ? -1 : f.records.length - 1);
    });
  }

  it('to a topic codec: v1 uncompressed to gzip, v0 lz4 to zstd', () => {
    const a = ok(run(fixtureBytes('v1-none'), { compressionType: 'gzip' }, { produceVersion: 1 }));
    expect(a.compression).toBe(CompressionType.GZIP);
    expect(readBack(a).length).toBe(4);
    const b = ok(run(fixtureBytes('v0-lz4'), { compressionType: 'zstd' }, { produceVersion: 0 }));
    expect(b.compression).toBe(CompressionType.ZSTD);
    expect(readBack(b).map((r) => r.timestamp)).toEqual([-1, -1, -1, -1]);
  });

  it('LogAppendTime topic: the batch gets now', () => {
    const result = ok(run(fixtureBytes('v0-gzip'), { messageTimestampType: 'LogAppendTime' }, { produceVersion: 0 }));
    expect(result.maxTimestamp).toBe(NOW);
    expect(result.logAppendTime).toBe(NOW);
    expect(result.shallowOffsetOfMaxTimestamp).toBe(3);
    expect(new RecordBatch(result.records).timestampType).toBe(TimestampType.LOG_APPEND_TIME);
    expect(readBack(result).every((r) => r.timestamp === NOW)).toBe(true);
  });

  it('a v1 message set the producer marked LogAppendTime, on a LogAppendTime topic: INVALID_TIMESTAMP', () => {
    const wrapped = fails(
      run(fixtureBytes('v1-gzip-logappendtime'), { messageTimestampType: 'LogAppendTime' }, { produceVersion: 2 }),
      'INVALID_TIMESTAMP',
    );
    expect(wrapped.recordErrors.map((e) => e.batchIndex)).toEqual([0, 1, 2, 3]);
    expect(wrapped.recordErrors[0]!.message).toMatch(
      /^Invalid timestamp type in message Record\(magic=1, attributes=8, compression=none, crc=\d+, LogAppendTime=1700000001000, key=2 bytes, value=2 bytes\)\. Producer should not set timestamp type to LogAppendTime\.$/,
    );
    // Uncompressed messages are batches of their own: the first bad one fails alone.
    const plain = fails(
      run(fixtureBytes('v1-none-logappendtime'), { messageTimestampType: 'LogAppendTime' }, { produceVersion: 2 }),
      'INVALID_TIMESTAMP',
    );
    expect(plain.recordErrors.map((e) => e.batchIndex)).toEqual([0]);
  });
});

describe('legacy rules', () => {
  for (const magic of [0, 1] as const) {
    for (const compression of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4]) {
      it(`magic ${magic} ${COMPRESSION_NAMES[compression]} wrapper built here converts with its records`, () => {
        const set = buildLegacyMessageSet(records, { magic, compression, baseOffset: 0 });
        const result = ok(run(set, {}, { produceVersion: 1 }));
        expect(result.compression).toBe(compression);
        expect(readBack(result).map((r) => r.key)).toEqual(['a', 'b', 'c']);
      });
    }
  }

  it('v1 wrapper offset 0 means "unknown" (librdkafka, kafkajs); another offset below the last inner one is refused', () => {
    const set = buildLegacyMessageSet(records, { magic: 1, compression: CompressionType.GZIP, baseOffset: 0 });
    set.writeBigInt64BE(0n, 0); // outside the message CRC
    expect(ok(run(set, {}, { produceVersion: 2 })).recordCount).toBe(3);
    set.writeBigInt64BE(1n, 0);
    expect(fails(run(set, {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toContain('wrapper offset 1');
  });

  it('compacted topic: a v0 message without key is INVALID_RECORD', () => {
    const set = buildLegacyMessageSet([rec('a', '1'), rec(null, '2')], { magic: 0 });
    const failure = fails(run(set, { compact: true }, { produceVersion: 0 }), 'INVALID_RECORD');
    expect(failure.recordErrors).toEqual([
      { batchIndex: 0, message: 'Compacted topic cannot accept message without key in topic partition t-0' },
    ]);
  });

  it('timestamps out of range in a v1 wrapper: INVALID_TIMESTAMP by inner index', () => {
    const set = buildLegacyMessageSet([rec('a', '1', NOW), rec('b', '2', NOW - 60_000)], {
      magic: 1,
      compression: CompressionType.LZ4,
    });
    const failure = fails(run(set, { messageTimestampBeforeMaxMs: 1000 }, { produceVersion: 2 }), 'INVALID_TIMESTAMP');
    expect(failure.recordErrors.map((e) => e.batchIndex)).toEqual([1]);
    expect(failure.recordErrors[0]!.message).toContain('of message with offset 1 is out of range');
  });

  it('mixed magic: INVALID_RECORD', () => {
    const set = Buffer.concat([
      buildLegacyMessageSet([rec('a', '1')], { magic: 0 }),
      buildLegacyMessageSet([rec('b', '2')], { magic: 1 }),
    ]);
    expect(fails(run(set, {}, { produceVersion: 1 }), 'INVALID_RECORD').message).toBe(
      "Batch magic 1 is not the same as the first batch's magic byte 0 in topic partition t-0",
    );
  });

  it('two compressed wrappers: INVALID_RECORD; several plain messages are fine', () => {
    const wrapper = buildLegacyMessageSet(records, { magic: 1, compression: CompressionType.GZIP });
    expect(fails(run(Buffer.concat([wrapper, wrapper]), {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toBe(
      'Compressed outer record has more than one batch',
    );
    expect(ok(run(buildLegacyMessageSet(records, { magic: 1 }), {}, { produceVersion: 2 })).recordCount).toBe(3);
  });

  it('nested compression: INVALID_RECORD', () => {
    const inner = buildLegacyMessageSet(records, { magic: 1, compression: CompressionType.GZIP, baseOffset: 0 });
    inner.writeBigInt64BE(0n, 0);
    const outer = message(0, 1, CompressionType.GZIP, compress(CompressionType.GZIP, inner, 1));
    expect(fails(run(outer, {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toContain('compressed');
  });

  it('corrupt CRC, outer or inner: CORRUPT_MESSAGE', () => {
    const plain = buildLegacyMessageSet(records, { magic: 1 });
    plain.writeUInt8(plain.readUInt8(plain.length - 1) ^ 1, plain.length - 1);
    expect(fails(run(plain, {}, { produceVersion: 2 }), 'CORRUPT_MESSAGE').message).toMatch(
      /^Record is corrupt \(stored crc = \d+\) in topic partition t-0\.$/,
    );
    const badInner = buildLegacyMessageSet(records, { magic: 1, baseOffset: 0 });
    badInner.writeUInt8(badInner.readUInt8(badInner.length - 1) ^ 1, badInner.length - 1);
    const wrapper = message(2, 1, CompressionType.GZIP, compress(CompressionType.GZIP, badInner, 1));
    fails(run(wrapper, {}, { produceVersion: 2 }), 'CORRUPT_MESSAGE');
  });

  it('zstd in a legacy wrapper: INVALID_RECORD, as DeepRecordsIterator', () => {
    const inner = buildLegacyMessageSet(records, { magic: 1, baseOffset: 0 });
    const wrapper = message(2, 1, CompressionType.ZSTD, compress(CompressionType.ZSTD, inner, 2));
    expect(fails(run(wrapper, {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toBe(
      'Invalid wrapper compressionType found in legacy deep record iterator 1',
    );
  });

  it('each message is checked against max.message.bytes, then the converted batch again', () => {
    const set = buildLegacyMessageSet(records, { magic: 0 });
    fails(run(set, { maxMessageBytes: 27 }, { produceVersion: 0 }), 'MESSAGE_TOO_LARGE');
    const failure = fails(run(set, { maxMessageBytes: 40 }, { produceVersion: 0 }), 'MESSAGE_TOO_LARGE');
    expect(failure.message).toMatch(/^Message batch size is \d+ bytes in append to t-0/);
  });

  it('a gzip bomb in a wrapper stops at the cap', () => {
    const set = buildLegacyMessageSet([rec('k', '\0'.repeat(2_000_000))], {
      magic: 1,
      compression: CompressionType.GZIP,
    });
    fails(run(set, { maxMessageBytes: 20_000 }, { produceVersion: 2 }), 'MESSAGE_TOO_LARGE');
  });
});
