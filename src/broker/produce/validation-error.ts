/**
 * How validation stops. Checks throw a ValidationError (Kafka's InvalidRecordException and friends)
 * or let a RecordsError from the records layer through; `toFailure` turns either into the
 * ValidationFailure that validateRecords returns. Nothing else is caught: any other exception is a
 * bug and must surface.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { RecordsError } from '../../protocol/records/index.js';
import type { RecordError, ValidationErrorName, ValidationFailure } from './types.js';

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly error: ValidationErrorName,
    message: string,
    readonly recordErrors: readonly RecordError[] = [],
  ) {
    super(message);
  }
}

/** The suffix Kafka appends to most messages: " in topic partition t-0", or nothing if unknown. */
export function inPartition(topicPartition: string | undefined): string {
  return topicPartition === undefined ? '' : ` in topic partition ${topicPartition}`;
}

/** The partition as Kafka names it in "the append to t-0". */
export function partitionName(topicPartition: string | undefined): string {
  return topicPartition ?? 'this partition';
}

export function failure(
  error: ValidationErrorName,
  message: string,
  recordErrors: readonly RecordError[] = [],
): ValidationFailure {
  return {
    ok: false,
    error,
    errorCode: ErrorCode[error],
    message,
    responseErrorMessage: recordErrors.length > 0 ? message : null,
    recordErrors,
  };
}

/** The failure for a thrown ValidationError or RecordsError; anything else is rethrown. */
export function toFailure(e: unknown): ValidationFailure {
  if (e instanceof ValidationError) return failure(e.error, e.message, e.recordErrors);
  if (e instanceof RecordsError) return failure(e.code, e.message);
  throw e;
}
