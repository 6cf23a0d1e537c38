import { describe, expect, it } from 'vitest';
import { BatchIterator, firstMagic, readRecordBatches } from './batch-iterator.js';
import { COMPRESSION_NAMES } from './compression/index.js';
import { crc32c } from './crc.js';
import { readRecords } from './record.js';
import { ATTRIBUTES_OFFSET, CRC_OFFSET, RecordBatch, TimestampType } from './record-batch.js';
import { expectRecordsError } from './test-expect.js';
import { fixture, fixtureBytes, recordsFixtures } from './test-fixtures.js';

const TIMESTAMP_TYPES = { CreateTime: 0, LogAppendTime: 1, NoTimestampType: -1 } as const;
const v2Fixtures = recordsFixtures.filter((f) => f.batches[0]!.magic === 2);

describe("RecordBatch over Kafka's v2 batches", () => {
  for (const f of v2Fixtures) {
    it(`${f.name}: every header field as Kafka reads it`, () => {
      const { batches, partialTailBytes } = readRecordBatches(fixtureBytes(f.name));
      expect(partialTailBytes).toBe(0);
      expect(batches.length).toBe(f.batches.length);
      batches.forEach((b, i) => {
        const k = f.batches[i]!;
        b.ensureValid();
        b.validate();
        expect(b.isValid()).toBe(true);
        expect(b.baseOffset).toBe(k.baseOffset);
        expect(b.lastOffset).toBe(k.lastOffset);
        expect(b.magic).toBe(2);
        expect(COMPRESSION_NAMES[b.compressionType]).toBe(k.compression);
        expect(b.timestampType).toBe(TIMESTAMP_TYPES[k.timestampType]);
        expect(b.maxTimestamp).toBe(k.maxTimestamp);
        expect(b.producerId).toBe(k.producerId);
        expect(b.producerEpoch).toBe(k.producerEpoch);
        expect(b.baseSequence).toBe(k.baseSequence);
        expect(b.partitionLeaderEpoch).toBe(k.partitionLeaderEpoch);
        expect(b.isTransactional).toBe(k.isTransactional);
        expect(b.isControlBatch).toBe(k.isControlBatch);
        expect(b.crc).toBe(k.checksum);
        expect(b.sizeInBytes).toBe(k.sizeInBytes);
        expect(b.batchLength + 12).toBe(k.sizeInBytes);
      });
    });
  }

  it('reads without copying: the batch is a view of the records buffer', () => {
    const records = fixtureBytes('v2-two-batches');
    const { batches } = readRecordBatches(records);
    expect(batches[1]!.buffer.buffer).toBe(records.buffer);
    expect(batches[1]!.buffer.byteOffset).toBe(records.byteOffset + batches[0]!.sizeInBytes);
  });

  it('detects a corrupt CRC anywhere in [21, end), and ignores changes outside it', () => {
    const bytes = fixtureBytes('v2-gzip');
    for (const at of [21, 30, 57, 61, bytes.length - 1]) {
      const b = Buffer.from(bytes);
      b[at]! ^= 0x01;
      expect(new RecordBatch(b).isValid()).toBe(false);
      expectRecordsError(() => new RecordBatch(b).ensureValid(), 'CORRUPT_MESSAGE');
    }
    const crcFlip = Buffer.from(bytes);
    crcFlip[CRC_OFFSET]! ^= 0x80;
    expectRecordsError(() => new RecordBatch(crcFlip).ensureValid(), 'CORRUPT_MESSAGE');
  });

  it('rejects bad sizes, magic and counts', () => {
    const bytes = fixtureBytes('v2-none');
    expectRecordsError(() => new RecordBatch(bytes.subarray(0, 60)).ensureValid(), 'CORRUPT_MESSAGE');
    expectRecordsError(() => new RecordBatch(bytes.subarray(0, bytes.length - 1)).ensureValid(), 'CORRUPT_MESSAGE');
    const magic = Buffer.from(bytes);
    magic[16] = 1;
    expectRecordsError(() => new RecordBatch(magic).ensureValid(), 'CORRUPT_MESSAGE');

    const withCount = (count: number, lastOffsetDelta: number): RecordBatch => {
      const b = new RecordBatch(Buffer.from(bytes));
      b.buffer.writeInt32BE(count, 57);
      b.buffer.writeInt32BE(lastOffsetDelta, 23);
      b.buffer.writeUInt32BE(b.computeChecksum(), CRC_OFFSET);
      return b;
    };
    expectRecordsError(() => withCount(-1, 3).ensureValid(), 'CORRUPT_MESSAGE');
    withCount(3, 3).ensureValid(); // compaction leaves such batches: structurally fine
    expectRecordsError(() => withCount(3, 3).validate(), 'INVALID_RECORD');
    expectRecordsError(() => withCount(0, 0).validate(), 'INVALID_RECORD');
    const codec = new RecordBatch(Buffer.from(bytes));
    codec.buffer.writeInt16BE(6, ATTRIBUTES_OFFSET);
    codec.buffer.writeUInt32BE(codec.computeChecksum(), CRC_OFFSET);
    expectRecordsError(() => codec.validate(), 'UNSUPPORTED_COMPRESSION_TYPE');
    expectRecordsError(() => readRecords(codec), 'UNSUPPORTED_COMPRESSION_TYPE');
  });
});

