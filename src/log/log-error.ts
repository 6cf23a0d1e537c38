/**
 * The one error type the log layer throws. Its code is a stable string the broker maps to a Kafka
 * error code for the partition (the names are Kafka's, see src/protocol/errors.ts), except
 * ILLEGAL_STATE, which is a broken invariant of the caller (UNKNOWN_SERVER_ERROR on the wire).
 *
 * - KAFKA_STORAGE_ERROR: any failed file operation (EIO, ENOSPC, EDQUOT, EROFS, ...), or a log taken
 *   offline by an earlier one. Kafka's KafkaStorageException.
 * - OFFSET_OUT_OF_RANGE: a read or a log start offset outside [logStartOffset, logEndOffset] (or the
 *   high watermark for DeleteRecords).
 * - CORRUPT_MESSAGE: bytes that are not a valid v2 batch: bad size, magic or CRC. Recovery also uses it
 *   for damage in the middle of the log, with `file` and `position` set.
 * - INVALID_RECORD: well-formed batches that break a rule of the log: offsets not increasing on a
 *   follower append (Kafka's OffsetsOutOfOrderException / UnexpectedAppendOffsetException).
 * - RECORD_LIST_TOO_LARGE: an append larger than segment.bytes (Kafka's RecordBatchTooLargeException).
 */
export type LogErrorCode =
  | 'KAFKA_STORAGE_ERROR'
  | 'OFFSET_OUT_OF_RANGE'
  | 'CORRUPT_MESSAGE'
  | 'INVALID_RECORD'
  | 'RECORD_LIST_TOO_LARGE'
  | 'ILLEGAL_STATE';

export interface LogErrorDetails {
  /** The file the error is about, for storage errors and corruption. */
  readonly file?: string;
  /** Byte position in `file` of the first bad byte, for corruption. */
  readonly position?: number;
}

export class LogError extends Error {
  override readonly name = 'LogError';
  readonly file: string | undefined;
  readonly position: number | undefined;

  constructor(
    readonly code: LogErrorCode,
    message: string,
    details: LogErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.file = details.file;
    this.position = details.position;
  }
}

/** The errno code of a Node fs error ('ENOSPC', 'EIO', ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Wraps a failed file operation: KAFKA_STORAGE_ERROR naming the operation, the file and the errno. */
export function storageError(operation: string, file: string, cause: unknown): LogError {
  if (cause instanceof LogError) return cause;
  const reason = errnoCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  return new LogError('KAFKA_STORAGE_ERROR', `${operation} ${file} failed: ${reason}`, { file }, { cause });
}
