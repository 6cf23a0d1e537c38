/**
 * The cleaner's key → latest offset map in bounded memory (Kafka's SkimpyOffsetMap).
 *
 * Keys are not stored, only a 128-bit hash of each: a slot is 24 bytes, the hash as four int32 (16
 * bytes) and the offset as a float64 (8 bytes, exact below 2^53), in two typed arrays allocated once
 * for `memory` bytes (log.cleaner.dedupe.buffer.size). Open addressing: the first four probes use the
 * four hash words as positions, later ones walk linearly from the last; an all-zero hash marks an
 * empty slot. The map takes at most `slots * loadFactor` keys (log.cleaner.io.buffer.load.factor);
 * the cleaner stops mapping at that point and cleans only up to the last offset it mapped.
 *
 * Hash: MurmurHash3 x86_128 instead of Kafka's MD5. Both are 128 bits (a collision between two
 * distinct non-adversarial keys, which would drop a live record, has probability about 2^-128 per
 * pair); MurmurHash3 in plain JS is about 17× faster than node:crypto's MD5 on 20-byte keys
 * (40 ns against 670 ns a key here), and neither resists deliberately crafted collisions.
 */

/** MurmurHash3 x86_128 of `key` with seed 0, into out[0..3] as int32. */
export function murmur3x86128(key: Uint8Array, out: Int32Array): void {
  const len = key.length;
  const nblocks = len >> 4;
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let h4 = 0;
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  let i = 0;
  for (let b = 0; b < nblocks; b++, i += 16) {
    let k1 = key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24);
    let k2 = key[i + 4]! | (key[i + 5]! << 8) | (key[i + 6]! << 16) | (key[i + 7]! << 24);
    let k3 = key[i + 8]! | (key[i + 9]! << 8) | (key[i + 10]! << 16) | (key[i + 11]! << 24);
    let k4 = key[i + 12]! | (key[i + 13]! << 8) | (key[i + 14]! << 16) | (key[i + 15]! << 24);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, c2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (h2 + h3) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(k3, c3);
    k3 = (k3 << 17) | (k3 >>> 15);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
    h3 = (h3 << 15) | (h3 >>> 17);
    h3 = (h3 + h4) | 0;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(k4, c4);
    k4 = (k4 << 18) | (k4 >>> 14);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
    h4 = (h4 << 13) | (h4 >>> 19);
    h4 = (h4 + h1) | 0;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  const tail = len & 15;
  for (let j = 0; j < tail; j++) {
    const v = key[i + j]! << ((j & 3) << 3);
    if (j < 4) k1 ^= v;
    else if (j < 8) k2 ^= v;
    else if (j < 12) k3 ^= v;
    else k4 ^= v;
  }
  if (tail > 12) {
    k4 = Math.imul(k4, c4);
    k4 = (k4 << 18) | (k4 >>> 14);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
  }
  if (tail > 8) {
    k3 = Math.imul(k3, c3);
    k3 = (k3 << 17) | (k3 >>> 15);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
  }
  if (tail > 4) {
    k2 = Math.imul(k2, c2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
  }
  if (tail > 0) {
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  out[3] = h4;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Bytes a slot takes: a 16-byte hash and an 8-byte offset. */
export const BYTES_PER_ENTRY = 24;

export class SkimpyOffsetMap {
  readonly slots: number;
  private readonly hashes: Int32Array;
  private readonly offsets: Float64Array;
  private readonly hash = new Int32Array(4);
  private entries = 0;
  private _latestOffset = -1;
  /** Probes made by put/get (for stats: average probes per lookup). */
  probes = 0;
  lookups = 0;

  constructor(memory: number) {
    this.slots = Math.floor(memory / BYTES_PER_ENTRY);
    if (this.slots < 1) throw new RangeError(`offset map of ${memory} bytes holds no entry`);
    this.hashes = new Int32Array(this.slots * 4);
    this.offsets = new Float64Array(this.slots);
  }

  get size(): number {
    return this.entries;
  }

  /** The last offset of the last batch fully mapped (-1 if none). */
  get latestOffset(): number {
    return this._latestOffset;
  }

  updateLatestOffset(offset: number): void {
    this._latestOffset = offset;
  }

  get utilization(): number {
    return this.entries / this.slots;
  }

  clear(): void {
    this.hashes.fill(0);
    this.entries = 0;
    this._latestOffset = -1;
    this.probes = 0;
    this.lookups = 0;
  }

  /** Records `offset` as the latest for `key` (later puts of the same key overwrite). */
  put(key: Uint8Array, offset: number): void {
    const slot = this.find(key);
    const at = slot * 4;
    const hashes = this.hashes;
    if (hashes[at] === 0 && hashes[at + 1] === 0 && hashes[at + 2] === 0 && hashes[at + 3] === 0) {
      const h = this.hash;
      hashes[at] = h[0]!;
      hashes[at + 1] = h[1]!;
      hashes[at + 2] = h[2]!;
      hashes[at + 3] = h[3]!;
      this.entries++;
    }
    this.offsets[slot] = offset;
  }

  /** The latest offset mapped for `key`, or -1. */
  get(key: Uint8Array): number {
    const slot = this.find(key);
    const at = slot * 4;
    const hashes = this.hashes;
    if (hashes[at] === 0 && hashes[at + 1] === 0 && hashes[at + 2] === 0 && hashes[at + 3] === 0) return -1;
    return this.offsets[slot]!;
  }

  /** The slot holding `key`'s hash, or the empty slot where it would go. Leaves the hash in this.hash. */
  private find(key: Uint8Array): number {
    const h = this.hash;
    murmur3x86128(key, h);
    if (h[0] === 0 && h[1] === 0 && h[2] === 0 && h[3] === 0) h[0] = 1;
    const slots = this.slots;
    const hashes = this.hashes;
    this.lookups++;
    let pos = 0;
    for (let attempt = 0; ; attempt++) {
      pos = attempt < 4 ? (h[attempt]! >>> 0) % slots : pos + 1 === slots ? 0 : pos + 1;
      this.probes++;
      const at = pos * 4;
      const a = hashes[at]!;
      const b = hashes[at + 1]!;
      const c = hashes[at + 2]!;
      const d = hashes[at + 3]!;
      if ((a === 0 && b === 0 && c === 0 && d === 0) || (a === h[0] && b === h[1] && c === h[2] && d === h[3])) {
        return pos;
      }
      if (attempt > slots + 4) throw new Error('offset map is full');
    }
  }
}
