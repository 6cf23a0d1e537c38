import { describe, expect, it } from 'vitest';
import { BYTES_PER_ENTRY, SkimpyOffsetMap, murmur3x86128 } from './offset-map.js';

/** MurmurHash3_x86_128 with seed 0, the four words little-endian (from the reference implementation, via mmh3). */
const VECTORS: [Buffer, string][] = [
  [Buffer.from(''), '00000000000000000000000000000000'],
  [Buffer.from('a'), '3c9394a71bb056551bb056551bb05655'],
  [Buffer.from('hello'), 'a044242bf7de91dbb631db9ab631db9a'],
  [Buffer.from('The quick brown fox jumps over the lazy dog'), 'c383152f672ceeec6cf67b5d2c1de9e5'],
  [Buffer.from(Array.from({ length: 33 }, (_, i) => i)), 'ba15de503691f97670b6e72081c70d22'],
];

describe('murmur3x86128', () => {
  it('matches the reference implementation', () => {
    const out = new Int32Array(4);
    for (const [key, hex] of VECTORS) {
      murmur3x86128(key, out);
      expect(Buffer.from(out.buffer).toString('hex'), key.toString()).toBe(hex);
    }
  });
});

describe('SkimpyOffsetMap', () => {
  it('keeps the latest offset per key and counts keys once', () => {
    const map = new SkimpyOffsetMap(100 * BYTES_PER_ENTRY);
    expect(map.slots).toBe(100);
    map.put(Buffer.from('a'), 1);
    map.put(Buffer.from('b'), 2);
    map.put(Buffer.from('a'), 7);
    expect(map.get(Buffer.from('a'))).toBe(7);
    expect(map.get(Buffer.from('b'))).toBe(2);
    expect(map.get(Buffer.from('c'))).toBe(-1);
    expect(map.size).toBe(2);
    map.put(Buffer.alloc(0), 9);
    expect(map.get(Buffer.alloc(0))).toBe(9);
    map.updateLatestOffset(7);
    expect(map.latestOffset).toBe(7);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.latestOffset).toBe(-1);
    expect(map.get(Buffer.from('a'))).toBe(-1);
  });

  it('fills every slot and finds every key (linear probing after the hash words)', () => {
    const map = new SkimpyOffsetMap(50 * BYTES_PER_ENTRY);
    for (let i = 0; i < 50; i++) map.put(Buffer.from(`key-${i}`), i * 10);
    expect(map.size).toBe(50);
    for (let i = 0; i < 50; i++) expect(map.get(Buffer.from(`key-${i}`))).toBe(i * 10);
    expect(map.utilization).toBe(1);
  });

  it('holds offsets beyond 2^32 exactly', () => {
    const map = new SkimpyOffsetMap(10 * BYTES_PER_ENTRY);
    map.put(Buffer.from('k'), 2 ** 40 + 3);
    expect(map.get(Buffer.from('k'))).toBe(2 ** 40 + 3);
  });

  it('rejects a buffer too small for one entry', () => {
    expect(() => new SkimpyOffsetMap(10)).toThrow(RangeError);
  });
});
