/**
 * The two checksums of Kafka's record formats, both native and incremental:
 *
 * - CRC-32C (Castagnoli), record batch v2: over bytes [21, end) of the batch, attributes to the end.
 *   @node-rs/crc32 (SSE4.2; ~6 GB/s here, see shared/reference/performance.md §3).
 * - CRC-32 (IEEE), message set v0/v1: over each message from its magic byte to its end. Node's
 *   built-in zlib.crc32 (~5 GB/s).
 *
 * Both take an optional [start, end) range of the buffer and checksum it through a `subarray` view:
 * no bytes are copied. Results are unsigned 32-bit numbers, as Kafka stores them (uint32 big-endian).
 */
import { createRequire } from 'node:module';
import { crc32 as zlibCrc32 } from 'node:zlib';

// Loaded with require rather than `import`: importing a CommonJS package from ESM runs Node's
// cjs-module-lexer over it first, ~10 ms of broker startup (docs/benchmarks.md, "Standalone broker").
const { crc32c: nativeCrc32c } = createRequire(import.meta.url)('@node-rs/crc32') as typeof import('@node-rs/crc32');

export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return nativeCrc32c(view) >>> 0;
}

export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return zlibCrc32(view) >>> 0;
}
