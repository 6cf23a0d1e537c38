import { describe, expect, it } from 'vitest';
import { compressionTypeFromName, CompressionType } from './compression/index.js';
import { readRecordBatches } from './batch-iterator.js';
import { readRecords } from './record.js';
import { RecordBatch, TimestampType } from './record-batch.js';
import { buildRecordBatch, type SimpleRecord } from './record-batch-builder.js';
import { asManifest, expectRecordsError } from './test-expect.js';
import { fixture, fixtureBytes, recordsFixtures, type ManifestRecord } from './test-fixtures.js';

const hex = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'hex'));

function simple(records: ManifestRecord[]): SimpleRecord[] {
  return records.map((r) => ({
    offset: r.offset,
    timestamp: r.timestamp,
    key: hex(r.key),
    value: hex(r.value),
    headers: r.headers.map(([key, value]) => ({ key, value: hex(value) })),
  }));
}

/** Our rebuild of a single-batch v2 fixture, from Kafka's reading of it. */
function rebuild(name: string): Buffer {
  const f = fixture(name);
  const k = f.batches[0]!;
  const lat = k.timestampType === 'LogAppendTime';
  return buildRecordBatch(simple(f.records), {
    baseOffset: k.baseOffset,
    compression: compressionTypeFromName(k.compression),
    timestampType: lat ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    logAppendTime: lat ? k.maxTimestamp : undefined,
    producerId: k.producerId,
    producerEpoch: k.producerEpoch,
    baseSequence: k.baseSequence,
    isTransactional: k.isTransactional,
    partitionLeaderEpoch: k.partitionLeaderEpoch,
  });
}

const singleBatch = recordsFixtures.filter(
  (f) => f.batches.length === 1 && f.batches[0]!.magic === 2 && !f.batches[0]!.isControlBatch,
);

describe("buildRecordBatch against Kafka's MemoryRecordsBuilder", () => {
  for (const name of ['v2-none', 'v2-none-idempotent', 'v2-lz4']) {
    it(`${name}: byte for byte the same`, () => {
      expect(rebuild(name).toString('hex')).toBe(fixtureBytes(name).toString('hex'));
    });
  }

  for (const f of singleBatch) {
    it(`${f.name}: same header fields and records`, () => {
      const ours = new RecordBatch(rebuild(f.name));
      const kafka = new RecordBatch(fixtureBytes(f.name));
      ours.validate();
      for (const field of [
        'baseOffset',
        'lastOffsetDelta',
        'partitionLeaderEpoch',
        'attributes',
        'baseTimestamp',
        'maxTimestamp',
        'producerId',
        'producerEpoch',
        'baseSequence',
        'recordCount',
      ] as const) {
        // A LogAppendTime batch's records carry their create times, which Kafka's reading replaces.
        if (field === 'baseTimestamp' && kafka.timestampType === TimestampType.LOG_APPEND_TIME) continue;
        expect(ours[field], field).toBe(kafka[field]);
      }
      expect([...readRecords(ours)].map(asManifest)).toEqual(f.records);
    });
  }

  it('builds every codec, any number of records, and batches Kafka-shaped enough to iterate back to back', () => {
    const records: SimpleRecord[] = [];
    for (let i = 0; i < 500; i++) {
      records.push({
        timestamp: 1_700_000_000_000 + (i % 7) * 1000,
        key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
        value: i % 5 === 0 ? null : Buffer.from(`value-${i}-`.repeat(i % 40)),
        headers: i % 2 === 0 ? [] : [{ key: `h${i}`, value: Buffer.from('ü') }],
      });
    }
    const batches = [0, 1, 2, 3, 4].map((codec) =>
      buildRecordBatch(records, { baseOffset: codec * 1000, compression: codec as CompressionType }),
    );
    const all = readRecordBatches(Buffer.concat(batches)).batches;
    expect(all).toHaveLength(5);
    for (const b of all) {
      b.validate();
      const back = [...readRecords(b)];
      expect(back).toHaveLength(500);
      expect(back[499]!.offset).toBe(b.baseOffset + 499);
      expect(back[7]!.value!.toString()).toBe('value-7-'.repeat(7));
      expect(back[7]!.headers[0]!.value!.toString()).toBe('ü');
      expect(b.maxTimestamp).toBe(1_700_000_006_000);
    }
  });

  it('keeps explicit offset gaps, and rejects offsets that do not increase', () => {
    const b = new RecordBatch(
      buildRecordBatch(
        [
          { offset: 10, timestamp: 1, key: null, value: null },
          { offset: 15, timestamp: 2, key: null, value: null },
        ],
        { baseOffset: 10 },
      ),
    );
    expect(b.lastOffsetDelta).toBe(5);
    expect([...readRecords(b)].map((r) => r.offset)).toEqual([10, 15]);
    expectRecordsError(
      () =>
        buildRecordBatch([
          { offset: 1, timestamp: 1, key: null, value: null },
          { offset: 1, timestamp: 1, key: null, value: null },
        ]),
      'INVALID_RECORD',
    );
  });
});
