/**
 * zstd (codec 4): standard zstd frames (RFC 8878), as zstd-jni's ZstdOutputStream writes them; one
 * or more frames back to back, skippable frames allowed. Only record batch v2 may carry zstd.
 *
 * zstd-napi's high-level `decompress` allocates whatever a frame header's content size claims, so a
 * four-byte lie is a gigabyte. We use its binding directly: a frame whose declared size fits the limit
 * (and is the whole input) is decoded in one call into a buffer of exactly that size; anything else is
 * streamed into chunks, stopping as soon as the output passes the caller's limit.
 */
import { createRequire } from 'node:module';
import { RecordsError } from '../errors.js';

type ZstdBinding = typeof import('zstd-napi/binding.js');
type ZstdSimple = typeof import('zstd-napi');

// The native addon is loaded on first use, not at import (startup cost; see snappy.ts).
let nativeBinding: ZstdBinding | null = null;
let nativeSimple: ZstdSimple | null = null;
const zstdBinding = (): ZstdBinding =>
  (nativeBinding ??= createRequire(import.meta.url)('zstd-napi/binding') as ZstdBinding);
const zstdSimple = (): ZstdSimple => (nativeSimple ??= createRequire(import.meta.url)('zstd-napi') as ZstdSimple);

export const ZSTD_DEFAULT_LEVEL = 3;
const STREAM_CHUNK = 256 * 1024;

let dctx: InstanceType<ZstdBinding['DCtx']> | null = null;

export function zstdCompress(data: Uint8Array, level = ZSTD_DEFAULT_LEVEL): Buffer {
  return zstdSimple().compress(data, { compressionLevel: level });
}

function tooLarge(maxBytes: number): RecordsError {
  return new RecordsError('MESSAGE_TOO_LARGE', `zstd payload decompresses to more than ${maxBytes} bytes`);
}

export function zstdDecompress(data: Uint8Array, maxBytes: number): Buffer {
  try {
    return decompressBounded(data, maxBytes);
  } catch (e) {
    if (e instanceof RecordsError) throw e;
    throw new RecordsError('CORRUPT_MESSAGE', `zstd payload cannot be decompressed: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function decompressBounded(data: Uint8Array, maxBytes: number): Buffer {
  const binding = zstdBinding();
  const ctx = (dctx ??= new binding.DCtx());
  ctx.reset(binding.ResetDirective.sessionOnly);
  const declared = binding.getFrameContentSize(data);
  if (declared !== null) {
    if (declared > maxBytes) throw tooLarge(maxBytes);
    if (binding.findFrameCompressedSize(data) === data.length) {
      const out = Buffer.allocUnsafe(declared);
      const written = ctx.decompress(out, data);
      if (written !== declared) throw new RecordsError('CORRUPT_MESSAGE', 'zstd frame shorter than its content size');
      return out;
    }
  }
  const parts: Buffer[] = [];
  let total = 0;
  let input = data;
  for (;;) {
    const room = maxBytes - total;
    const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, room + 1));
    const [hint, produced, consumed] = ctx.decompressStream(chunk, input);
    input = input.subarray(consumed);
    total += produced;
    if (total > maxBytes) throw tooLarge(maxBytes);
    if (produced > 0) parts.push(chunk.subarray(0, produced));
    if (input.length === 0) {
      if (hint === 0) break;
      if (produced < chunk.length) throw new RecordsError('CORRUPT_MESSAGE', 'zstd payload ends mid frame');
    } else if (consumed === 0 && produced === 0) {
      throw new RecordsError('CORRUPT_MESSAGE', 'zstd decoder made no progress');
    }
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}
