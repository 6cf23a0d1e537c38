import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './frame.js';
import { API_DECLARATIONS } from './messages/index.js';
import { DecodeError } from './primitives/decode-error.js';
import type { ApiDeclaration } from './schema/api.js';
import { Random, randomStruct } from './testing/random-values.js';

// Mutated and truncated frames across every request and response decoder. Every failure must be a
// DecodeError; every success must stay within the frame: byte fields are views of it, and no string or
// array is longer than the frame itself (nothing was allocated from a lying length).
const ITERATIONS = Number(process.env.SAMSA_FUZZ_ITERATIONS ?? 1_000_000);

interface Seed {
  decl: ApiDeclaration;
  version: number;
  request: boolean;
  frame: Buffer; // without the size prefix
}

function seeds(): Seed[] {
  const rnd = new Random(20261124);
  const out: Seed[] = [];
  for (const decl of API_DECLARATIONS) {
    for (let v = decl.validVersions.min; v <= decl.validVersions.max; v++) {
      for (let i = 0; i < 3; i++) {
        const header = { correlationId: rnd.next() | 0, clientId: 'fuzz' };
        const req = encodeRequest(decl, v, header, randomStruct(rnd, decl.request, v));
        out.push({ decl, version: v, request: true, frame: req.subarray(4) });
        const res = encodeResponse(decl, v, header, randomStruct(rnd, decl.response, v)).bytes;
        out.push({ decl, version: v, request: false, frame: res.subarray(4) });
      }
    }
  }
  return out;
}

const LENGTHS = [0x7fffffff, 0xffffffff, 0x80000000, 0x00010000, 0xfffffffe];

function mutate(rnd: Random, src: Buffer): Buffer {
  const kind = rnd.int(7);
  if (kind === 0) return src.subarray(0, rnd.int(src.length + 1)); // truncation
  const b = Buffer.from(src);
  if (b.length === 0) return b;
  const at = rnd.int(b.length);
  switch (kind) {
    case 1:
      for (let n = 1 + rnd.int(3); n > 0; n--) b[rnd.int(b.length)]! ^= 1 << rnd.int(8);
      return b;
    case 2:
      b[at] = [0x00, 0xff, 0x7f, 0x80, rnd.next() & 0xff][rnd.int(5)]!;
      return b;
    case 3:
      if (at + 4 <= b.length) b.writeUInt32BE(LENGTHS[rnd.int(LENGTHS.length)]!, at);
      return b;
    case 4:
      b.fill(0xff, at, Math.min(b.length, at + 1 + rnd.int(6))); // endless varints, -1 lengths
      return b;
    case 5:
      return Buffer.concat([b, rnd.bytes(1 + rnd.int(8))]);
    default:
      return Buffer.concat([b.subarray(0, at), rnd.bytes(1 + rnd.int(4)), b.subarray(at)]);
  }
}

/** Defaults are constants (the zero UUID is 22 characters), so strings may exceed a tiny frame by this. */
const DEFAULT_SLACK = 64;

/** Throws unless every string, array and byte field of `value` fits within `frame`. */
function checkBounded(value: unknown, frame: Buffer): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.length > frame.length + DEFAULT_SLACK)
      throw new Error('string longer than frame');
    return;
  }
  if (Buffer.isBuffer(value)) {
    if (value.length > 0 && value.buffer !== frame.buffer) throw new Error('bytes copied out of the frame');
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > frame.length) throw new Error('array longer than frame');
    for (const v of value) checkBounded(v, frame);
    return;
  }
  for (const v of Object.values(value)) checkBounded(v, frame);
}

describe('fuzzed frames', () => {
  it(`${ITERATIONS} mutated frames give only DecodeErrors or bounded values`, () => {
    const all = seeds();
    const rnd = new Random(7);
    const failures: string[] = [];
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < ITERATIONS && failures.length < 5; i++) {
      const seed = all[rnd.int(all.length)]!;
      const frame = mutate(rnd, seed.frame);
      try {
        const { header, body } = seed.request ? decodeRequest(frame) : decodeResponse(seed.decl, seed.version, frame);
        checkBounded(header, frame);
        checkBounded(body, frame);
        decoded++;
      } catch (e) {
        if (e instanceof DecodeError) rejected++;
        else
          failures.push(
            `${seed.decl.name} v${seed.version} ${seed.request ? 'request' : 'response'} ${frame.toString('hex')}: ${String(e)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect(decoded + rejected).toBe(ITERATIONS);
    expect(rejected).toBeGreaterThan(ITERATIONS / 10);
  });
});
