/**
 * The one error type decoders throw. Every malformed input, whether truncated, oversized, out of
 * range or of the wrong shape, surfaces as a DecodeError with a stable string code, so a connection
 * can log the reason and close without a stack of guesses.
 */
export type DecodeErrorCode =
  | 'TRUNCATED' // a read needs more bytes than remain
  | 'NEGATIVE_LENGTH' // a length below -1, or -1 where null is not allowed
  | 'LENGTH_EXCEEDS_INPUT' // a declared length or count larger than the bytes left
  | 'VARINT_TOO_LONG' // an unsigned varint of more than 5 bytes or a varlong of more than 10
  | 'TAG_ORDER' // tagged fields not in strictly increasing order
  | 'TAG_SIZE_MISMATCH' // a known tagged field whose encoding did not fill its declared size
  | 'BAD_VALUE' // a value outside what the field allows (e.g. a bool byte that is not 0 or 1)
  | 'UNKNOWN_API' // an api key with no declaration
  | 'UNSUPPORTED_VERSION' // a version outside an API's declared range
  | 'TRAILING_BYTES'; // a frame with bytes left after its body

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
