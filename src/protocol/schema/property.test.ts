import { describe, expect, it } from 'vitest';
import { requestCodec, responseCodec } from '../codecs.js';
import { API_DECLARATIONS } from '../messages/index.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { Random, randomStruct } from '../testing/random-values.js';
import type { Codec } from './compile.js';
import type { AnyField } from './fields.js';
import { inRange } from './versions.js';

// For every (API, version), request and response: random values shaped by the declaration survive
// encode → decode, the size pass agrees with the write pass, and re-encoding the decoded value gives
// the same bytes. Seeds are fixed, so a failure is reproducible from its message.
const CASES_PER_VERSION = 25;

function encode(codec: Codec, value: unknown): Buffer {
  const w = Writer.alloc(codec.size(value));
  codec.write(w, value);
  expect(w.pos).toBe(w.buf.length);
  return w.buf;
}

/** The decoded value restricted to the fields present at `version`, for comparison with the input. */
function present(fields: readonly AnyField[], version: number, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => present(fields, version, v));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inRange(f.versions, version) || !(f.name in obj)) continue;
    out[f.name] = f.fields ? present(f.fields, version, obj[f.name]) : obj[f.name];
  }
  return out;
}

describe('every declaration round-trips random values at every version', () => {
  for (const decl of API_DECLARATIONS) {
    it(decl.name, () => {
      for (let v = decl.validVersions.min; v <= decl.validVersions.max; v++) {
        for (const [side, fields, codec] of [
          ['request', decl.request, requestCodec(decl, v)],
          ['response', decl.response, responseCodec(decl, v)],
        ] as const) {
          for (let i = 0; i < CASES_PER_VERSION; i++) {
            const seed = decl.apiKey * 100_000 + v * 1000 + i + (side === 'response' ? 500 : 0);
            const input = randomStruct(new Random(seed), fields, v);
            const bytes = encode(codec, input);
            const r = new Reader(bytes);
            const decoded = codec.read(r);
            expect(r.remaining, `${decl.name} v${v} ${side} seed ${seed}`).toBe(0);
            expect(present(fields, v, decoded), `${decl.name} v${v} ${side} seed ${seed}`).toEqual(input);
            expect(encode(codec, decoded).equals(bytes), `${decl.name} v${v} ${side} seed ${seed}`).toBe(true);
          }
        }
      }
    });
  }
});
