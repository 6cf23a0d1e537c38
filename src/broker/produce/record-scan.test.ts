/**
 * RecordScanner must accept exactly what the records layer's RecordIterator accepts (what we store,
 * consumers read), and report the fields that iterator decodes. Real records from Kafka's fixtures and
 * from our builder, then the same bytes mutated and truncated (fixed-seed PRNG).
 */
import { describe, expect, it } from 'vitest';
import {
  RecordBatch,
  RecordsError,
  buildRecordBatch,
  decompressRecords,
  readRecords,
  type SimpleRecord,
} from '../../protocol/records/index.js';
import { recordsFixtures } from '../../protocol/records/test-fixtures.js';
import { RecordScanner } from './record-scan.js';
import { ValidationError } from './validation-error.js';
import { produced } from './testing/test-helpers.js';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seen {
  offsetDelta: number;
  timestampDelta: number;
  keySize: number;
  valueSize: number;
}

function scan(data: Buffer, count: number): Seen[] | 'rejected' {
  const s = new RecordScanner(data, count);
  const out: Seen[] = [];
  try {
    while (s.next()) {
      // Any negative length is null, as in Kafka.
      out.push({
        offsetDelta: s.offsetDelta,
        timestampDelta: s.timestampDelta,
        keySize: Math.max(s.keySize, -1),
        valueSize: Math.max(s.valueSize, -1),
      });
    }
  } catch (e) {
    if (e instanceof ValidationError && e.error === 'INVALID_RECORD') return 'rejected';
    throw e;
  }
  return out;
}

/** The same facts through the records layer's RecordIterator, over an uncompressed batch of `data`. */
function iterate(data: Buffer, count: number, baseTimestamp: number): Seen[] | 'rejected' {
  const batch = buildRecordBatch([]);
  const whole = Buffer.concat([batch, data]);
  whole.writeBigInt64BE(BigInt(baseTimestamp), 27);
  whole.writeInt32BE(count, 57);
  const out: Seen[] = [];
  try {
    for (const r of readRecords(new RecordBatch(whole))) {
      out.push({
        offsetDelta: r.offset,
        timestampDelta: r.timestamp - baseTimestamp,
        keySize: r.key === null ? -1 : r.key.length,
        valueSize: r.value === null ? -1 : r.value.length,
      });
    }
  } catch (e) {
    if (e instanceof RecordsError && e.code === 'INVALID_RECORD') return 'rejected';
    throw e;
  }
  return out;
}

const sources: { name: string; data: Buffer; count: number }[] = [];
for (const f of recordsFixtures.filter((x) => x.batches.length === 1 && x.batches[0]!.magic === 2)) {
  const batch = new RecordBatch(produced(f.name));
  sources.push({ name: f.name, data: decompressRecords(batch), count: batch.recordCount });
}
const built: SimpleRecord[] = [
  { timestamp: 5, key: null, value: null },
  { timestamp: 1, key: Buffer.alloc(0), value: Buffer.from('v'), headers: [{ key: 'h', value: null }] },
  {
    timestamp: 9,
    key: Buffer.from('key'),
    value: Buffer.alloc(300, 1),
    headers: [{ key: '', value: Buffer.from('x') }],
  },
];
{
  const batch = new RecordBatch(buildRecordBatch(built));
  sources.push({ name: 'built', data: decompressRecords(batch), count: batch.recordCount });
}

describe('RecordScanner', () => {
  for (const s of sources) {
    it(`${s.name}: the fields RecordIterator decodes`, () => {
      const seen = scan(s.data, s.count);
      expect(seen).not.toBe('rejected');
      expect(seen).toEqual(iterate(s.data, s.count, 0));
    });
  }

  it('agrees with RecordIterator on mutated and truncated records', () => {
    const random = mulberry32(20240917);
    let rejected = 0;
    for (let round = 0; round < 3000; round++) {
      const s = sources[round % sources.length]!;
      const data = Buffer.from(s.data);
      const flips = 1 + Math.floor(random() * 3);
      for (let i = 0; i < flips; i++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      const cut = random() < 0.3 ? data.subarray(0, Math.floor(random() * data.length)) : data;
      const count = random() < 0.2 ? s.count + Math.floor(random() * 3) - 1 : s.count;
      const ours = scan(cut, count);
      expect(ours, `round ${round}`).toEqual(iterate(cut, count, 0));
      if (ours === 'rejected') rejected++;
    }
    expect(rejected).toBeGreaterThan(100);
  });

  it("Kafka's messages for the common faults", () => {
    const { data, count } = sources.at(-1)!;
    const message = (d: Buffer, n: number): string => {
      try {
        const s = new RecordScanner(d, n);
        while (s.next());
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message(data, count)).toBe('accepted');
    expect(message(data, count + 1)).toBe('Incorrect declared batch size, premature EOF reached');
    expect(message(data, count - 1)).toBe('Incorrect declared batch size, records still remaining in file');
    expect(message(data.subarray(0, data.length - 1), count)).toMatch(/^Invalid record size: expected \d+ bytes/);
  });
});
