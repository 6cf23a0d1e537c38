import { ErrorCode, type ErrorName } from '../protocol/errors.js';
import { LogError } from '../log/log-error.js';

/**
 * The Kafka error code for an exception raised below a handler: a LogError carries Kafka's error name
 * as its code; anything else is UNKNOWN_SERVER_ERROR (and worth a log line, which the caller writes).
 */
export function errorCodeOf(err: unknown): number {
  if (err instanceof LogError && Object.hasOwn(ErrorCode, err.code)) return ErrorCode[err.code as ErrorName];
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}
