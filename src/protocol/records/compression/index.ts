/**
 * The codec named by bits 0-2 of a batch's (or legacy message's) attributes:
 * 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd; 5-7 are invalid. zstd exists only for magic 2.
 *
 * `compress` writes what Kafka's Java client writes: gzip members, xerial-framed snappy, LZ4 frames
 * with 64 KiB independent blocks (broken header checksum for magic 0), zstd frames. `decompress`
 * accepts what any client writes and never returns more than `maxBytes`: past it, MESSAGE_TOO_LARGE.
 * Codec failures are RecordsErrors (CORRUPT_MESSAGE), never raw library exceptions.
 */
import { RecordsError } from '../errors.js';
import { gzipCompress, gzipDecompress } from './gzip.js';
import { lz4Compress, lz4Decompress } from './lz4.js';
import { snappyCompressXerial, snappyDecompress } from './snappy.js';
import { zstdCompress, zstdDecompress } from './zstd.js';

export const CompressionType = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

/** Kafka's names for the codecs (CompressionType.name, the compression.type config values). */
export const COMPRESSION_NAMES: readonly string[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The default cap on one payload's decompressed size; callers on a request path pass their own. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export function compressionTypeFromName(name: string): CompressionType {
  const id = COMPRESSION_NAMES.indexOf(name);
  if (id < 0) throw new RecordsError('UNSUPPORTED_COMPRESSION_TYPE', `unknown compression type ${name}`);
  return id as CompressionType;
}

/** Checks a codec id from attributes against the magic that carries it. */
export function checkCompressionType(id: number, magic: number): CompressionType {
  if (id > CompressionType.ZSTD || id < 0) {
    throw new RecordsError('UNSUPPORTED_COMPRESSION_TYPE', `unknown compression type id ${id}`);
  }
  if (id === CompressionType.ZSTD && magic < 2) {
    throw new RecordsError('UNSUPPORTED_COMPRESSION_TYPE', `zstd is not supported by magic ${magic}`);
  }
  return id as CompressionType;
}

export function compress(type: CompressionType, data: Buffer, magic: number): Buffer {
  switch (checkCompressionType(type, magic)) {
    case CompressionType.NONE:
      return data;
    case CompressionType.GZIP:
      return gzipCompress(data);
    case CompressionType.SNAPPY:
      return snappyCompressXerial(data);
    case CompressionType.LZ4:
      return lz4Compress(data, magic);
    case CompressionType.ZSTD:
      return zstdCompress(data);
  }
}

export function decompress(
  type: CompressionType,
  data: Buffer,
  magic: number,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Buffer {
  switch (checkCompressionType(type, magic)) {
    case CompressionType.NONE:
      if (data.length > maxBytes) throw new RecordsError('MESSAGE_TOO_LARGE', `${data.length} bytes over the limit`);
      return data;
    case CompressionType.GZIP:
      return gzipDecompress(data, maxBytes);
    case CompressionType.SNAPPY:
      return snappyDecompress(data, maxBytes);
    case CompressionType.LZ4:
      return lz4Decompress(data, magic, maxBytes);
    case CompressionType.ZSTD:
      return zstdDecompress(data, maxBytes);
  }
}
