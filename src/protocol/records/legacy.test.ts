import { describe, expect, it } from 'vitest';
import { BatchIterator } from './batch-iterator.js';
import { compress, CompressionType, compressionTypeFromName, decompress } from './compression/index.js';
import { crc32 } from './crc.js';
import {
  buildLegacyMessageSet,
  legacyCompressionType,
  readLegacyEntry,
  readLegacyRecords,
  readWrapperRecords,
} from './legacy.js';
import { TimestampType } from './record-batch.js';
import { asManifest, expectRecordsError } from './test-expect.js';
import { fixture, fixtureBytes, recordsFixtures } from './test-fixtures.js';

const legacyFixtures = recordsFixtures.filter((f) => f.batches[0]!.magic < 2);
const TIMESTAMP_TYPES = { CreateTime: 0, LogAppendTime: 1, NoTimestampType: -1 } as const;
const hex = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'hex'));

/** A message entry written by hand, so tests can put anything inside. */
function message(offset: number, magic: number, attributes: number, value: Buffer | null, timestamp = 0): Buffer {
  const body = Buffer.alloc((magic === 1 ? 22 : 14) + (value?.length ?? 0));
  body[4] = magic;
  body[5] = attributes;
  let pos = 6;
  if (magic === 1) {
    body.writeBigInt64BE(BigInt(timestamp), pos);
    pos += 8;
  }
  body.writeInt32BE(-1, pos);
  body.writeInt32BE(value === null ? -1 : value.length, pos + 4);
  value?.copy(body, pos + 8);
  body.writeUInt32BE(crc32(body, 4), 0);
  const head = Buffer.alloc(12);
  head.writeBigInt64BE(BigInt(offset), 0);
  head.writeInt32BE(body.length, 8);
  return Buffer.concat([head, body]);
}

function entries(set: Buffer) {
  const it = new BatchIterator(set);
  const out = [];
  while (it.next()) out.push(readLegacyEntry(it.view()));
  return out;
}

describe("Kafka's magic 0 and 1 message sets", () => {
  for (const f of legacyFixtures) {
    it(`${f.name}: entries and records as Kafka reads them`, () => {
      const bytes = fixtureBytes(f.name);
      const shallow = entries(bytes);
      expect(shallow).toHaveLength(f.batches.length);
      shallow.forEach((e, i) => {
        const k = f.batches[i]!;
        expect(e.offset).toBe(k.lastOffset);
        expect(e.magic).toBe(k.magic);
        expect(e.crc).toBe(k.checksum);
        expect(e.sizeInBytes).toBe(k.sizeInBytes);
        expect(legacyCompressionType(e)).toBe(compressionTypeFromName(k.compression));
        expect(e.timestampType).toBe(TIMESTAMP_TYPES[k.timestampType]);
        expect(e.timestamp).toBe(k.maxTimestamp);
      });
      const { records, partialTailBytes, compression } = readLegacyRecords(bytes);
      expect(partialTailBytes).toBe(0);
      expect(compression).toBe(compressionTypeFromName(f.batches[0]!.compression));
      expect(records.map(asManifest)).toEqual(f.records);
    });
  }
});

describe('buildLegacyMessageSet against Kafka', () => {
  for (const f of legacyFixtures) {
    const k = f.batches[0]!;
    const lat = k.timestampType === 'LogAppendTime';
    const build = () =>
      buildLegacyMessageSet(
        f.records.map((r) => ({ offset: r.offset, timestamp: r.timestamp, key: hex(r.key), value: hex(r.value) })),
        {
          magic: k.magic as 0 | 1,
          compression: compressionTypeFromName(k.compression),
          timestampType: lat ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
          logAppendTime: lat ? k.maxTimestamp : undefined,
        },
      );
    const exact = k.compression === 'none' || k.compression === 'lz4';
    it(`${f.name}: ${exact ? 'byte for byte the same' : 'the same entries and records'}`, () => {
      const ours = build();
      if (exact) expect(ours.toString('hex')).toBe(fixtureBytes(f.name).toString('hex'));
      const shallow = entries(ours);
      expect(shallow.map((e) => [e.offset, e.attributes, e.timestamp])).toEqual(
        entries(fixtureBytes(f.name)).map((e) => [e.offset, e.attributes, e.timestamp]),
      );
      expect(readLegacyRecords(ours).records.map(asManifest)).toEqual(f.records);
    });
  }

  it('v0 wrappers carry absolute inner offsets, v1 wrappers relative ones', () => {
    const records = [5, 6, 9].map((offset) => ({ offset, timestamp: 1, key: null, value: Buffer.from('x') }));
    for (const magic of [0, 1] as const) {
      const [wrapper] = entries(buildLegacyMessageSet(records, { magic, compression: CompressionType.GZIP }));
      expect(wrapper!.offset).toBe(9);
      const innerSet = entries(decompress(CompressionType.GZIP, wrapper!.value!, magic));
      expect(innerSet.map((e) => e.offset)).toEqual(magic === 0 ? [5, 6, 9] : [0, 1, 4]);
      expect(readWrapperRecords(wrapper!).map((r) => r.offset)).toEqual([5, 6, 9]);
    }
  });
});

