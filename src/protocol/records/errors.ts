/**
 * The one error type the records layer throws. Its code is the name of the Kafka error a broker writes
 * into the response for the partition (see src/protocol/errors.ts), so a handler maps it without
 * guessing:
 *
 * - CORRUPT_MESSAGE: bytes that cannot be what they claim: a CRC mismatch, a size below the minimum
 *   overhead, a length running past its container, a compressed payload its codec cannot decode
 *   (Kafka's CorruptRecordException).
 * - INVALID_RECORD: well-formed bytes that break a rule: a record whose fields do not fill its
 *   declared size, inconsistent offsets, a compressed message inside a compressed wrapper, a wrapper
 *   with no inner messages (Kafka's InvalidRecordException).
 * - UNSUPPORTED_COMPRESSION_TYPE: a codec id outside 0..4, or zstd where the format cannot carry it.
 * - UNSUPPORTED_FOR_MESSAGE_FORMAT: a feature the target magic cannot express.
 * - MESSAGE_TOO_LARGE: decompressed data beyond the caller's limit (a compression bomb, or a lying size).
 */
export type RecordsErrorCode =
  | 'CORRUPT_MESSAGE'
  | 'INVALID_RECORD'
  | 'UNSUPPORTED_COMPRESSION_TYPE'
  | 'UNSUPPORTED_FOR_MESSAGE_FORMAT'
  | 'MESSAGE_TOO_LARGE';

export class RecordsError extends Error {
  override readonly name = 'RecordsError';
  constructor(
    readonly code: RecordsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
