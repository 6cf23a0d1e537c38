import { describe, expect, it } from 'vitest';
import { crc32, crc32c } from './crc.js';

describe('crc', () => {
  const check = Buffer.from('123456789');

  it('gives the standard check values', () => {
    expect(crc32c(check).toString(16)).toBe('e3069283');
    expect(crc32(check).toString(16)).toBe('cbf43926');
  });

  it('checksums a range without copying, equal to the checksum of the slice', () => {
    const buf = Buffer.concat([Buffer.from('xx'), check, Buffer.from('yyy')]);
    expect(crc32c(buf, 2, 11)).toBe(crc32c(check));
    expect(crc32(buf, 2, 11)).toBe(crc32(check));
    expect(crc32c(buf, 2)).toBe(crc32c(buf.subarray(2)));
  });

  it('returns unsigned values', () => {
    for (let i = 0; i < 64; i++) {
      const b = Buffer.from([i, i * 3, i * 7]);
      expect(crc32c(b)).toBeGreaterThanOrEqual(0);
      expect(crc32(b)).toBeGreaterThanOrEqual(0);
    }
  });
});
