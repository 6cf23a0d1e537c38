// Deterministic test records and their exact verification, shared by every client's compat test.
//
// A dataset is a pure function of (seed, count, partitions, profile, baseTimestamp): the same arguments
// give the same bytes in every run and every language (Python drivers read the dataset from a JSON-lines
// file written here, so there is one generator). Records go round-robin-free into partitions by a seeded
// draw; within a partition they keep generation order, which is the order they are produced in.
//
// Shapes (the "mixed" of the issue): about 8% null keys, 5% null values, 2% empty values, 0–3 headers
// (duplicate keys, an empty header value and a non-ASCII header key included), and value sizes drawn
// from 0–128 B (75%), 128 B–4 KiB (20%), 4–16 KiB (4.8%) and 64–256 KiB (0.2%). Values mix random bytes
// with repeated text so that every codec has something to compress.
import { writeFileSync } from 'node:fs';

export interface TestRecord {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /** In wire order; keys are UTF-8 strings as the protocol defines them. */
  headers: Array<[string, Buffer]>;
  /** CreateTime in ms since the epoch. */
  timestamp: number;
}

/** A record as a client returned it, normalised by that client's driver. */
export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer]>;
  timestamp: number;
}

export type Profile =
  /** Arbitrary bytes anywhere. */
  | 'binary'
  /**
   * For line-oriented tools (kcat): keys and values are printable ASCII without tab or newline, no
   * empty values (an empty line is kcat's NULL), and no per-record headers (kcat takes headers only
   * on its command line).
   */
  | 'text';

export interface DatasetOptions {
  seed: number;
  count: number;
  partitions: number;
  profile?: Profile;
  /** Timestamp of the first record; record i gets baseTimestamp + i. */
  baseTimestamp: number;
}

/** Small, fast, seeded PRNG (mulberry32); returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER_KEYS = ['trace-id', 'content-type', 'schema', 'ключ', 'x'];
const TEXT = 'the quick brown fox jumps over the lazy dog 0123456789 ';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export function generateDataset(o: DatasetOptions): TestRecord[] {
  const rnd = prng(o.seed);
  const profile = o.profile ?? 'binary';
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const bytes = (n: number): Buffer => {
    const b = Buffer.allocUnsafe(n);
    if (profile === 'text') {
      for (let i = 0; i < n; i++) b[i] = PRINTABLE.charCodeAt(int(0, PRINTABLE.length - 1));
      return b;
    }
    // Runs of random bytes and runs of text: compressible, but not trivially.
    let i = 0;
    while (i < n) {
      const run = Math.min(n - i, int(1, 64));
      if (rnd() < 0.5) for (let j = 0; j < run; j++) b[i + j] = int(0, 255);
      else for (let j = 0; j < run; j++) b[i + j] = TEXT.charCodeAt((i + j) % TEXT.length);
      i += run;
    }
    return b;
  };
  const size = (): number => {
    const r = rnd();
    if (r < 0.75) return int(0, 128);
    if (r < 0.95) return int(129, 4096);
    if (r < 0.998) return int(4097, 16384);
    return int(65536, 262144);
  };

  const out: TestRecord[] = [];
  for (let i = 0; i < o.count; i++) {
    const partition = int(0, o.partitions - 1);
    const keyR = rnd();
    const key =
      keyR < 0.08
        ? null
        : profile === 'text'
          ? Buffer.from(`key-${i}-${bytes(int(0, 20)).toString()}`)
          : bytes(int(1, 40));
    const valR = rnd();
    let value: Buffer | null;
    if (valR < 0.05) value = null;
    else if (valR < 0.07 && profile === 'binary') value = Buffer.alloc(0);
    else value = bytes(Math.max(profile === 'text' ? 1 : 0, size()));
    const headers: Array<[string, Buffer]> = [];
    if (profile === 'binary') {
      const n = int(0, 3);
      for (let h = 0; h < n; h++) {
        const hk = HEADER_KEYS[int(0, HEADER_KEYS.length - 1)] ?? 'x';
        headers.push([hk, rnd() < 0.1 ? Buffer.alloc(0) : bytes(int(1, 32))]);
      }
    }
    out.push({ partition, key, value, headers, timestamp: o.baseTimestamp + i });
  }
  return out;
}

/** The records of one partition, in order. */
export function byPartition<T extends { partition: number }>(records: T[], partitions: number): T[][] {
  const parts: T[][] = Array.from({ length: partitions }, () => []);
  for (const r of records) parts[r.partition]?.push(r);
  return parts;
}

/** A timestamp that starts a dataset: a whole second, about an hour before now (inside any retention). */
export function baseTimestampNow(): number {
  return Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
}

