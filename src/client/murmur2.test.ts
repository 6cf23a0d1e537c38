import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './murmur2.js';

describe('murmur2', () => {
  // Values from Kafka's UtilsTest.testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s as Kafka does', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it('puts k1 and k2 where Kafka 3.9 put them on three partitions', () => {
    // Captured from Kafka 3.9.2's console producer: k1 went to partition 2, k2 to partition 0.
    expect(partitionForKey(Buffer.from('k1'), 3)).toBe(2);
    expect(partitionForKey(Buffer.from('k2'), 3)).toBe(0);
  });
});