describe('wrapper offsets and leniency', () => {
  const v1 = fixtureBytes('v1-gzip');

  function withWrapperOffset(offset: number): Buffer {
    const b = Buffer.from(v1);
    b.writeBigInt64BE(BigInt(offset), 0); // outside the message CRC
    return b;
  }

  it('a v1 wrapper offset of 0 means unknown: inner offsets are taken as they are', () => {
    expect(readLegacyRecords(withWrapperOffset(0)).records.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
  });

  it('a v1 wrapper offset above the last inner offset shifts them', () => {
    expect(readLegacyRecords(withWrapperOffset(1000)).records.map((r) => r.offset)).toEqual([997, 998, 999, 1000]);
  });

  it('a v1 wrapper offset below the last inner offset (and not 0) is INVALID_RECORD', () => {
    expectRecordsError(() => readLegacyRecords(withWrapperOffset(2)), 'INVALID_RECORD');
  });
});

describe('bad legacy input gives typed errors', () => {
  const inner = buildLegacyMessageSet([{ timestamp: 7, key: null, value: Buffer.from('v') }], { magic: 1 });

  it('a corrupt outer or inner CRC', () => {
    const b = fixtureBytes('v0-none');
    b[25]! ^= 1;
    expectRecordsError(() => readLegacyRecords(b), 'CORRUPT_MESSAGE');
    const badInner = Buffer.from(inner);
    badInner[30]! ^= 1;
    const wrapper = message(0, 1, CompressionType.GZIP, compress(CompressionType.GZIP, badInner, 1));
    expectRecordsError(() => readLegacyRecords(wrapper), 'CORRUPT_MESSAGE');
  });

  it('nested compression: a compressed message inside a compressed wrapper', () => {
    const nested = buildLegacyMessageSet([{ timestamp: 7, key: null, value: Buffer.from('v') }], {
      magic: 1,
      compression: CompressionType.GZIP,
    });
    for (const codec of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4]) {
      const outer = message(0, 1, codec, compress(codec, nested, 1));
      expectRecordsError(() => readLegacyRecords(outer), 'INVALID_RECORD');
    }
  });

  it('a wrapper with no inner messages, a null value, or inner messages of another magic', () => {
    expectRecordsError(
      () => readLegacyRecords(message(0, 1, CompressionType.GZIP, compress(CompressionType.GZIP, Buffer.alloc(0), 1))),
      'INVALID_RECORD',
    );
    expectRecordsError(() => readLegacyRecords(message(0, 1, CompressionType.GZIP, null)), 'INVALID_RECORD');
    const v0inner = buildLegacyMessageSet([{ timestamp: 7, key: null, value: null }], { magic: 0 });
    expectRecordsError(
      () => readLegacyRecords(message(0, 1, CompressionType.LZ4, compress(CompressionType.LZ4, v0inner, 1))),
      'INVALID_RECORD',
    );
  });

  it('zstd or an unknown codec in a legacy message', () => {
    expectRecordsError(() => readLegacyRecords(message(0, 1, 4, Buffer.from('x'))), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectRecordsError(() => readLegacyRecords(message(0, 0, 6, Buffer.from('x'))), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectRecordsError(
      () => buildLegacyMessageSet([{ timestamp: 1, key: null, value: null }], { magic: 1, compression: 4 }),
      'UNSUPPORTED_COMPRESSION_TYPE',
    );
  });

  it('garbage in a compressed wrapper', () => {
    for (const codec of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4]) {
      expectRecordsError(
        () => readLegacyRecords(message(0, 1, codec, Buffer.from('not compressed at all'))),
        'CORRUPT_MESSAGE',
      );
    }
  });

  it('a key or value length running past the message', () => {
    const m = message(0, 0, 0, Buffer.from('value'));
    m.writeInt32BE(100, 12 + 10); // value length
    m.writeUInt32BE(crc32(m, 16), 12);
    expectRecordsError(() => readLegacyRecords(m), 'CORRUPT_MESSAGE');
    const v1 = message(0, 1, 0, null);
    expect(v1.length).toBe(34);
    v1.writeInt32BE(3, 12 + 14); // key length 3 in a message without room
    v1.writeUInt32BE(crc32(v1, 16), 12);
    expectRecordsError(() => readLegacyRecords(v1), 'CORRUPT_MESSAGE');
  });

  it('a v1 message below the v1 minimum, and an unknown magic', () => {
    const m = message(0, 0, 0, null);
    m[16] = 1;
    m.writeUInt32BE(crc32(m, 16), 12);
    expectRecordsError(() => readLegacyRecords(m), 'CORRUPT_MESSAGE');
  });

  it('a truncated set reports its partial tail', () => {
    const b = fixtureBytes('v1-none');
    const { records, partialTailBytes } = readLegacyRecords(b.subarray(0, b.length - 5));
    expect(records).toHaveLength(3);
    expect(partialTailBytes).toBe(fixture('v1-none').batches[3]!.sizeInBytes - 5);
  });

  it('a truncated inner set is read up to its last whole message, as Kafka does', () => {
    const two = buildLegacyMessageSet(
      [1, 2].map((i) => ({ timestamp: i, key: null, value: Buffer.from(`v${i}`) })),
      { magic: 1 },
    );
    const cut = two.subarray(0, two.length - 3);
    const wrapper = message(1, 1, CompressionType.GZIP, compress(CompressionType.GZIP, cut, 1));
    expect(readLegacyRecords(wrapper).records.map((r) => r.value!.toString())).toEqual(['v1']);
  });
});