export interface VerifyOptions {
  /** 'exact': the client set each timestamp; 'producer-clock': the client stamped them (non-decreasing, inside the window). */
  timestamps: 'exact' | { window: [number, number] };
  /** First offset the partition is expected to start at (the log start offset); default 0. */
  startOffset?: number;
  /** Compare headers; default true. */
  headers?: boolean;
}

/**
 * Compares what a client read from one partition with what was produced to it: the same count, offsets
 * contiguous from startOffset, and each key, value, header list and timestamp equal, in order.
 * Returns a list of problems (empty when all match), at most `limit` of them.
 */
export function verifyPartition(
  partition: number,
  expected: TestRecord[],
  actual: ConsumedRecord[],
  opts: VerifyOptions,
  limit = 10,
): string[] {
  const problems: string[] = [];
  const add = (s: string): boolean => {
    problems.push(`partition ${partition}: ${s}`);
    return problems.length >= limit;
  };
  if (actual.length !== expected.length) add(`expected ${expected.length} records, read ${actual.length}`);
  const start = opts.startOffset ?? 0;
  let prevTs = -Infinity;
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i] as ConsumedRecord;
    const e = expected[i] as TestRecord;
    const at = `offset ${a.offset} (record ${i})`;
    if (a.partition !== partition && add(`${at}: came from partition ${a.partition}`)) break;
    if (a.offset !== start + i && add(`${at}: expected offset ${start + i}`)) break;
    if (!sameBytes(a.key, e.key) && add(`${at}: key ${show(a.key)} != ${show(e.key)}`)) break;
    if (!sameBytes(a.value, e.value) && add(`${at}: value ${show(a.value)} != ${show(e.value)}`)) break;
    if (opts.headers !== false && !sameHeaders(a.headers, e.headers)) {
      if (add(`${at}: headers ${showHeaders(a.headers)} != ${showHeaders(e.headers)}`)) break;
    }
    if (opts.timestamps === 'exact') {
      if (a.timestamp !== e.timestamp && add(`${at}: timestamp ${a.timestamp} != ${e.timestamp}`)) break;
    } else {
      const [lo, hi] = opts.timestamps.window;
      if ((a.timestamp < lo || a.timestamp > hi) && add(`${at}: timestamp ${a.timestamp} outside [${lo}, ${hi}]`))
        break;
      if (a.timestamp < prevTs && add(`${at}: timestamp ${a.timestamp} before previous ${prevTs}`)) break;
      prevTs = a.timestamp;
    }
  }
  return problems;
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

function sameHeaders(a: Array<[string, Buffer]>, b: Array<[string, Buffer]>): boolean {
  return a.length === b.length && a.every(([k, v], i) => k === b[i]?.[0] && v.equals(b[i]?.[1] ?? Buffer.alloc(0)));
}

function show(b: Buffer | null): string {
  if (b === null) return 'null';
  return `<${b.length} B ${b.subarray(0, 12).toString('hex')}${b.length > 12 ? '…' : ''}>`;
}

function showHeaders(h: Array<[string, Buffer]>): string {
  return `[${h.map(([k, v]) => `${k}=${show(v)}`).join(', ')}]`;
}

// --- JSON-lines exchange with drivers in other languages -------------------------------------------
// One object per line; bytes are base64, null stays null: {"p":0,"k":"…","v":"…","h":[["k","…"]],"ts":1}
// and, for consumed records, "o" (offset).

export function writeDatasetFile(path: string, records: TestRecord[]): void {
  const lines = records.map((r) =>
    JSON.stringify({
      p: r.partition,
      k: r.key === null ? null : r.key.toString('base64'),
      v: r.value === null ? null : r.value.toString('base64'),
      h: r.headers.map(([k, v]) => [k, v.toString('base64')]),
      ts: r.timestamp,
    }),
  );
  writeFileSync(path, lines.join('\n') + '\n');
}

interface ConsumedLine {
  p: number;
  o: number;
  k: string | null;
  v: string | null;
  h: Array<[string, string | null]>;
  ts: number;
}

export function parseConsumedLines(text: string): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as ConsumedLine;
    out.push({
      partition: r.p,
      offset: r.o,
      key: r.k === null ? null : Buffer.from(r.k, 'base64'),
      value: r.v === null ? null : Buffer.from(r.v, 'base64'),
      headers: r.h.map(([k, v]) => [k, Buffer.from(v ?? '', 'base64')]),
      timestamp: r.ts,
    });
  }
  return out;
}

/**
 * Polls `probe` until `ok` holds, at most `tries` times 100 ms apart, and returns the last value either
 * way (the caller's assertion then reports a mismatch). Used where the protocol gives no completion
 * signal, e.g. records produced with acks=0 reach the log after the client has finished sending.
 */
export async function settle<T>(probe: () => Promise<T>, ok: (v: T) => boolean, tries = 100): Promise<T> {
  let v = await probe();
  for (let i = 1; i < tries && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await probe();
  }
  return v;
}
