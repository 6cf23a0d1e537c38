/**
 * The per-record rules of Kafka 3.9's LogValidator.validateRecord, and how their failures are
 * reported (processRecordErrors, KIP-467):
 *
 * - a compacted topic needs a key: INVALID_RECORD "Compacted topic cannot accept message without key";
 * - CreateTime topic, timestamp not -1: within [now - before, now + after], else INVALID_TIMESTAMP;
 * - otherwise (LogAppendTime topic, or timestamp -1), a batch the producer marked LogAppendTime is
 *   INVALID_TIMESTAMP "Producer should not set timestamp type to LogAppendTime".
 *
 * One error per record (the key rule first). Errors collect over a batch; `endBatch` then fails it as
 * a whole: INVALID_TIMESTAMP if any record had a timestamp error, else INVALID_RECORD, with every
 * RecordError (batchIndex = the record's index within its batch). Kafka treats each legacy
 * uncompressed message as its own batch, so its index is always 0 and the first bad one fails.
 *
 * `check` allocates nothing; a record is described (for the message) only once it has failed.
 */
import { ValidationError, inPartition } from './validation-error.js';
import { NO_TIMESTAMP_LIMIT, type RecordError, type ValidatorConfig } from './types.js';

export const RecordFault = { NONE: 0, NO_KEY: 1, TIMESTAMP_OUT_OF_RANGE: 2, LOG_APPEND_TIME_FROM_PRODUCER: 3 } as const;
export type RecordFault = (typeof RecordFault)[keyof typeof RecordFault];

const INT64_MAX_EXACT = (1n << 63n) - 1n;

/** A number as Java's long: Long.MAX_VALUE (2^63 here) exactly. */
function asLong(n: number): bigint {
  return n >= NO_TIMESTAMP_LIMIT ? INT64_MAX_EXACT : BigInt(n);
}

export class RecordChecker {
  private readonly createTime: boolean;
  private readonly before: number;
  private readonly after: number;
  private readonly compact: boolean;
  private errors: RecordError[] = [];
  private timestampError = false;

  constructor(
    config: ValidatorConfig,
    private readonly now: number,
    private readonly topicPartition: string | undefined,
  ) {
    this.createTime = config.messageTimestampType === 'CreateTime';
    this.before = config.messageTimestampBeforeMaxMs;
    this.after = config.messageTimestampAfterMaxMs;
    this.compact = config.compact;
  }

  /** True when the timestamp rule can fail (CreateTime with a bound). */
  get hasTimestampBounds(): boolean {
    return this.createTime && (this.before < NO_TIMESTAMP_LIMIT || this.after < NO_TIMESTAMP_LIMIT);
  }

  /**
   * The fault of one record, if any. `timestamp` is as a reader resolves it (a LogAppendTime batch
   * gives its maxTimestamp); `batchLogAppendTime` is the producer's timestamp type bit.
   */
  check(timestamp: number, hasKey: boolean, batchLogAppendTime: boolean): RecordFault {
    if (this.compact && !hasKey) return RecordFault.NO_KEY;
    if (this.createTime && timestamp !== -1) {
      const diff = this.now - timestamp;
      if (diff > this.before || -diff > this.after) return RecordFault.TIMESTAMP_OUT_OF_RANGE;
    } else if (batchLogAppendTime) {
      return RecordFault.LOG_APPEND_TIME_FROM_PRODUCER;
    }
    return RecordFault.NONE;
  }

  /** Records a fault with Kafka's message; `describe` is Kafka's toString of the record. */
  reject(fault: RecordFault, batchIndex: number, offset: number, timestamp: number, describe: () => string): void {
    let message: string;
    if (fault === RecordFault.NO_KEY) {
      message = `Compacted topic cannot accept message without key${inPartition(this.topicPartition)}`;
    } else if (fault === RecordFault.TIMESTAMP_OUT_OF_RANGE) {
      this.timestampError = true;
      const now = BigInt(this.now);
      const low = BigInt.asIntN(64, now - asLong(this.before));
      const high = BigInt.asIntN(64, now + asLong(this.after));
      message =
        `Timestamp ${timestamp} of message with offset ${offset} is out of range. ` +
        `The timestamp should be within [${low}, ${high}]`;
    } else {
      this.timestampError = true;
      message = `Invalid timestamp type in message ${describe()}. Producer should not set timestamp type to LogAppendTime.`;
    }
    this.errors.push({ batchIndex, message });
  }

  /** Kafka's processRecordErrors: fails the batch if any record failed. */
  endBatch(): void {
    const errors = this.errors;
    if (errors.length === 0) return;
    this.errors = [];
    if (this.timestampError) {
      throw new ValidationError(
        'INVALID_TIMESTAMP',
        'One or more records have been rejected due to invalid timestamp',
        errors,
      );
    }
    const shown = errors
      .slice(0, 3)
      .map((e) => `RecordError(batchIndex=${e.batchIndex}, message=${e.message === null ? 'null' : `'${e.message}'`})`);
    throw new ValidationError(
      'INVALID_RECORD',
      `One or more records have been rejected due to ${errors.length} record errors in total, and only ` +
        `showing the first three errors at most: [${shown.join(', ')}]`,
      errors,
    );
  }
}
