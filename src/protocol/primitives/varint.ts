/**
 * Variable-length integers as Kafka encodes them: 7 bits a byte, least significant group first, high
 * bit set on every byte but the last.
 *
 * - UNSIGNED_VARINT (KIP-482 lengths, counts and tags): a uint32 in at most 5 bytes.
 * - VARINT (record fields): an int32 zig-zag mapped to a uint32 (0, -1, 1, -2 → 0, 1, 2, 3).
 * - VARLONG (record timestamp deltas): an int64 zig-zag mapped, at most 10 bytes. Held as a number,
 *   exact while |value| < 2^52 (the zig-zag of larger values is not representable in a double).
 */
export function sizeOfUnsignedVarint(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
}

export function zigzag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

export function unzigzag64(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export function sizeOfVarlong(value: number): number {
  let z = zigzag64(value);
  let n = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 0x80);
    n++;
  }
  return n;
}
