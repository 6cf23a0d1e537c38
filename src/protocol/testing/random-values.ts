import { INT64_MAX, INT64_MIN } from '../primitives/int64.js';
import type { AnyField, PrimitiveType } from '../schema/fields.js';
import { inRange } from '../schema/versions.js';

/**
 * Random values shaped by a declaration, for property and fuzz tests. Deterministic for a seed, so a
 * failure names the seed that reproduces it. Only fields present at the version are set; the rest
 * are left out, as an encoder's caller may do. int64 values stay within ±2^53 or are Kafka's Long
 * sentinels (see primitives/int64.ts); float64 values are finite.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** xorshift32: a uniform uint32. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  int(maxExclusive: number): number {
    return this.next() % maxExclusive;
  }

  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.next() & 0xff;
    return b;
  }
}

const SAMPLE_CHARS = ['a', 'Z', '0', '-', '.', '_', ' ', 'é', 'ß', '✓', '日', '😀'];

function primitive(rnd: Random, type: PrimitiveType): unknown {
  switch (type) {
    case 'bool':
      return rnd.chance(0.5);
    case 'int8':
      return (rnd.next() << 24) >> 24;
    case 'int16':
      return (rnd.next() << 16) >> 16;
    case 'uint16':
      return rnd.next() & 0xffff;
    case 'int32':
      return rnd.next() | 0;
    case 'uint32':
      return rnd.next();
    case 'int64': {
      const pick = rnd.int(8);
      if (pick === 0) return -1;
      if (pick === 1) return INT64_MAX;
      if (pick === 2) return INT64_MIN;
      const hi = rnd.next() & 0x1fffff;
      const v = hi * 0x100000000 + rnd.next();
      return rnd.chance(0.5) ? v : -v;
    }
    case 'float64': {
      const v = (rnd.next() - 0x80000000) / (rnd.next() + 1);
      return rnd.chance(0.1) ? 0 : v;
    }
    case 'uuid':
      return rnd.bytes(16).toString('base64url');
    case 'string': {
      let s = '';
      for (let n = rnd.int(12); n > 0; n--) s += SAMPLE_CHARS[rnd.int(SAMPLE_CHARS.length)];
      return s;
    }
    case 'bytes':
    case 'records':
      return rnd.bytes(rnd.int(40));
  }
}

export function randomStruct(rnd: Random, fields: readonly AnyField[], version: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    if (inRange(f.nullableVersions, version) && rnd.chance(0.2)) {
      out[f.name] = null;
      continue;
    }
    if (f.kind === 'primitive') out[f.name] = primitive(rnd, f.type!);
    else if (f.kind === 'struct') out[f.name] = randomStruct(rnd, f.fields!, version);
    else {
      const items: unknown[] = [];
      for (let n = rnd.int(4); n > 0; n--) {
        items.push(f.fields ? randomStruct(rnd, f.fields, version) : primitive(rnd, f.type!));
      }
      out[f.name] = items;
    }
  }
  return out;
}
