/**
 * lz4 (codec 3): the LZ4 frame format (KIP-57), framed here over lz4-napi's raw block codec.
 *
 * Frame: `magic:uint32 LE 0x184d2204 | FLG | BD | [contentSize:uint64 LE] | HC` then blocks
 * `[size:uint32 LE, high bit = stored uncompressed][data][blockChecksum:uint32 if FLG says]`, an end
 * mark `uint32 0`, and `contentChecksum:uint32` if FLG says.
 * - FLG: version (bits 7-6) must be 01, independent blocks (bit 5) must be set, bits 1-0 (reserved and
 *   dictionary id) must be 0: the rules of Kafka's Lz4BlockInputStream. BD: bits 6-4 give the maximum
 *   block size (4 = 64 KiB .. 7 = 4 MiB), all other bits must be 0.
 * - HC = (XXH32(descriptor) >>> 8) & 0xff. Correct (magic v1, v2): the descriptor is FLG up to the
 *   content size. Broken (magic v0, Kafka before KIP-57): the descriptor also includes the 4 magic
 *   bytes. Kafka checks HC only for v1+ and ignores it for v0; so do we.
 * - Block and content checksums are accepted and skipped, as Kafka skips them.
 *
 * We write what Kafka's Lz4BlockOutputStream writes: FLG 0x60 (v01, independent), BD 0x40 (64 KiB),
 * no checksums, no content size; a block that does not shrink is stored uncompressed. For magic v0
 * the HC is the broken one, which the 0.8.2 reader requires.
 *
 * Bounds: a block's size is checked against the frame's maximum block size, each compressed block is
 * decoded with that bound, and the total against the caller's limit.
 */
import { createRequire } from 'node:module';
import { RecordsError } from '../errors.js';
import { xxh32 } from './xxh32.js';

const MAGIC = 0x184d2204;
const FLG_KAFKA = 0x60;
const BD_64KB = 0x40;
const BLOCK_SIZE = 64 * 1024;
const FLG_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const UNCOMPRESSED_BIT = 0x80000000;

// The native addon is loaded on first use, not at import (startup cost; see snappy.ts).
type Lz4Napi = typeof import('lz4-napi');
let native: Lz4Napi | null = null;
const lz4 = (): Lz4Napi => (native ??= createRequire(import.meta.url)('lz4-napi') as Lz4Napi);

/** The header checksum byte over bytes [start, end) of a frame. */
export function lz4HeaderChecksum(frame: Buffer, start: number, end: number): number {
  return (xxh32(frame, start, end, 0) >>> 8) & 0xff;
}

export function lz4Compress(data: Buffer, magic: number): Buffer {
  const blocks: Buffer[] = [];
  const words: number[] = [];
  let size = 7 + 4;
  for (let pos = 0; pos < data.length; pos += BLOCK_SIZE) {
    const chunk = data.subarray(pos, Math.min(pos + BLOCK_SIZE, data.length));
    // lz4-napi's block API prefixes the block with its uncompressed size (uint32 LE): skip it.
    const compressed = lz4().compressSync(chunk).subarray(4);
    const shrank = compressed.length < chunk.length;
    const block = shrank ? compressed : chunk;
    blocks.push(block);
    words.push(shrank ? block.length : (block.length | UNCOMPRESSED_BIT) >>> 0);
    size += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = FLG_KAFKA;
  out[5] = BD_64KB;
  out[6] = magic === 0 ? lz4HeaderChecksum(out, 0, 6) : lz4HeaderChecksum(out, 4, 6);
  let at = 7;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    out.writeUInt32LE(words[i]!, at);
    out.set(block, at + 4);
    at += 4 + block.length;
  }
  out.writeUInt32LE(0, at);
  return out;
}

let scratch = Buffer.allocUnsafe(4 + BLOCK_SIZE);

/** Decodes one raw block of at most `bound` bytes: lz4-napi wants the bound as a uint32 LE prefix. */
function decodeBlock(frame: Buffer, pos: number, length: number, bound: number): Buffer {
  if (scratch.length < 4 + length) scratch = Buffer.allocUnsafe(4 + length);
  scratch.writeUInt32LE(bound, 0);
  frame.copy(scratch, 4, pos, pos + length);
  return lz4().uncompressSync(scratch.subarray(0, 4 + length));
}

function corrupt(why: string): RecordsError {
  return new RecordsError('CORRUPT_MESSAGE', `lz4 frame: ${why}`);
}

export function lz4Decompress(frame: Buffer, magic: number, maxBytes: number): Buffer {
  if (frame.length < 7) throw corrupt('shorter than a frame header');
  if (frame.readUInt32LE(0) !== MAGIC) throw corrupt('bad magic');
  const flg = frame[4]!;
  const bd = frame[5]!;
  if (flg >>> 6 !== 1) throw corrupt(`unsupported version ${flg >>> 6}`);
  if ((flg & 0x03) !== 0) throw corrupt('reserved FLG bits set');
  if ((flg & FLG_INDEPENDENT) === 0) throw corrupt('dependent blocks are not supported');
  if ((bd & 0x8f) !== 0) throw corrupt('reserved BD bits set');
  const blockSizeId = (bd >>> 4) & 0x07;
  if (blockSizeId < 4) throw corrupt(`unsupported block size id ${blockSizeId}`);
  const maxBlock = 1 << (8 + 2 * blockSizeId);
  let pos = 6;
  if ((flg & FLG_CONTENT_SIZE) !== 0) {
    if (frame.length < 15) throw corrupt('truncated content size');
    const contentSize = frame.readUInt32LE(6) + frame.readUInt32LE(10) * 2 ** 32;
    if (contentSize > maxBytes) {
      throw new RecordsError('MESSAGE_TOO_LARGE', `lz4 frame declares ${contentSize} bytes, over the limit`);
    }
    pos = 14;
  }
  if (magic !== 0 && frame[pos] !== lz4HeaderChecksum(frame, 4, pos)) throw corrupt('header checksum mismatch');
  pos += 1;
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0;
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    if (frame.length - pos < 4) throw corrupt('ends before its end mark');
    const word = frame.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const length = word & 0x7fffffff;
    if (length > maxBlock) throw corrupt(`block size ${length} exceeds the maximum ${maxBlock}`);
    if (frame.length - pos < length + blockChecksum) throw corrupt('truncated block');
    const room = maxBytes - total;
    let block: Buffer;
    if ((word & UNCOMPRESSED_BIT) !== 0) {
      block = frame.subarray(pos, pos + length);
    } else {
      const bound = Math.min(maxBlock, room);
      try {
        block = decodeBlock(frame, pos, length, bound);
      } catch (e) {
        if (bound < maxBlock) {
          throw new RecordsError('MESSAGE_TOO_LARGE', `lz4 frame decompresses to more than ${maxBytes} bytes`);
        }
        throw new RecordsError('CORRUPT_MESSAGE', `lz4 block cannot be decompressed: ${(e as Error).message}`, {
          cause: e,
        });
      }
    }
    if (block.length > room) {
      throw new RecordsError('MESSAGE_TOO_LARGE', `lz4 frame decompresses to more than ${maxBytes} bytes`);
    }
    pos += length + blockChecksum;
    total += block.length;
    parts.push(block);
  }
  if ((flg & FLG_CONTENT_CHECKSUM) !== 0 && frame.length - pos < 4) throw corrupt('truncated content checksum');
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts, total);
}
