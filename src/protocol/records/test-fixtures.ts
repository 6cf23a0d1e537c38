/**
 * Loads the golden fixtures of fixtures/ (written by scripts/fixtures/records/generate.sh from Kafka's
 * own kafka-clients 3.9.2) for tests: the bytes of each `<name>.hex`, and manifest.json, Kafka's
 * reading of those bytes (batch headers; records with absolute offsets, resolved timestamps, and keys,
 * values and header values as hex).
 */
import { readFileSync } from 'node:fs';

const DIR = new URL('./fixtures/', import.meta.url);

export interface ManifestBatch {
  baseOffset: number;
  lastOffset: number;
  magic: number;
  compression: string;
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  partitionLeaderEpoch: number;
  isTransactional: boolean;
  isControlBatch: boolean;
  checksum: number;
  sizeInBytes: number;
}

export interface ManifestRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
}

export interface RecordsFixture {
  name: string;
  kind: 'records' | 'downconvert';
  description?: string;
  source?: string;
  toMagic?: number;
  firstOffset?: number;
  batches: ManifestBatch[];
  records: ManifestRecord[];
}

export interface CodecFixture {
  name: string;
  kind: 'codec';
  codec: string;
  magic: number;
  payloadBytes: number;
}

type Fixture = RecordsFixture | CodecFixture;

const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as { fixtures: Fixture[] };

export const recordsFixtures = manifest.fixtures.filter((f): f is RecordsFixture => f.kind === 'records');
export const downConvertFixtures = manifest.fixtures.filter((f): f is RecordsFixture => f.kind === 'downconvert');
export const codecFixtures = manifest.fixtures.filter((f): f is CodecFixture => f.kind === 'codec');

export function fixture(name: string): RecordsFixture {
  const f = manifest.fixtures.find((x) => x.name === name);
  if (f === undefined || f.kind === 'codec') throw new Error(`no records fixture ${name}`);
  return f;
}

/** A fresh copy of a fixture's bytes (tests may patch them). */
export function fixtureBytes(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`${name}.hex`, DIR), 'utf8').replace(/\s+/g, ''), 'hex');
}

export function hexOrNull(b: Buffer | null): string | null {
  return b === null ? null : b.toString('hex');
}

/** The payload every codec fixture compresses: the generator's 70,000 bytes of numbered lines. */
export function codecPayload(): Buffer {
  let s = '';
  for (let i = 0; s.length < 70000; i++) {
    s += `record ${String(i).padStart(5, '0')}: the quick brown fox jumps over the lazy dog\n`;
  }
  return Buffer.from(s.slice(0, 70000), 'ascii');
}
