import { describe, expect, it } from 'vitest';
import { CompressionType } from './compression/index.js';
import { readRecords, RecordIterator } from './record.js';
import { CRC_OFFSET, RecordBatch, RECORDS_OFFSET } from './record-batch.js';
import { buildRecordBatch } from './record-batch-builder.js';
import { readRecordBatches } from './batch-iterator.js';
import { asManifest, expectRecordsError } from './test-expect.js';
import { fixtureBytes, recordsFixtures } from './test-fixtures.js';

const v2Fixtures = recordsFixtures.filter((f) => f.batches[0]!.magic === 2);

function recordsOf(records: Buffer) {
  return readRecordBatches(records).batches.flatMap((b) => [...readRecords(b)]);
}

/** A batch whose uncompressed records region is `payload`, with a correct CRC. */
function batchWithRecords(payload: Buffer, count: number): RecordBatch {
  const header = buildRecordBatch([{ timestamp: 0, key: null, value: null }]).subarray(0, RECORDS_OFFSET);
  const b = new RecordBatch(Buffer.concat([header, payload]));
  b.buffer.writeInt32BE(b.buffer.length - 12, 8);
  b.buffer.writeInt32BE(count, 57);
  b.buffer.writeInt32BE(Math.max(count - 1, 0), 23);
  b.buffer.writeUInt32BE(b.computeChecksum(), CRC_OFFSET);
  return b;
}

describe("records of Kafka's v2 batches", () => {
  for (const f of v2Fixtures) {
    it(`${f.name}: offsets, timestamps, keys, values and headers as Kafka reads them`, () => {
      expect(recordsOf(fixtureBytes(f.name)).map(asManifest)).toEqual(f.records);
    });
  }

  it('keys and values of an uncompressed batch are views of the batch', () => {
    const bytes = fixtureBytes('v2-none');
    const [first] = recordsOf(bytes);
    expect(first!.key!.buffer).toBe(bytes.buffer);
    expect(first!.headers[0]!.value!.buffer).toBe(bytes.buffer);
  });

  it('sequences follow baseSequence, and wrap at 2^31', () => {
    expect(recordsOf(fixtureBytes('v2-none-idempotent')).map((r) => r.sequence)).toEqual([17, 18, 19, 20]);
    expect(recordsOf(fixtureBytes('v2-none')).map((r) => r.sequence)).toEqual([-1, -1, -1, -1]);
    const wrapping = buildRecordBatch(
      [0, 1, 2].map(() => ({ timestamp: 5, key: null, value: null })),
      { producerId: 1, producerEpoch: 0, baseSequence: 0x7fffffff },
    );
    expect([...readRecords(new RecordBatch(wrapping))].map((r) => r.sequence)).toEqual([0x7fffffff, 0, 1]);
  });

  it('is lazy: records are decoded one next() at a time', () => {
    const it = new RecordIterator(new RecordBatch(fixtureBytes('v2-zstd')));
    expect(it.nextRecord()!.offset).toBe(100);
    expect(it.next().value?.offset).toBe(101);
    expect([...it].map((r) => r.offset)).toEqual([102, 103]);
    expect(it.nextRecord()).toBeNull();
  });
});

describe('malformed records give typed errors', () => {
  const good = buildRecordBatch([{ timestamp: 1, key: Buffer.from('k'), value: Buffer.from('v') }]);
  const record = good.subarray(RECORDS_OFFSET); // 0x10 (8) | 0 | 0 | 0 | 02 'k' | 02 'v' | 00

  const run = (b: RecordBatch) => () => [...readRecords(b)];

  it('a record length past the end', () => {
    const p = Buffer.from(record);
    p[0] = 0x40;
    expectRecordsError(run(batchWithRecords(p, 1)), 'INVALID_RECORD');
  });

  it('a record length that its fields do not fill exactly', () => {
    const longer = Buffer.concat([record, Buffer.from([0])]);
    longer[0] = record[0]! + 2;
    expectRecordsError(run(batchWithRecords(longer, 1)), 'INVALID_RECORD');
    const shorter = Buffer.from(record);
    shorter[0] = record[0]! - 2;
    expectRecordsError(run(batchWithRecords(shorter, 1)), 'INVALID_RECORD');
  });

  it('a negative or oversized header count, a negative header key length', () => {
    const neg = Buffer.from(record);
    neg[neg.length - 1] = 0x01; // zig-zag -1
    expectRecordsError(run(batchWithRecords(neg, 1)), 'INVALID_RECORD');
    const big = Buffer.from(record);
    big[big.length - 1] = 0x7e; // 63 headers in 0 bytes
    expectRecordsError(run(batchWithRecords(big, 1)), 'INVALID_RECORD');
    const withHeader = buildRecordBatch([
      { timestamp: 1, key: null, value: null, headers: [{ key: 'h', value: null }] },
    ]);
    const p = Buffer.from(withHeader.subarray(RECORDS_OFFSET));
    p[p.length - 3] = 0x03; // header key length -2
    expectRecordsError(run(batchWithRecords(p, 1)), 'INVALID_RECORD');
  });

  it('a count above or below the records present', () => {
    expectRecordsError(run(batchWithRecords(record, 2)), 'INVALID_RECORD');
    expectRecordsError(run(batchWithRecords(Buffer.concat([record, record]), 1)), 'INVALID_RECORD');
    expect(run(batchWithRecords(Buffer.concat([record, record]), 2))()).toHaveLength(2);
  });

  it('an overlong varint', () => {
    const p = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expectRecordsError(run(batchWithRecords(p, 1)), 'INVALID_RECORD');
  });

  it('a compressed payload that is garbage, or a bomb past the limit', () => {
    const gz = new RecordBatch(fixtureBytes('v2-gzip'));
    gz.buffer.fill(0x55, RECORDS_OFFSET + 10);
    gz.buffer.writeUInt32BE(gz.computeChecksum(), CRC_OFFSET);
    expectRecordsError(run(gz), 'CORRUPT_MESSAGE');
    const big = buildRecordBatch([{ timestamp: 1, key: null, value: Buffer.alloc(1 << 20) }], {
      compression: CompressionType.ZSTD,
    });
    expect(big.length).toBeLessThan(1000);
    expectRecordsError(() => readRecords(new RecordBatch(big), 64 * 1024), 'MESSAGE_TOO_LARGE');
    expect([...readRecords(new RecordBatch(big), 2 << 20)][0]!.value!.length).toBe(1 << 20);
  });
});