describe('patching in place', () => {
  it('baseOffset and partitionLeaderEpoch lie outside the CRC', () => {
    const b = new RecordBatch(fixtureBytes('v2-lz4'));
    const crc = b.crc;
    b.setBaseOffset(123_456_789_012);
    b.setPartitionLeaderEpoch(42);
    expect(b.crc).toBe(crc);
    b.ensureValid();
    expect(b.baseOffset).toBe(123_456_789_012);
    expect(b.partitionLeaderEpoch).toBe(42);
    expect([...readRecords(b)].map((r) => r.offset)).toEqual([
      123_456_789_012, 123_456_789_013, 123_456_789_014, 123_456_789_015,
    ]);
    b.setLastOffset(1003);
    expect(b.baseOffset).toBe(1000);
  });

  it('setMaxTimestamp with LogAppendTime recomputes the CRC and stamps every record', () => {
    const b = new RecordBatch(fixtureBytes('v2-snappy'));
    const before = b.crc;
    b.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 1_800_000_000_000);
    expect(b.crc).not.toBe(before);
    expect(b.crc).toBe(crc32c(b.buffer, ATTRIBUTES_OFFSET));
    b.validate();
    expect(b.timestampType).toBe(TimestampType.LOG_APPEND_TIME);
    expect(b.compressionType).toBe(2);
    for (const r of readRecords(b)) expect(r.timestamp).toBe(1_800_000_000_000);
    const crc = b.crc;
    b.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 1_800_000_000_000);
    expect(b.crc).toBe(crc);
    b.setMaxTimestamp(TimestampType.CREATE_TIME, 1_700_000_000_010);
    expect(b.crc).toBe(fixture('v2-snappy').batches[0]!.checksum);
  });
});

describe('BatchIterator', () => {
  it('walks batches back to back and reports a truncated tail instead of throwing', () => {
    const records = fixtureBytes('v2-two-batches');
    const first = fixture('v2-two-batches').batches[0]!.sizeInBytes;
    for (const cut of [records.length, records.length - 1, first + 30, first + 12, first + 5, first]) {
      const it = new BatchIterator(records.subarray(0, cut));
      let n = 0;
      while (it.next()) {
        it.batch().ensureValid();
        n++;
      }
      expect(n).toBe(cut === records.length ? 2 : 1);
      expect(it.partialTailBytes).toBe(cut === records.length ? 0 : cut - first);
    }
    const empty = new BatchIterator(Buffer.alloc(0));
    expect(empty.next()).toBe(false);
    expect(empty.partialTailBytes).toBe(0);
  });

  it('walks legacy entries too, and says which magic each is', () => {
    const it = new BatchIterator(fixtureBytes('v1-none'));
    const offsets: number[] = [];
    while (it.next()) {
      expect(it.magic).toBe(1);
      offsets.push(it.offset);
    }
    expect(offsets).toEqual([100, 101, 102, 103]);
    expect(firstMagic(fixtureBytes('v0-gzip'))).toBe(0);
    expect(firstMagic(fixtureBytes('v2-gzip'))).toBe(2);
    expect(firstMagic(Buffer.alloc(3))).toBe(-1);
    const legacy = new BatchIterator(fixtureBytes('v0-none'));
    legacy.next();
    expectRecordsError(() => legacy.batch(), 'UNSUPPORTED_FOR_MESSAGE_FORMAT');
  });

  it('rejects bogus lengths and magic in complete headers', () => {
    const bytes = fixtureBytes('v2-none');
    const small = Buffer.from(bytes);
    small.writeInt32BE(13, 8);
    expectRecordsError(() => new BatchIterator(small).next(), 'CORRUPT_MESSAGE');
    const negative = Buffer.from(bytes);
    negative.writeInt32BE(-5, 8);
    expectRecordsError(() => new BatchIterator(negative).next(), 'CORRUPT_MESSAGE');
    const shortV2 = Buffer.from(bytes);
    shortV2.writeInt32BE(40, 8);
    expectRecordsError(() => new BatchIterator(shortV2).next(), 'CORRUPT_MESSAGE');
    const magic = Buffer.from(bytes);
    magic[16] = 3;
    expectRecordsError(() => new BatchIterator(magic).next(), 'CORRUPT_MESSAGE');
    expectRecordsError(() => new BatchIterator(bytes, 0, bytes.length, 100).next(), 'CORRUPT_MESSAGE');
    // A huge size cannot be told from a truncated batch: it is a partial tail, and nothing is allocated.
    const huge = Buffer.from(bytes);
    huge.writeInt32BE(0x7fffff00, 8);
    const it = new BatchIterator(huge);
    expect(it.next()).toBe(false);
    expect(it.partialTailBytes).toBe(huge.length);
  });
});
