import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTES_OFFSET,
  CompressionType,
  LAST_OFFSET_DELTA_OFFSET,
  RECORDS_COUNT_OFFSET,
  RecordBatch,
  buildRecordBatch,
} from '../../protocol/records/index.js';
import { fixture, fixtureBytes } from '../../protocol/records/test-fixtures.js';
import { incrementSequence } from './log-validator.js';
import { fails, fixChecksums, isViewOf, ok, produced, rec, run, threeRecords } from './testing/test-helpers.js';

describe('the request shape (ProduceRequest.validateRecords)', () => {
  it('Produce v3+ with two batches: INVALID_RECORD', () => {
    const two = Buffer.concat([buildRecordBatch(threeRecords), buildRecordBatch(threeRecords)]);
    const failure = fails(run(two, {}, { produceVersion: 3 }), 'INVALID_RECORD');
    expect(failure.message).toBe(
      'Produce requests with version 3 are only allowed to contain exactly one record batch per partition',
    );
  });

  it("Produce v0-2 with two v2 batches: LogValidator's one-batch rule", () => {
    const two = Buffer.concat([buildRecordBatch(threeRecords), buildRecordBatch(threeRecords)]);
    expect(fails(run(two, {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toBe(
      'Compressed outer record has more than one batch',
    );
    // Kafka's fixture, its first batch as a client sends it: the second's baseOffset (104) is refused first.
    const kafkas = fixtureBytes('v2-two-batches');
    new RecordBatch(kafkas.subarray(0, fixture('v2-two-batches').batches[0]!.sizeInBytes)).setBaseOffset(0);
    expect(fails(run(kafkas, {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toBe(
      'The baseOffset of the record batch in the append to t-0 should be 0, but it is 104',
    );
    expect(fails(run(produced('v2-two-batches'), {}, { produceVersion: 2 }), 'INVALID_RECORD').message).toBe(
      'Compressed outer record has more than one batch',
    );
  });

  for (const name of ['v0-none', 'v1-gzip']) {
    it(`Produce v3+ with magic ${name[1]} (${name}): INVALID_RECORD`, () => {
      expect(fails(run(produced(name), {}, { produceVersion: 3 }), 'INVALID_RECORD').message).toBe(
        'Produce requests with version 3 are only allowed to contain record batches with magic version 2',
      );
    });
  }

  it('zstd needs Produce v7; v0-2 are not checked', () => {
    expect(fails(run(produced('v2-zstd'), {}, { produceVersion: 6 }), 'UNSUPPORTED_COMPRESSION_TYPE').message).toBe(
      'Produce requests with version 6 are not allowed to use ZStandard compression',
    );
    expect(ok(run(produced('v2-zstd'), {}, { produceVersion: 7 })).compression).toBe(CompressionType.ZSTD);
    expect(ok(run(produced('v2-zstd'), {}, { produceVersion: 2 })).compression).toBe(CompressionType.ZSTD);
  });

  it('no complete entry: INVALID_RECORD from v3; below v3 nothing to append and no error', () => {
    const partial = produced('v2-none').subarray(0, 40);
    expect(fails(run(partial, {}, { produceVersion: 3 }), 'INVALID_RECORD').message).toBe(
      'Produce requests with version 3 must have at least one record batch per partition',
    );
    for (const records of [Buffer.alloc(0), partial]) {
      const result = ok(run(records, {}, { produceVersion: 2 }));
      expect(result.recordCount).toBe(0);
      expect(result.batchCount).toBe(0);
      expect(result.records.length).toBe(0);
    }
  });

  it('a partial entry after the batch is dropped, as Kafka trims it', () => {
    const batch = produced('v2-none');
    const input = Buffer.concat([batch, batch.subarray(0, 30)]);
    const result = ok(run(input));
    expect(result.validBytes).toBe(batch.length);
    expect(result.records.length).toBe(batch.length);
    expect(isViewOf(result.records, input)).toBe(true);
  });
});

describe('batch checks', () => {
  it('oversize: MESSAGE_TOO_LARGE (RecordTooLargeException), not RECORD_LIST_TOO_LARGE', () => {
    const input = produced('v2-none');
    const failure = fails(run(input, { maxMessageBytes: input.length - 1 }), 'MESSAGE_TOO_LARGE');
    expect(failure.errorCode).toBe(10);
    expect(failure.message).toBe(
      `The record batch size in the append to t-0 is ${input.length} bytes which exceeds the maximum configured value of ${input.length - 1}.`,
    );
    expect(ok(run(input, { maxMessageBytes: input.length })).recordCount).toBe(4);
  });

  it('over segment.bytes, when given: RECORD_LIST_TOO_LARGE, the request left unpatched', () => {
    const input = produced('v2-none');
    const copy = Buffer.from(input);
    const config = { segmentBytes: input.length - 1, messageTimestampType: 'LogAppendTime' as const };
    expect(fails(run(input, config), 'RECORD_LIST_TOO_LARGE').errorCode).toBe(18);
    expect(input.equals(copy)).toBe(true);
  });

  it('a recompressed batch that grew past max.message.bytes: MESSAGE_TOO_LARGE', () => {
    const values = Array.from({ length: 50 }, (_, i) => rec(`k${i}`, 'x'.repeat(200)));
    const input = buildRecordBatch(values, { compression: CompressionType.GZIP });
    const failure = fails(
      run(input, { maxMessageBytes: input.length + 10, compressionType: 'uncompressed' }),
      'MESSAGE_TOO_LARGE',
    );
    expect(failure.message).toMatch(/^Message batch size is \d+ bytes in append to t-0 which exceeds/);
  });

  it('corrupt CRC: CORRUPT_MESSAGE', () => {
    const input = produced('v2-snappy');
    input.writeUInt8(input.readUInt8(input.length - 1) ^ 0xff, input.length - 1);
    const crc = new RecordBatch(input).crc;
    expect(fails(run(input), 'CORRUPT_MESSAGE').message).toBe(
      `Record is corrupt (stored crc = ${crc}) in topic partition t-0.`,
    );
  });

  it('lastOffsetDelta + 1 != recordCount: INVALID_RECORD', () => {
    const input = produced('v2-none');
    input.writeInt32BE(5, LAST_OFFSET_DELTA_OFFSET);
    expect(fails(run(fixChecksums(input)), 'INVALID_RECORD').message).toBe(
      'Inconsistent batch offset range [0, 5] and count of records 4 in topic partition t-0',
    );
    input.writeInt32BE(-1, LAST_OFFSET_DELTA_OFFSET);
    expect(fails(run(fixChecksums(input)), 'INVALID_RECORD').message).toBe(
      'Batch has an invalid offset range: [0, -1] in topic partition t-0',
    );
    input.writeInt32BE(0, LAST_OFFSET_DELTA_OFFSET);
    input.writeInt32BE(0, RECORDS_COUNT_OFFSET);
    expect(fails(run(fixChecksums(input)), 'INVALID_RECORD').message).toBe(
      'Invalid reported count for record batch: 0 in topic partition t-0',
    );
  });

  it('a control batch from a client: INVALID_RECORD', () => {
    expect(fails(run(produced('v2-control-commit')), 'INVALID_RECORD').message).toBe(
      'Clients are not allowed to write control records in topic partition t-0',
    );
  });

  it('a producer id without a base sequence: INVALID_RECORD', () => {
    const input = buildRecordBatch(threeRecords, { producerId: 7, producerEpoch: 0, baseSequence: -1 });
    expect(fails(run(input), 'INVALID_RECORD').message).toBe(
      'Invalid sequence number -1 in record batch with producerId 7 in topic partition t-0',
    );
  });

  it('an unknown codec id: UNSUPPORTED_COMPRESSION_TYPE', () => {
    const input = produced('v2-none');
    input.writeInt16BE(5, ATTRIBUTES_OFFSET);
    expect(fails(run(fixChecksums(input)), 'UNSUPPORTED_COMPRESSION_TYPE').errorCode).toBe(76);
  });

  it('record count above the records: premature EOF; below: records remaining (INVALID_RECORD)', () => {
    for (const compression of [CompressionType.NONE, CompressionType.GZIP]) {
      const more = buildRecordBatch(threeRecords, { compression });
      more.writeInt32BE(4, RECORDS_COUNT_OFFSET);
      more.writeInt32BE(3, LAST_OFFSET_DELTA_OFFSET);
      expect(fails(run(fixChecksums(more)), 'INVALID_RECORD').message).toBe(
        'Incorrect declared batch size, premature EOF reached',
      );
      const fewer = buildRecordBatch(threeRecords, { compression });
      fewer.writeInt32BE(2, RECORDS_COUNT_OFFSET);
      fewer.writeInt32BE(1, LAST_OFFSET_DELTA_OFFSET);
      expect(fails(run(fixChecksums(fewer)), 'INVALID_RECORD').message).toBe(
        'Incorrect declared batch size, records still remaining in file',
      );
    }
  });

  it('sequences: lastSequence wraps as Kafka incrementSequence', () => {
    const input = buildRecordBatch(threeRecords, { producerId: 1, producerEpoch: 2, baseSequence: 0x7ffffffe });
    const result = ok(run(input));
    expect(result.baseSequence).toBe(0x7ffffffe);
    expect(result.lastSequence).toBe(0);
    expect(incrementSequence(5, 3)).toBe(8);
    expect(incrementSequence(0x7fffffff, 1)).toBe(0);
  });
});

describe('what a failure looks like', () => {
  it('carries the code by name and number, and no response message unless records were rejected one by one', () => {
    const failure = fails(run(produced('v2-control-commit')), 'INVALID_RECORD');
    expect(failure).toMatchObject({ ok: false, errorCode: 87, recordErrors: [], responseErrorMessage: null });
  });
});
