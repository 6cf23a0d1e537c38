import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { declarationFor } from './codecs.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './frame.js';

/**
 * Golden bytes (DESIGN.md §3): frames that real clients sent to a real Apache Kafka and the responses
 * it sent back, captured by scripts/capture-fixtures/run.sh (see fixtures/README.md). Each must decode
 * and encode back to exactly the same bytes. The api key and version come from the file name, as
 * the proxy read them from the request the frame belongs to.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const NAME = /^(\d+)-([a-z0-9-]+)-v(\d+)-(request|response)(?:-\d+)?\.hex$/;

/**
 * APIs real clients sent to Kafka that Samsa does not declare, with the reason. Their fixtures are
 * kept (real bytes for the day they are declared) but are not turned into tests; any other undeclared
 * API fails.
 */
const NOT_DECLARED: ReadonlyMap<number, string> = new Map([
  [55, 'DescribeQuorum is answered by KRaft controllers; Samsa has none'],
]);

/**
 * Requests in which a real client sends bytes after the end of the body. Kafka ignores them (it never
 * checks that a request was read to its end), and so does decodeRequest; the round trip then gives the
 * captured frame without them. Each entry is one such quirk, recognised by client, api and the exact
 * trailing bytes; any other difference fails.
 */
const KNOWN_TRAILING: readonly { client: RegExp; apiKey: number; hex: string; why: string }[] = [
  {
    client: /^librdkafka/,
    apiKey: 3,
    hex: '010000',
    why: 'librdkafka 2.16 all-topics Metadata (v12, v13): a stray tagged-field section (1 field, tag 0, size 0)',
  },
  {
    client: /^librdkafka/,
    apiKey: 51,
    hex: '00',
    why: 'librdkafka 2.16 AlterUserScramCredentials v0: one stray tagged-field byte after the body',
  },
];

interface Fixture {
  readonly client: string;
  readonly file: string;
  readonly apiKey: number;
  readonly version: number;
  readonly kind: 'request' | 'response';
}

function listFixtures(): { clients: string[]; fixtures: Fixture[]; badNames: string[] } {
  const clients = readdirSync(FIXTURES)
    .filter((d) => statSync(join(FIXTURES, d)).isDirectory())
    .sort();
  const fixtures: Fixture[] = [];
  const badNames: string[] = [];
  for (const client of clients) {
    for (const file of readdirSync(join(FIXTURES, client)).sort()) {
      if (!file.endsWith('.hex')) continue;
      const m = NAME.exec(file);
      if (!m) {
        badNames.push(`${client}/${file}`);
        continue;
      }
      fixtures.push({
        client,
        file,
        apiKey: Number(m[1]),
        version: Number(m[3]),
        kind: m[4] as 'request' | 'response',
      });
    }
  }
  return { clients, fixtures, badNames };
}

function readFrame(f: Fixture): Buffer {
  return Buffer.from(readFileSync(join(FIXTURES, f.client, f.file), 'utf8').replace(/\s+/g, ''), 'hex');
}

/**
 * The bytes a captured frame has past an encoded one, when the encoded frame is the captured one cut
 * short (size prefixes aside); null otherwise.
 */
function trailingBytes(encoded: Buffer, captured: Buffer): Buffer | null {
  if (encoded.length >= captured.length) return null;
  if (!encoded.subarray(4).equals(captured.subarray(4, encoded.length))) return null;
  return captured.subarray(encoded.length);
}

/** Where two buffers first differ, with a little context, or null when they are equal. */
function firstDifference(actual: Buffer, expected: Buffer): string | null {
  if (actual.equals(expected)) return null;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const around = (b: Buffer) => b.subarray(Math.max(0, i - 8), i + 16).toString('hex');
  return (
    `lengths ${actual.length} (encoded) vs ${expected.length} (captured); first difference at byte ${i}: ` +
    `encoded …${around(actual)}… captured …${around(expected)}… (context starts at byte ${Math.max(0, i - 8)})`
  );
}

const { clients, fixtures, badNames } = listFixtures();

describe('golden fixtures', () => {
  it('exist, from at least four clients, under names that carry api key and version', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    expect(clients.length).toBeGreaterThanOrEqual(4);
    for (const client of clients)
      expect(
        fixtures.some((f) => f.client === client),
        client,
      ).toBe(true);
    expect(badNames).toEqual([]);
    for (const key of NOT_DECLARED.keys())
      expect(declarationFor(key), `api key ${key} is declared now`).toBeUndefined();
  });
});

for (const client of clients) {
  describe(`golden bytes: ${client}`, () => {
    for (const f of fixtures.filter((x) => x.client === client && !NOT_DECLARED.has(x.apiKey))) {
      it(`${f.file} round-trips`, () => {
        const frame = readFrame(f);
        expect(frame.length, 'size prefix').toBe(4 + frame.readInt32BE(0));
        const decl = declarationFor(f.apiKey);
        if (!decl) throw new Error(`api key ${f.apiKey} has no declaration (add it, or list it in NOT_DECLARED)`);
        if (f.kind === 'request') {
          const { decl: decoded, header, body } = decodeRequest(frame.subarray(4));
          expect(decoded.apiKey).toBe(f.apiKey);
          expect(header.requestApiVersion).toBe(f.version);
          const encoded = encodeRequest(decoded, f.version, header, body);
          const trailing = trailingBytes(encoded, frame);
          if (trailing) {
            const quirk = KNOWN_TRAILING.find(
              (k) => k.apiKey === f.apiKey && k.client.test(f.client) && k.hex === trailing.toString('hex'),
            );
            expect(quirk, `unexplained trailing bytes ${trailing.toString('hex')}`).toBeDefined();
          } else {
            expect(firstDifference(encoded, frame)).toBeNull();
          }
        } else {
          const { header, body } = decodeResponse(decl, f.version, frame.subarray(4));
          const encoded = encodeResponse(decl, f.version, header, body);
          expect(encoded.splices).toBeNull();
          expect(firstDifference(encoded.bytes, frame)).toBeNull();
        }
      });
    }
  });
}
