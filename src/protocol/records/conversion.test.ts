import { describe, expect, it } from 'vitest';
import { BatchIterator, readRecordBatches } from './batch-iterator.js';
import { CompressionType, compressionTypeFromName, decompress } from './compression/index.js';
import { lz4HeaderChecksum } from './compression/lz4.js';
import { downConvert, upConvert } from './conversion.js';
import { legacyCompressionType, readLegacyEntry, readLegacyRecords } from './legacy.js';
import { readRecords } from './record.js';
import { RecordBatch, TimestampType } from './record-batch.js';
import { asManifest, expectRecordsError } from './test-expect.js';
import { downConvertFixtures, fixture, fixtureBytes, recordsFixtures } from './test-fixtures.js';

function shallow(set: Buffer) {
  const it = new BatchIterator(set);
  const out = [];
  while (it.next()) out.push(readLegacyEntry(it.view()));
  return out;
}

describe("down-conversion against Kafka's MemoryRecords.downConvert", () => {
  for (const f of downConvertFixtures) {
    const codec = fixture(f.source!).batches[0]!.compression;
    const exact = codec === 'none' || codec === 'lz4';
    it(`${f.name}: ${exact ? 'byte for byte the same' : 'the same entries and records'}`, () => {
      const kafka = fixtureBytes(f.name);
      const { records: ours } = downConvert(fixtureBytes(f.source!), f.toMagic as 0 | 1, {
        fetchOffset: f.firstOffset,
      });
      if (exact) expect(ours.toString('hex')).toBe(kafka.toString('hex'));
      expect(shallow(ours).map((e) => [e.offset, e.magic, e.attributes, e.timestamp])).toEqual(
        shallow(kafka).map((e) => [e.offset, e.magic, e.attributes, e.timestamp]),
      );
      expect(readLegacyRecords(ours).records.map(asManifest)).toEqual(f.records);
    });
  }

  it("Kafka's own v0 set and our down-conversion of Kafka's v2 set hold the same messages", () => {
    for (const codec of ['none', 'gzip', 'snappy', 'lz4']) {
      for (const magic of [0, 1] as const) {
        const ours = downConvert(fixtureBytes(`v2-${codec}`), magic).records;
        expect(readLegacyRecords(ours).records.map(asManifest)).toEqual(fixture(`v${magic}-${codec}`).records);
      }
    }
  });

  it('writes the broken LZ4 header checksum inside magic 0 wrappers and the correct one in magic 1', () => {
    for (const magic of [0, 1] as const) {
      const [wrapper] = shallow(downConvert(fixtureBytes('v2-lz4'), magic).records);
      const frame = wrapper!.value!;
      expect(frame[6]).toBe(magic === 0 ? lz4HeaderChecksum(frame, 0, 6) : lz4HeaderChecksum(frame, 4, 6));
      expect(frame[6]).not.toBe(magic === 0 ? lz4HeaderChecksum(frame, 4, 6) : lz4HeaderChecksum(frame, 0, 6));
    }
  });

  it('drops control batches and keeps the transactional data around them', () => {
    expect(downConvert(fixtureBytes('v2-control-commit'), 1).records.length).toBe(0);
    const mixed = Buffer.concat([fixtureBytes('v2-lz4-transactional'), fixtureBytes('v2-control-commit')]);
    const { records, convertedCount } = downConvert(mixed, 0);
    expect(convertedCount).toBe(4);
    expect(readLegacyRecords(records).records.map((r) => r.offset)).toEqual([100, 101, 102, 103]);
  });

  it('cannot convert zstd', () => {
    expectRecordsError(() => downConvert(fixtureBytes('v2-zstd'), 1), 'UNSUPPORTED_COMPRESSION_TYPE');
  });

  it('keeps every record of a compressed batch whatever the fetch offset', () => {
    const { records } = downConvert(fixtureBytes('v2-snappy'), 1, { fetchOffset: 103 });
    expect(readLegacyRecords(records).records.map((r) => r.offset)).toEqual([100, 101, 102, 103]);
    const none = downConvert(fixtureBytes('v2-none'), 1, { fetchOffset: 104 });
    expect(none.records.length).toBe(0);
  });

  it('passes entries already at or below the target through unchanged, and converts v1 to v0', () => {
    const v0 = fixtureBytes('v0-gzip');
    expect(downConvert(v0, 1).records.equals(v0)).toBe(true);
    expect(downConvert(v0, 0).records.equals(v0)).toBe(true);
    expect(downConvert(fixtureBytes('v1-none'), 0).records.toString('hex')).toBe(
      fixtureBytes('v0-none').toString('hex'),
    );
    expect(downConvert(fixtureBytes('v1-lz4'), 0).records.toString('hex')).toBe(fixtureBytes('v0-lz4').toString('hex'));
    const fromGzip = downConvert(fixtureBytes('v1-gzip'), 0).records;
    expect(readLegacyRecords(fromGzip).records.map(asManifest)).toEqual(fixture('v0-gzip').records);
  });

  it('drops a partial trailing batch, and converts a mix of batches in order', () => {
    const two = fixtureBytes('v2-two-batches');
    const { records } = downConvert(two.subarray(0, two.length - 1), 1);
    expect(readLegacyRecords(records).records.map((r) => r.offset)).toEqual([100, 101, 102, 103]);
    const whole = downConvert(two, 1).records;
    expect(readLegacyRecords(whole).records.map((r) => r.offset)).toEqual([100, 101, 102, 103, 104]);
  });
});

