/**
 * Mutated real bytes never escape as anything but a RecordsError: flipped bytes and truncations of
 * every fixture, with checksums recomputed half the time so that the mutation reaches the record and
 * codec parsers behind them. Deterministic (a fixed-seed PRNG); decompression is capped at 1 MiB.
 */
import { describe, expect, it } from 'vitest';
import { BatchIterator } from './batch-iterator.js';
import { compressionTypeFromName, decompress } from './compression/index.js';
import { downConvert, upConvert } from './conversion.js';
import { crc32, crc32c as crc32cOf } from './crc.js';
import { RecordsError } from './errors.js';
import { readLegacyEntry, readLegacyRecords } from './legacy.js';
import { readRecords } from './record.js';
import { ATTRIBUTES_OFFSET, CRC_OFFSET } from './record-batch.js';
import { codecFixtures, fixtureBytes, recordsFixtures } from './test-fixtures.js';

const LIMIT = 1 << 20;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recomputes every complete entry's checksum, so mutations get past it. */
function fixChecksums(buf: Buffer): void {
  const it = new BatchIterator(buf);
  try {
    while (it.next()) {
      const at = it.position;
      const end = at + it.sizeInBytes;
      if (it.magic === 2) buf.writeUInt32BE(crc32cOf(buf, at + ATTRIBUTES_OFFSET, end), at + CRC_OFFSET);
      else buf.writeUInt32BE(crc32(buf, at + 16, end), at + 12);
    }
  } catch {
    // a mutated header: leave the rest as it is
  }
}

function parseAll(buf: Buffer): void {
  const it = new BatchIterator(buf);
  while (it.next()) {
    if (it.magic === 2) {
      const batch = it.batch();
      batch.ensureValid();
      for (const r of readRecords(batch, LIMIT)) void r.headers;
    } else {
      readLegacyRecords(it.view(), LIMIT);
      readLegacyEntry(it.view());
    }
  }
  downConvert(buf, 0, { maxDecompressedBytes: LIMIT });
  downConvert(buf, 1, { maxDecompressedBytes: LIMIT });
  if (buf.length > 16 && buf[16]! < 2) upConvert(buf, { maxDecompressedBytes: LIMIT });
}

function onlyRecordsErrors(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RecordsError)) throw e;
  }
}

describe('mutations of real bytes give typed errors only', () => {
  for (const f of recordsFixtures) {
    it(f.name, () => {
      const original = fixtureBytes(f.name);
      const random = mulberry32(f.name.length * 7919 + original.length);
      for (let i = 0; i < 300; i++) {
        const b = Buffer.from(original);
        const flips = 1 + Math.floor(random() * 3);
        for (let j = 0; j < flips; j++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
        const cut = random() < 0.2 ? b.subarray(0, Math.floor(random() * b.length)) : b;
        if (random() < 0.5) fixChecksums(cut);
        onlyRecordsErrors(() => parseAll(cut));
      }
    });
  }

  for (const f of codecFixtures) {
    it(f.name, () => {
      const original = fixtureBytes(f.name);
      const codec = compressionTypeFromName(f.codec);
      const random = mulberry32(original.length);
      for (let i = 0; i < 200; i++) {
        const b = Buffer.from(original);
        const flips = 1 + Math.floor(random() * 4);
        for (let j = 0; j < flips; j++) b[Math.floor(random() * Math.min(b.length, 64))] = Math.floor(random() * 256);
        const cut = random() < 0.3 ? b.subarray(0, Math.floor(random() * b.length)) : b;
        onlyRecordsErrors(() => decompress(codec, cut, f.magic, LIMIT));
      }
      expect(decompress(codec, original, f.magic, LIMIT).length).toBe(f.payloadBytes);
    });
  }
});
