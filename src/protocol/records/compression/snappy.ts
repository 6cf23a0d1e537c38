/**
 * snappy (codec 2), in two framings, both read:
 *
 * - raw: one snappy block, `uncompressedLength:varint32` then tagged literals and copies. librdkafka
 *   writes this.
 * - xerial (snappy-java's SnappyOutputStream, which the Java client and kafka-python write):
 *   a 16-byte header `0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00 | version:int32 BE (1) | compat:int32 BE (1)`,
 *   then blocks `[length:int32 BE][raw snappy block]`, each of at most 32 KiB uncompressed. A second
 *   header may follow a block boundary (concatenated streams); it is skipped, as snappy-java does.
 *   Input of 16 bytes or more that starts with the magic is xerial; anything else is raw, the same
 *   test snappy-java applies.
 *
 * We always write xerial: Kafka's Java client does, every client reads it, and old Java consumers
 * (0.8.x, whose snappy-java predates raw fallback) read nothing else.
 *
 * Bounds: each raw block's declared length is checked against the caller's limit before the native
 * decoder allocates it. `copyOutputData: true` everywhere (shared/reference/performance.md §4.4).
 */
import { createRequire } from 'node:module';
import { RecordsError } from '../errors.js';

// The native addon is loaded on first use, not at import: most brokers never see snappy, and loading
// it costs milliseconds of startup (docs/benchmarks.md, "Standalone broker").
type Snappy = typeof import('snappy');
let native: Snappy | null = null;
const snappy = (): Snappy => (native ??= createRequire(import.meta.url)('snappy') as Snappy);

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_BLOCK_SIZE = 32 * 1024;
const XERIAL_HEADER = Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);

const COPY = { copyOutputData: true } as const;

export function snappyCompressRaw(data: Uint8Array): Buffer {
  return snappy().compressSync(data, COPY);
}

export function snappyCompressXerial(data: Uint8Array): Buffer {
  const blocks: Buffer[] = [];
  let size = XERIAL_HEADER_SIZE;
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_SIZE) {
    const block = snappy().compressSync(data.subarray(pos, Math.min(pos + XERIAL_BLOCK_SIZE, data.length)), COPY);
    blocks.push(block);
    size += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(size);
  XERIAL_HEADER.copy(out, 0);
  let at = XERIAL_HEADER_SIZE;
  for (const block of blocks) {
    out.writeInt32BE(block.length, at);
    out.set(block, at + 4);
    at += 4 + block.length;
  }
  return out;
}

function isXerialHeader(data: Buffer, pos: number): boolean {
  return data.length - pos >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, pos, pos + 8) === 0;
}

export function isXerial(data: Buffer): boolean {
  return isXerialHeader(data, 0);
}

/** The uncompressed length a raw snappy block declares in its varint32 preamble. */
export function snappyUncompressedLength(block: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const b = block[i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return value;
  }
  throw new RecordsError('CORRUPT_MESSAGE', 'snappy block has a malformed length preamble');
}

function uncompressBlock(block: Uint8Array, room: number): Buffer {
  const declared = snappyUncompressedLength(block);
  if (declared > room) {
    throw new RecordsError('MESSAGE_TOO_LARGE', `snappy block declares ${declared} bytes, over the limit`);
  }
  let out: string | Buffer;
  try {
    out = snappy().uncompressSync(block, COPY);
  } catch (e) {
    throw new RecordsError('CORRUPT_MESSAGE', `snappy block cannot be decompressed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (typeof out === 'string' || out.length !== declared) {
    throw new RecordsError('CORRUPT_MESSAGE', 'snappy block decompressed to a length other than declared');
  }
  return out;
}

export function snappyDecompress(data: Buffer, maxBytes: number): Buffer {
  if (!isXerial(data)) return uncompressBlock(data, maxBytes);
  const parts: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (isXerialHeader(data, pos)) {
      pos += XERIAL_HEADER_SIZE;
      continue;
    }
    if (data.length - pos < 4) throw new RecordsError('CORRUPT_MESSAGE', 'xerial snappy stream ends mid block length');
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || length > data.length - pos) {
      throw new RecordsError('CORRUPT_MESSAGE', `xerial snappy block length ${length} exceeds the stream`);
    }
    const block = uncompressBlock(data.subarray(pos, pos + length), maxBytes - total);
    pos += length;
    total += block.length;
    parts.push(block);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}