describe('up-conversion to one v2 batch', () => {
  const legacy = recordsFixtures.filter((f) => f.batches[0]!.magic < 2);
  for (const f of legacy) {
    it(`${f.name}: one valid v2 batch with the same messages, codec kept`, () => {
      const batch = new RecordBatch(upConvert(fixtureBytes(f.name), { baseOffset: 100 }));
      batch.validate();
      expect(batch.compressionType).toBe(compressionTypeFromName(f.batches[0]!.compression));
      expect(batch.recordCount).toBe(f.records.length);
      expect([...readRecords(batch)].map(asManifest)).toEqual(f.records);
    });
  }

  it("gives Kafka's own v2 batch (headers aside) from Kafka's v1 set", () => {
    const ours = new RecordBatch(upConvert(fixtureBytes('v1-none'), { baseOffset: 100 }));
    const kafka = fixture('v2-none').records.map((r) => ({ ...r, headers: [] }));
    expect([...readRecords(ours)].map(asManifest)).toEqual(kafka);
    expect(ours.maxTimestamp).toBe(fixture('v2-none').batches[0]!.maxTimestamp);
  });

  it('reassigns offsets consecutively (old producers send zeros), and can change codec', () => {
    const zeros = Buffer.from(fixtureBytes('v0-none'));
    const it = new BatchIterator(zeros);
    while (it.next()) zeros.writeBigInt64BE(0n, it.position);
    const batch = new RecordBatch(upConvert(zeros, { baseOffset: 0, compression: CompressionType.ZSTD }));
    batch.validate();
    expect(batch.compressionType).toBe(CompressionType.ZSTD);
    expect([...readRecords(batch)].map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    expect(batch.maxTimestamp).toBe(-1);
  });

  it('carries producer fields and LogAppendTime when asked', () => {
    const batch = new RecordBatch(
      upConvert(fixtureBytes('v1-snappy'), {
        timestampType: TimestampType.LOG_APPEND_TIME,
        logAppendTime: 42,
        partitionLeaderEpoch: 3,
      }),
    );
    batch.validate();
    expect(batch.partitionLeaderEpoch).toBe(3);
    expect([...readRecords(batch)].map((r) => r.timestamp)).toEqual([42, 42, 42, 42]);
  });

  it('round trips: v2 -> v0 -> v2 keeps offsets, keys and values', () => {
    const v0 = downConvert(fixtureBytes('v2-gzip'), 0).records;
    expect(legacyCompressionType(shallow(v0)[0]!)).toBe(CompressionType.GZIP);
    const back = new RecordBatch(upConvert(v0, { baseOffset: 100 }));
    const kafka = fixture('v0-gzip').records;
    expect([...readRecords(back)].map(asManifest)).toEqual(kafka);
    expect(readRecordBatches(Buffer.concat([back.buffer, back.buffer])).batches).toHaveLength(2);
    expect(decompress(CompressionType.NONE, back.buffer, 2)).toBe(back.buffer);
  });
});
