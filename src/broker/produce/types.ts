/**
 * The contract of `validateRecords` (log-validator.ts): the topic settings it obeys, what it returns
 * for the log to append, and how it says no. Names and semantics are Kafka 3.9's (LogConfig,
 * LogValidator.ValidationResult, LogAppendInfo, ProduceResponse.RecordError).
 */
import { INT64_MAX } from '../../protocol/primitives/int64.js';
import type { CompressionType, TimestampType } from '../../protocol/records/index.js';

/** compression.type: a codec, `uncompressed`, or `producer` (keep whatever the producer used). */
export type BrokerCompressionType = 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** message.timestamp.type. */
export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

/** Long.MAX_VALUE as our int64 numbers carry it (2^63): "no limit" for the timestamp bounds. */
export const NO_TIMESTAMP_LIMIT = INT64_MAX;

/**
 * How many times `maxMessageBytes` a batch's records may inflate to when decompressed (the default
 * `maxDecompressedBytes`). Kafka streams compressed records and sets no limit; we hold them in one
 * buffer, so a bomb must stop early. 64 × Kafka's default max.message.bytes (1048588) is 64 MiB.
 */
export const DECOMPRESSION_RATIO_LIMIT = 64;

/** The topic-level settings that decide validation (Kafka's LogConfig fields, camelCased). */
export interface ValidatorConfig {
  readonly compressionType: BrokerCompressionType;
  readonly messageTimestampType: MessageTimestampType;
  /**
   * KIP-937 (Kafka 3.6+): how far before / after `now` a CreateTime timestamp may be, in ms;
   * NO_TIMESTAMP_LIMIT for none. The deprecated message.timestamp.difference.max.ms is not read here:
   * resolve it first with `resolveTimestampBounds`, as Kafka's LogConfig does.
   */
  readonly messageTimestampBeforeMaxMs: number;
  readonly messageTimestampAfterMaxMs: number;
  /** max.message.bytes: the largest batch, as produced and again after any rebuild. */
  readonly maxMessageBytes: number;
  /** cleanup.policy contains `compact`: every record needs a key. */
  readonly compact: boolean;
  /** segment.bytes, if the caller wants Kafka's RECORD_LIST_TOO_LARGE check done here. */
  readonly segmentBytes?: number;
  /** Cap on one batch's decompressed records; default DECOMPRESSION_RATIO_LIMIT × maxMessageBytes. */
  readonly maxDecompressedBytes?: number;
}

/**
 * Kafka 3.9's LogConfig.getMessageTimestampBeforeMaxMs / AfterMaxMs: a bound left at its default
 * (Long.MAX_VALUE) falls back to the deprecated message.timestamp.difference.max.ms.
 */
export function resolveTimestampBounds(
  beforeMaxMs: number,
  afterMaxMs: number,
  differenceMaxMs: number = NO_TIMESTAMP_LIMIT,
): { messageTimestampBeforeMaxMs: number; messageTimestampAfterMaxMs: number } {
  return {
    messageTimestampBeforeMaxMs: beforeMaxMs >= NO_TIMESTAMP_LIMIT ? differenceMaxMs : beforeMaxMs,
    messageTimestampAfterMaxMs: afterMaxMs >= NO_TIMESTAMP_LIMIT ? differenceMaxMs : afterMaxMs,
  };
}

export function maxDecompressedBytes(config: ValidatorConfig): number {
  return config.maxDecompressedBytes ?? DECOMPRESSION_RATIO_LIMIT * config.maxMessageBytes;
}

export interface ValidateRecordsInput {
  /** One partition's records from a Produce request, a view. May be patched in place (see README). */
  readonly records: Buffer;
  readonly produceVersion: number;
  readonly config: ValidatorConfig;
  /** The broker's clock in ms: LogAppendTime and the timestamp bounds use it. */
  readonly now: number;
  /** Only the leader append of client data is implemented (Kafka's AppendOrigin.CLIENT). */
  readonly isFromClient: true;
  /** `topic-partition`, for messages as Kafka words them ("... in topic partition t-0"). */
  readonly topicPartition?: string;
}

/** KIP-467: one rejected record, by its index within its batch (Produce v8+ record_errors). */
export interface RecordError {
  readonly batchIndex: number;
  readonly message: string | null;
}

/**
 * Records ready for the log. `records` is empty (nothing to append, answer NONE) when the request
 * held no complete entry, which Kafka tolerates below Produce v3. Otherwise it is exactly one record
 * batch v2 whose offsets are still relative: baseOffset 0, offset deltas as described in README.md,
 * lastOffsetDelta = recordCount - 1. The log assigns offsets by writing baseOffset = its log end
 * offset and stamps partitionLeaderEpoch, both outside the CRC.
 */
export interface ValidatedRecords {
  readonly ok: true;
  readonly records: Buffer;
  readonly recordCount: number;
  /** 0 or 1. */
  readonly batchCount: number;
  /** Input bytes accepted; anything after them was a partial entry, dropped as Kafka trims it. */
  readonly validBytes: number;
  /** Kafka's maxTimestampMs: LogAppendTime's `now`, else the largest record timestamp, else -1. */
  readonly maxTimestamp: number;
  /** Relative offset of the batch holding maxTimestamp (its last offset), or -1 without timestamps. */
  readonly shallowOffsetOfMaxTimestamp: number;
  readonly timestampType: TimestampType;
  /** `now` if the topic is LogAppendTime (Kafka's LogAppendInfo.logAppendTime), else -1. */
  readonly logAppendTime: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  /** baseSequence + recordCount - 1, wrapping past 2^31 - 1 as Kafka's incrementSequence; -1 without. */
  readonly lastSequence: number;
  readonly isTransactional: boolean;
  /** Always false from clients (a control batch is refused), kept for the log's producer state. */
  readonly isControl: boolean;
  /** The codec of `records`, and that of the request (the last compressed entry's, as Kafka). */
  readonly compression: CompressionType;
  readonly sourceCompression: CompressionType;
  /** Magic of the request's entries; 0 or 1 means `records` was up-converted. */
  readonly sourceMagic: number;
  /**
   * The records were decoded and written anew (Kafka's messageSizeMaybeChanged): up-conversion, a
   * codec change, or compressed inner offsets other than 0..n-1. False exactly when `records` is a
   * view of the input.
   */
  readonly recompressed: boolean;
}

export type ValidationErrorName =
  | 'CORRUPT_MESSAGE'
  | 'INVALID_RECORD'
  | 'MESSAGE_TOO_LARGE'
  | 'RECORD_LIST_TOO_LARGE'
  | 'UNSUPPORTED_COMPRESSION_TYPE'
  | 'INVALID_TIMESTAMP'
  | 'UNSUPPORTED_FOR_MESSAGE_FORMAT';

/** The partition's answer when the records are refused. Nothing was appended; the input is unpatched. */
export interface ValidationFailure {
  readonly ok: false;
  readonly error: ValidationErrorName;
  /** ErrorCode[error]. */
  readonly errorCode: number;
  /** Kafka's exception message, for the broker's log. */
  readonly message: string;
  /**
   * What Kafka 3.9 writes into the response's error_message (Produce v8+): the message when records
   * were rejected one by one (recordErrors non-empty), null otherwise (ReplicaManager's
   * hasCustomErrorMessage).
   */
  readonly responseErrorMessage: string | null;
  readonly recordErrors: readonly RecordError[];
}

export type ValidationResult = ValidatedRecords | ValidationFailure;
