/**
 * int64 is carried as a JS number, not a bigint.
 *
 * Why: every int64 Kafka puts on the wire in practice (offsets, timestamps, producer ids, epochs of
 * brokers, byte counts) lies within ±2^53, where a double is exact. A number keeps decoded objects
 * monomorphic, costs one multiply to assemble from two int32 reads (a BigInt read is ~3.5× slower), and
 * lets the log layer do offset arithmetic without conversions.
 *
 * Invariant: values within ±(2^53 - 1) round-trip exactly. The two sentinels Kafka does use,
 * Long.MAX_VALUE and Long.MIN_VALUE (e.g. "no limit" retention), also round-trip exactly: they read as
 * ±2^63 and writing saturates anything at or beyond ±2^63 back to them. Other values beyond 2^53 lose
 * their low bits; none of Kafka's fields carry such values.
 */
/** Long.MAX_VALUE as a double: 2^63 (the nearest double); written back as 0x7fffffffffffffff. */
export const INT64_MAX = 2 ** 63;
/** Long.MIN_VALUE: -2^63, exact. */
export const INT64_MIN = -(2 ** 63);

const TWO_32 = 4294967296;

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  if (value >= INT64_MAX) {
    buf.writeInt32BE(0x7fffffff, pos);
    buf.writeUInt32BE(0xffffffff, pos + 4);
  } else if (value <= INT64_MIN) {
    buf.writeInt32BE(-0x80000000, pos);
    buf.writeUInt32BE(0, pos + 4);
  } else {
    const hi = Math.floor(value / TWO_32);
    buf.writeInt32BE(hi, pos);
    buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
  }
}
