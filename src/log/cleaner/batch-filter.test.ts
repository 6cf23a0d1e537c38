import { describe, expect, it } from 'vitest';
import { CompressionType } from '../../protocol/records/compression/index.js';
import { RecordBatch } from '../../protocol/records/record-batch.js';
import { type DefaultRecord, readRecords } from '../../protocol/records/record.js';
import { keyedBatch } from '../testing/test-batches.js';
import { DROP, ORIGINAL, type RecordFilter, filterBatch } from './batch-filter.js';

function filter(keep: (r: DefaultRecord) => boolean, lastOfProducer = false, horizon = 50_000): RecordFilter {
  return {
    shouldRetainRecord: (_b, r) => keep(r),
    isLastBatchOfProducer: () => lastOfProducer,
    deleteHorizonMs: horizon,
  };
}
const counts = (): { recordsRead: number; recordsRetained: number } => ({ recordsRead: 0, recordsRetained: 0 });
const records = (buf: Buffer): { offset: number; key: string; value: string | null; timestamp: number }[] =>
  [...readRecords(new RecordBatch(buf))].map((r) => ({
    offset: r.offset,
    key: r.key!.toString(),
    value: r.value?.toString() ?? null,
    timestamp: r.timestamp,
  }));

describe('filterBatch', () => {
  const batch = keyedBatch(
    [
      { key: 'a', value: '1', timestamp: 100 },
      { key: 'b', value: '2', timestamp: 300 },
      { key: 'c', value: '3', timestamp: 200 },
    ],
    { baseOffset: 10, producerId: 7, producerEpoch: 2, baseSequence: 40 },
  );

  it('keeps a batch whose records all stay as it is', () => {
    const c = counts();
    expect(
      filterBatch(
        batch,
        filter(() => true),
        c,
      ),
    ).toBe(ORIGINAL);
    expect(c).toEqual({ recordsRead: 3, recordsRetained: 3 });
  });

  it('drops a batch left empty unless it is its producer’s last', () => {
    expect(
      filterBatch(
        batch,
        filter(() => false),
        counts(),
      ),
    ).toBe(DROP);
    const empty = filterBatch(
      batch,
      filter(() => false, true),
      counts(),
    );
    expect(Buffer.isBuffer(empty)).toBe(true);
    const b = new RecordBatch(empty as Buffer);
    b.ensureValid();
    expect([b.recordCount, b.baseOffset, b.lastOffset, b.producerId, b.producerEpoch, b.baseSequence]).toEqual([
      0, 10, 12, 7, 2, 40,
    ]);
    expect(b.baseTimestamp).toBe(300);
  });

  it('rebuilds with the kept records, keeping offsets, lastOffsetDelta and producer fields', () => {
    const out = filterBatch(
      batch,
      filter((r) => r.key!.toString() !== 'b'),
      counts(),
    ) as Buffer;
    const b = new RecordBatch(out);
    b.ensureValid();
    expect([b.baseOffset, b.lastOffset, b.recordCount, b.producerId, b.baseSequence]).toEqual([10, 12, 2, 7, 40]);
    expect(b.maxTimestamp).toBe(200);
    expect(b.hasDeleteHorizon).toBe(false);
    expect(records(out)).toEqual([
      { offset: 10, key: 'a', value: '1', timestamp: 100 },
      { offset: 12, key: 'c', value: '3', timestamp: 200 },
    ]);
  });

  it('stamps the delete horizon on a batch with a kept tombstone, once', () => {
    const tomb = keyedBatch(
      [
        { key: 'a', value: null, timestamp: 100 },
        { key: 'b', value: 'x', timestamp: 150 },
      ],
      {
        baseOffset: 5,
      },
    );
    const out = filterBatch(
      tomb,
      filter(() => true, false, 86_500),
      counts(),
    ) as Buffer;
    const b = new RecordBatch(out);
    b.ensureValid();
    expect(b.hasDeleteHorizon).toBe(true);
    expect(b.baseTimestamp).toBe(86_500);
    expect(records(out)).toEqual([
      { offset: 5, key: 'a', value: null, timestamp: 100 },
      { offset: 6, key: 'b', value: 'x', timestamp: 150 },
    ]);
    // Already stamped: kept as is, and a later rebuild keeps the horizon.
    expect(
      filterBatch(
        out,
        filter(() => true, false, 99_999),
        counts(),
      ),
    ).toBe(ORIGINAL);
    const again = new RecordBatch(
      filterBatch(
        out,
        filter((r) => r.value !== null),
        counts(),
      ) as Buffer,
    );
    expect([again.hasDeleteHorizon, again.baseTimestamp, again.recordCount]).toEqual([true, 86_500, 1]);
  });

  it('recompresses with the batch’s codec', () => {
    for (const compression of [
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ]) {
      const z = keyedBatch(
        Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 4}`, value: `value-${i}` })),
        { compression },
      );
      const out = filterBatch(
        z,
        filter((r) => r.offset >= 16),
        counts(),
      ) as Buffer;
      const b = new RecordBatch(out);
      b.ensureValid();
      expect(b.compressionType).toBe(compression);
      expect(records(out).map((r) => r.offset)).toEqual([16, 17, 18, 19]);
      expect(b.lastOffset).toBe(19);
    }
  });

  it('leaves control and transactional batches alone', () => {
    const txn = Buffer.from(batch);
    const b = new RecordBatch(txn);
    txn.writeInt16BE(b.attributes | 0x10, 21);
    txn.writeUInt32BE(b.computeChecksum(), 17);
    expect(
      filterBatch(
        txn,
        filter(() => false),
        counts(),
      ),
    ).toBe(ORIGINAL);
  });
});
