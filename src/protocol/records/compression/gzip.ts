/**
 * gzip (codec 1): one or more standard gzip members (RFC 1952), as Java's GZIPOutputStream writes and
 * every client reads. Node's built-in zlib; `maxOutputLength` bounds the output, so a bomb stops at the
 * caller's limit instead of filling memory.
 *
 * We write at level 6, zlib's and Java's Deflater default, which Kafka uses unless
 * compression.gzip.level says otherwise.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { RecordsError } from '../errors.js';

export const GZIP_DEFAULT_LEVEL = 6;

export function gzipCompress(data: Uint8Array, level = GZIP_DEFAULT_LEVEL): Buffer {
  return gzipSync(data, { level });
}

export function gzipDecompress(data: Uint8Array, maxBytes: number): Buffer {
  let out: Buffer;
  try {
    out = gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RecordsError('MESSAGE_TOO_LARGE', `gzip payload decompresses to more than ${maxBytes} bytes`);
    }
    throw new RecordsError('CORRUPT_MESSAGE', `gzip payload cannot be decompressed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (out.length > maxBytes) {
    throw new RecordsError('MESSAGE_TOO_LARGE', `gzip payload decompresses to more than ${maxBytes} bytes`);
  }
  return out;
}
