// The verifier must be able to fail: a compat test that passes against Kafka proves something only if
// each kind of difference it claims to check is reported.
import { describe, expect, it } from 'vitest';
import { generateDataset, verifyPartition, type ConsumedRecord, type TestRecord } from './records.js';

const records = generateDataset({ seed: 7, count: 400, partitions: 1, baseTimestamp: 1_700_000_000_000 });
const asRead = (rs: TestRecord[]): ConsumedRecord[] => rs.map((r, i) => ({ ...r, offset: i }));
const check = (actual: ConsumedRecord[]): string[] => verifyPartition(0, records, actual, { timestamps: 'exact' });

describe('generateDataset', () => {
  it('is deterministic and mixed', () => {
    expect(generateDataset({ seed: 7, count: 400, partitions: 1, baseTimestamp: 1_700_000_000_000 })).toEqual(records);
    expect(records.some((r) => r.key === null)).toBe(true);
    expect(records.some((r) => r.value === null)).toBe(true);
    expect(records.some((r) => r.value?.length === 0)).toBe(true);
    expect(records.some((r) => r.headers.length > 1)).toBe(true);
    expect(records.some((r) => (r.value?.length ?? 0) > 4096)).toBe(true);
  });
});

describe('verifyPartition', () => {
  it('accepts an exact copy', () => {
    expect(check(asRead(records))).toEqual([]);
  });

  it('reports a missing record, a gap in offsets and a reordering', () => {
    expect(check(asRead(records.slice(1))).join()).toMatch(/expected 400 records, read 399/);
    const gap = asRead(records).map((r, i) => (i >= 10 ? { ...r, offset: r.offset + 1 } : r));
    expect(check(gap).join()).toMatch(/offset 11 \(record 10\): expected offset 10/);
    const swapped = asRead(records);
    [swapped[5], swapped[6]] = [swapped[6] as ConsumedRecord, swapped[5] as ConsumedRecord];
    expect(check(swapped.map((r, i) => ({ ...r, offset: i }))).length).toBeGreaterThan(0);
  });

  it('reports a changed key, value, header and timestamp, and null versus empty', () => {
    const at = records.findIndex(
      (r) => r.value !== null && r.value.length > 0 && r.key !== null && r.headers.length > 0,
    );
    const mutate = (f: (r: ConsumedRecord) => ConsumedRecord): ConsumedRecord[] =>
      asRead(records).map((r, i) => (i === at ? f(r) : r));
    expect(
      check(mutate((r) => ({ ...r, key: Buffer.concat([r.key ?? Buffer.alloc(0), Buffer.from('x')]) }))).join(),
    ).toMatch(/key/);
    expect(
      check(mutate((r) => ({ ...r, value: Buffer.from(r.value ?? Buffer.alloc(0)).fill(1, 0, 1) }))).join(),
    ).toMatch(/value/);
    expect(check(mutate((r) => ({ ...r, headers: r.headers.slice(1) }))).join()).toMatch(/headers/);
    expect(check(mutate((r) => ({ ...r, timestamp: r.timestamp + 1 }))).join()).toMatch(/timestamp/);
    const empty = records.findIndex((r) => r.value?.length === 0);
    expect(check(asRead(records).map((r, i) => (i === empty ? { ...r, value: null } : r))).join()).toMatch(
      /value null/,
    );
  });
});
