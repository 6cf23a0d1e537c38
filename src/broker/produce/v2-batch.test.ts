import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import {
  ATTRIBUTES_OFFSET,
  COMPRESSION_NAMES,
  CompressionType,
  LAST_OFFSET_DELTA_OFFSET,
  RecordBatch,
  TimestampType,
  buildRecordBatch,
  compressionTypeFromName,
} from '../../protocol/records/index.js';
import { fixture, fixtureBytes, recordsFixtures } from '../../protocol/records/test-fixtures.js';
import { targetCompression } from './log-validator.js';
import {
  NOW,
  fails,
  fixChecksums,
  isViewOf,
  ok,
  produced,
  readBack,
  rec,
  run,
  threeRecords,
} from './testing/test-helpers.js';
import { resolveTimestampBounds, type BrokerCompressionType } from './types.js';

const v2Fixtures = recordsFixtures.filter((f) => f.batches.length === 1 && f.batches[0]!.magic === 2);
const clientV2Fixtures = v2Fixtures.filter((f) => !f.batches[0]!.isControlBatch);

describe("Kafka's own v2 batches, every codec, with compression.type=producer", () => {
  for (const f of clientV2Fixtures) {
    it(`${f.name}: kept in place, a view of the request, records as Kafka reads them`, () => {
      const input = produced(f.name);
      const result = ok(run(input));
      const k = f.batches[0]!;
      expect(isViewOf(result.records, input)).toBe(true);
      expect(result.records.length).toBe(input.length);
      expect(result.recompressed).toBe(false);
      expect(COMPRESSION_NAMES[result.compression]).toBe(k.compression);
      expect(result.sourceCompression).toBe(result.compression);
      expect(result.recordCount).toBe(f.records.length);
      expect(result.batchCount).toBe(1);
      expect(result.validBytes).toBe(input.length);
      expect(result.sourceMagic).toBe(2);
      expect(result.producerId).toBe(k.producerId);
      expect(result.producerEpoch).toBe(k.producerEpoch);
      expect(result.baseSequence).toBe(k.baseSequence);
      expect(result.lastSequence).toBe(k.baseSequence < 0 ? -1 : k.baseSequence + f.records.length - 1);
      expect(result.isTransactional).toBe(k.isTransactional);
      expect(result.isControl).toBe(false);
      expect(result.shallowOffsetOfMaxTimestamp).toBe(f.records.length - 1);
      expect(result.logAppendTime).toBe(-1);
      const back = readBack(result);
      expect(back.map((r) => r.offset)).toEqual(f.records.map((r) => r.offset - k.baseOffset));
      expect(back.map((r) => (r.key === null ? null : Buffer.from(r.key).toString('hex')))).toEqual(
        f.records.map((r) => r.key),
      );
    });
  }

  it('an untouched CreateTime batch keeps its bytes exactly (no CRC rewrite)', () => {
    const input = produced('v2-lz4');
    const before = Buffer.from(input);
    const result = ok(run(input));
    expect(result.records.equals(before)).toBe(true);
    expect(result.maxTimestamp).toBe(fixture('v2-lz4').batches[0]!.maxTimestamp);
  });

  it('a batch as Kafka wrote it to its log (baseOffset 100) is refused: clients send 0', () => {
    const failure = fails(run(fixtureBytes('v2-none')), 'INVALID_RECORD');
    expect(failure.message).toBe('The baseOffset of the record batch in the append to t-0 should be 0, but it is 100');
    expect(failure.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(failure.responseErrorMessage).toBeNull();
  });
});

describe('compression.type other than producer: rebuilt with the topic codec', () => {
  const topics: BrokerCompressionType[] = ['uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'];
  for (const f of clientV2Fixtures) {
    for (const topic of topics) {
      const target = topic === 'uncompressed' ? CompressionType.NONE : compressionTypeFromName(topic);
      const source = compressionTypeFromName(f.batches[0]!.compression);
      if (source === target) continue;
      it(`${f.name} on a ${topic} topic`, () => {
        const input = produced(f.name);
        const copy = Buffer.from(input);
        const result = ok(run(input, { compressionType: topic }));
        expect(result.recompressed).toBe(true);
        expect(result.compression).toBe(target);
        expect(result.sourceCompression).toBe(source);
        expect(isViewOf(result.records, input)).toBe(false);
        expect(input.equals(copy)).toBe(true);
        const batch = new RecordBatch(result.records);
        expect(batch.compressionType).toBe(target);
        expect(batch.producerId).toBe(f.batches[0]!.producerId);
        expect(batch.baseSequence).toBe(f.batches[0]!.baseSequence);
        expect(batch.isTransactional).toBe(f.batches[0]!.isTransactional);
        const back = readBack(result);
        expect(back.map((r) => r.timestamp)).toEqual(
          f.batches[0]!.timestampType === 'LogAppendTime'
            ? f.records.map(() => f.batches[0]!.maxTimestamp)
            : f.records.map((r) => r.timestamp),
        );
        expect(result.maxTimestamp).toBe(Math.max(...f.records.map((r) => r.timestamp)));
      });
    }
  }

  it('a topic codec equal to the batch codec keeps it in place', () => {
    const input = produced('v2-snappy');
    expect(ok(run(input, { compressionType: 'snappy' })).recompressed).toBe(false);
  });

  it('targetCompression follows BrokerCompressionType', () => {
    expect(targetCompression('producer', CompressionType.LZ4)).toBe(CompressionType.LZ4);
    expect(targetCompression('uncompressed', CompressionType.LZ4)).toBe(CompressionType.NONE);
    expect(targetCompression('zstd', CompressionType.NONE)).toBe(CompressionType.ZSTD);
  });
});

describe('compressed inner offsets other than 0..n-1', () => {
  /** A batch whose records carry offset deltas 0, 1, 5 but whose header claims 3 records ending at delta 2. */
  function skewed(compression: CompressionType): Buffer {
    const records = threeRecords.map((r, i) => ({ ...r, offset: [0, 1, 5][i]! }));
    const buf = buildRecordBatch(records, { compression });
    buf.writeInt32BE(2, LAST_OFFSET_DELTA_OFFSET);
    return fixChecksums(buf);
  }

  it('compressed: rebuilt with offsets 0..n-1, as Kafka does for old clients', () => {
    const result = ok(run(skewed(CompressionType.GZIP)));
    expect(result.recompressed).toBe(true);
    expect(result.compression).toBe(CompressionType.GZIP);
    expect(readBack(result).map((r) => r.offset)).toEqual([0, 1, 2]);
  });

  it('uncompressed: kept in place with its deltas, as Kafka keeps it (it does not look at them)', () => {
    const input = skewed(CompressionType.NONE);
    const result = ok(run(input));
    expect(result.recompressed).toBe(false);
    expect(isViewOf(result.records, input)).toBe(true);
    expect(readBack(result).map((r) => r.offset)).toEqual([0, 1, 5]);
  });
});

describe('LogAppendTime topics', () => {
  for (const name of ['v2-none', 'v2-gzip', 'v2-zstd']) {
    it(`${name}: in place, maxTimestamp and type set, CRC recomputed, every record reads now`, () => {
      const input = produced(name);
      const result = ok(run(input, { messageTimestampType: 'LogAppendTime' }));
      expect(isViewOf(result.records, input)).toBe(true);
      expect(result.recompressed).toBe(false);
      expect(result.maxTimestamp).toBe(NOW);
      expect(result.logAppendTime).toBe(NOW);
      expect(result.timestampType).toBe(TimestampType.LOG_APPEND_TIME);
      expect(result.shallowOffsetOfMaxTimestamp).toBe(3);
      const batch = new RecordBatch(result.records);
      expect(batch.timestampType).toBe(TimestampType.LOG_APPEND_TIME);
      expect(batch.maxTimestamp).toBe(NOW);
      expect(readBack(result).every((r) => r.timestamp === NOW)).toBe(true);
    });
  }

  it('with recompression the new batch is LogAppendTime too', () => {
    const result = ok(run(produced('v2-none'), { messageTimestampType: 'LogAppendTime', compressionType: 'lz4' }));
    expect(result.recompressed).toBe(true);
    expect(new RecordBatch(result.records).timestampType).toBe(TimestampType.LOG_APPEND_TIME);
    expect(result.maxTimestamp).toBe(NOW);
    expect(readBack(result).every((r) => r.timestamp === NOW)).toBe(true);
  });

  it('a producer that marks its batch LogAppendTime is refused per record (INVALID_TIMESTAMP)', () => {
    const failure = fails(
      run(produced('v2-gzip-logappendtime'), { messageTimestampType: 'LogAppendTime' }),
      'INVALID_TIMESTAMP',
    );
    expect(failure.recordErrors.map((e) => e.batchIndex)).toEqual([0, 1, 2, 3]);
    expect(failure.recordErrors[0]!.message).toBe(
      'Invalid timestamp type in message DefaultRecord(offset=0, timestamp=1700000001000, key=2 bytes, value=2 bytes). ' +
        'Producer should not set timestamp type to LogAppendTime.',
    );
    expect(failure.responseErrorMessage).toBe('One or more records have been rejected due to invalid timestamp');
  });

  it('on a CreateTime topic such a batch is kept and turned CreateTime, as setMaxTimestamp does', () => {
    const result = ok(run(produced('v2-gzip-logappendtime')));
    expect(new RecordBatch(result.records).timestampType).toBe(TimestampType.CREATE_TIME);
    expect(result.maxTimestamp).toBe(fixture('v2-gzip-logappendtime').batches[0]!.maxTimestamp);
  });
});

describe('CreateTime bounds (message.timestamp.before/after.max.ms)', () => {
  const bounds = { messageTimestampBeforeMaxMs: 5000, messageTimestampAfterMaxMs: 1000 };
  const records = [rec('a', '1', NOW - 6000), rec('b', '2', NOW), rec('c', '3', NOW + 1001), rec('d', '4', -1)];

  for (const compression of [CompressionType.NONE, CompressionType.SNAPPY]) {
    it(`${COMPRESSION_NAMES[compression]}: INVALID_TIMESTAMP with one RecordError per bad record, input untouched`, () => {
      const input = buildRecordBatch(records, { compression });
      const copy = Buffer.from(input);
      const failure = fails(run(input, bounds), 'INVALID_TIMESTAMP');
      expect(failure.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
      expect(failure.recordErrors).toEqual([
        {
          batchIndex: 0,
          message: `Timestamp ${NOW - 6000} of message with offset 0 is out of range. The timestamp should be within [${NOW - 5000}, ${NOW + 1000}]`,
        },
        {
          batchIndex: 2,
          message: `Timestamp ${NOW + 1001} of message with offset 2 is out of range. The timestamp should be within [${NOW - 5000}, ${NOW + 1000}]`,
        },
      ]);
      expect(failure.message).toBe('One or more records have been rejected due to invalid timestamp');
      expect(failure.responseErrorMessage).toBe(failure.message);
      expect(input.equals(copy)).toBe(true);
    });
  }

  it('prints an unbounded side as Java would (Long.MAX_VALUE arithmetic wraps)', () => {
    const failure = fails(
      run(buildRecordBatch([rec('a', '1', NOW - 6000)]), { messageTimestampBeforeMaxMs: 5000 }),
      'INVALID_TIMESTAMP',
    );
    const high = BigInt.asIntN(64, BigInt(NOW) + 0x7fffffffffffffffn);
    expect(failure.recordErrors[0]!.message).toContain(`[${NOW - 5000}, ${high}]`);
  });

  it('within bounds, and timestamps of -1, pass; LogAppendTime topics ignore the bounds', () => {
    const inRange = [rec('a', '1', NOW - 5000), rec('b', '2', NOW + 1000), rec('c', '3', -1)];
    expect(ok(run(buildRecordBatch(inRange), bounds)).maxTimestamp).toBe(NOW + 1000);
    expect(ok(run(buildRecordBatch(records), { ...bounds, messageTimestampType: 'LogAppendTime' })).maxTimestamp).toBe(
      NOW,
    );
  });

  it('resolveTimestampBounds falls back to message.timestamp.difference.max.ms like LogConfig', () => {
    expect(resolveTimestampBounds(2 ** 63, 2 ** 63, 3000)).toEqual({
      messageTimestampBeforeMaxMs: 3000,
      messageTimestampAfterMaxMs: 3000,
    });
    expect(resolveTimestampBounds(10, 2 ** 63, 3000)).toEqual({
      messageTimestampBeforeMaxMs: 10,
      messageTimestampAfterMaxMs: 3000,
    });
    expect(resolveTimestampBounds(2 ** 63, 2 ** 63)).toEqual({
      messageTimestampBeforeMaxMs: 2 ** 63,
      messageTimestampAfterMaxMs: 2 ** 63,
    });
  });

  it('a batch whose header maxTimestamp is wrong is corrected, with a new CRC', () => {
    const input = buildRecordBatch(threeRecords);
    input.writeBigInt64BE(BigInt(NOW + 99), 35);
    fixChecksums(input);
    const result = ok(run(input));
    expect(result.maxTimestamp).toBe(NOW);
    expect(new RecordBatch(result.records).maxTimestamp).toBe(NOW);
    new RecordBatch(result.records).ensureValid();
  });

  it('records without timestamps: maxTimestamp and its offset are -1', () => {
    const result = ok(run(buildRecordBatch([rec('a', '1', -1), rec('b', '2', -1)])));
    expect(result.maxTimestamp).toBe(-1);
    expect(result.shallowOffsetOfMaxTimestamp).toBe(-1);
  });
});

describe('compacted topics', () => {
  const withoutKey = [rec('a', '1'), rec(null, '2'), rec('c', '3'), rec(null, '4')];
  const keyMessage = 'Compacted topic cannot accept message without key in topic partition t-0';

  for (const compression of [CompressionType.NONE, CompressionType.LZ4]) {
    it(`${COMPRESSION_NAMES[compression]}: a record without key is INVALID_RECORD, per record`, () => {
      const failure = fails(run(buildRecordBatch(withoutKey, { compression }), { compact: true }), 'INVALID_RECORD');
      expect(failure.recordErrors).toEqual([
        { batchIndex: 1, message: keyMessage },
        { batchIndex: 3, message: keyMessage },
      ]);
      expect(failure.message).toBe(
        'One or more records have been rejected due to 2 record errors in total, and only showing the first three ' +
          `errors at most: [RecordError(batchIndex=1, message='${keyMessage}'), RecordError(batchIndex=3, message='${keyMessage}')]`,
      );
      expect(failure.responseErrorMessage).toBe(failure.message);
    });
  }

  it('keys everywhere pass; the key rule comes before the timestamp rule; any timestamp error wins the code', () => {
    expect(ok(run(buildRecordBatch(threeRecords), { compact: true })).recordCount).toBe(3);
    const mixed = [rec(null, '1', NOW - 10_000), rec('b', '2', NOW - 10_000)];
    const failure = fails(
      run(buildRecordBatch(mixed), { compact: true, messageTimestampBeforeMaxMs: 10 }),
      'INVALID_TIMESTAMP',
    );
    expect(failure.recordErrors.map((e) => [e.batchIndex, e.message!.slice(0, 9)])).toEqual([
      [0, 'Compacted'],
      [1, 'Timestamp'],
    ]);
  });
});

describe('decompression is capped', () => {
  const bombRecords = [rec('k', '\0'.repeat(2_000_000))];

  for (const compression of [CompressionType.GZIP, CompressionType.ZSTD, CompressionType.LZ4]) {
    it(`${COMPRESSION_NAMES[compression]} bomb: MESSAGE_TOO_LARGE at 64 × max.message.bytes`, () => {
      const bomb = buildRecordBatch(bombRecords, { compression });
      expect(bomb.length).toBeLessThan(20_000);
      const failure = fails(run(bomb, { maxMessageBytes: 20_000 }), 'MESSAGE_TOO_LARGE');
      expect(failure.message).toContain('1280000');
      expect(ok(run(bomb, { maxMessageBytes: 20_000, maxDecompressedBytes: 3_000_000 })).recordCount).toBe(1);
    });
  }

  it('a hand-made gzip bomb on the rebuild path too', () => {
    const plain = buildRecordBatch(bombRecords);
    const payload = gzipSync(plain.subarray(61));
    const bomb = Buffer.concat([plain.subarray(0, 61), payload]);
    bomb.writeInt32BE(bomb.length - 12, 8);
    bomb.writeInt16BE(CompressionType.GZIP, ATTRIBUTES_OFFSET);
    fails(run(fixChecksums(bomb), { maxMessageBytes: 20_000, compressionType: 'lz4' }), 'MESSAGE_TOO_LARGE');
  });
});
