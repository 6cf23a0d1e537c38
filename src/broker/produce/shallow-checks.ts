/**
 * Checks on the entries of a produce request's records, before any record is read:
 *
 * - `checkProduceRequest`: Kafka 3.9's ProduceRequest.validateRecords. Produce v3+ must carry exactly
 *   one entry, a magic 2 batch, and zstd only from v7. Older versions are not checked ("to ensure
 *   compatibility with clients which send the wrong magic version").
 * - `analyzeRecords`: UnifiedLog.analyzeAndValidateRecords for AppendOrigin.CLIENT. Per entry, in
 *   order: a v2 batch's baseOffset must be 0; the entry must fit max.message.bytes (MESSAGE_TOO_LARGE,
 *   Kafka's RecordTooLargeException); its CRC must match (CORRUPT_MESSAGE). The source codec is the
 *   last compressed entry's. A partial entry at the end is dropped, as Kafka trims it (validBytes).
 * - `checkBatchHeader`: LogValidator.validateBatch's client rules for a v2 batch.
 */
import {
  BatchIterator,
  CompressionType,
  MAGIC_OFFSET,
  MAGIC_VALUE_V2,
  RecordBatch,
  checkCompressionType,
  crc32,
  legacyCompressionType,
  readLegacyEntry,
  type LegacyRecord,
} from '../../protocol/records/index.js';
import { ValidationError, inPartition, partitionName } from './validation-error.js';

/** A v0/v1 entry's crc field; the CRC-32 covers [magic, end). */
const LEGACY_CRC_OFFSET = 12;

/** One entry: a v2 batch, or a v0/v1 message (a compressed wrapper counts as one). */
export interface Entry {
  readonly magic: number;
  readonly batch: RecordBatch | null;
  readonly legacy: LegacyRecord | null;
}

export interface Analysis {
  readonly entries: Entry[];
  readonly validBytes: number;
  readonly sourceCompression: CompressionType;
}

export function checkProduceRequest(records: Buffer, version: number): void {
  if (version < 3) return;
  const it = new BatchIterator(records);
  if (!it.next()) {
    throw new ValidationError(
      'INVALID_RECORD',
      `Produce requests with version ${version} must have at least one record batch per partition`,
    );
  }
  if (it.magic !== MAGIC_VALUE_V2) {
    throw new ValidationError(
      'INVALID_RECORD',
      `Produce requests with version ${version} are only allowed to contain record batches with magic version 2`,
    );
  }
  const codec = checkCompressionType(it.batch().compressionType, MAGIC_VALUE_V2);
  if (version < 7 && codec === CompressionType.ZSTD) {
    throw new ValidationError(
      'UNSUPPORTED_COMPRESSION_TYPE',
      `Produce requests with version ${version} are not allowed to use ZStandard compression`,
    );
  }
  if (it.next()) {
    throw new ValidationError(
      'INVALID_RECORD',
      `Produce requests with version ${version} are only allowed to contain exactly one record batch per partition`,
    );
  }
}

export function analyzeRecords(records: Buffer, maxMessageBytes: number, topicPartition?: string): Analysis {
  const tp = partitionName(topicPartition);
  const it = new BatchIterator(records);
  const entries: Entry[] = [];
  let validBytes = 0;
  let sourceCompression: CompressionType = CompressionType.NONE;
  while (it.next()) {
    const view = it.view();
    const magic = it.magic;
    const batch = magic === MAGIC_VALUE_V2 ? new RecordBatch(view) : null;
    if (batch !== null && batch.baseOffset !== 0) {
      throw new ValidationError(
        'INVALID_RECORD',
        `The baseOffset of the record batch in the append to ${tp} should be 0, but it is ${batch.baseOffset}`,
      );
    }
    if (view.length > maxMessageBytes) {
      throw new ValidationError(
        'MESSAGE_TOO_LARGE',
        `The record batch size in the append to ${tp} is ${view.length} bytes which exceeds the maximum ` +
          `configured value of ${maxMessageBytes}.`,
      );
    }
    let codec: number;
    let legacy: LegacyRecord | null = null;
    if (batch !== null) {
      if (!batch.isValid()) throw corrupt(batch.crc, topicPartition);
      codec = batch.compressionType;
    } else {
      const stored = view.readUInt32BE(LEGACY_CRC_OFFSET);
      if (stored !== crc32(view, MAGIC_OFFSET)) throw corrupt(stored, topicPartition);
      legacy = readLegacyEntry(view);
      codec = legacyCompressionType(legacy);
    }
    // Codec ids 5-7: Kafka's CompressionType.forId throws IllegalArgumentException (UNKNOWN_SERVER_ERROR);
    // we answer UNSUPPORTED_COMPRESSION_TYPE. zstd in a legacy wrapper is refused when it is opened.
    if (codec !== CompressionType.NONE) sourceCompression = checkCompressionType(codec, MAGIC_VALUE_V2);
    entries.push({ magic, batch, legacy });
    validBytes += view.length;
  }
  return { entries, validBytes, sourceCompression };
}

function corrupt(storedCrc: number, topicPartition: string | undefined): ValidationError {
  return new ValidationError(
    'CORRUPT_MESSAGE',
    `Record is corrupt (stored crc = ${storedCrc})${inPartition(topicPartition)}.`,
  );
}

/** validateBatch for a v2 batch from a client: offsets consistent with the count, no control batch, a sequence. */
export function checkBatchHeader(batch: RecordBatch, topicPartition?: string): void {
  const where = inPartition(topicPartition);
  const base = batch.baseOffset;
  const countFromOffsets = batch.lastOffsetDelta + 1;
  if (countFromOffsets <= 0) {
    throw new ValidationError(
      'INVALID_RECORD',
      `Batch has an invalid offset range: [${base}, ${batch.lastOffset}]${where}`,
    );
  }
  const count = batch.recordCount;
  if (count <= 0) {
    throw new ValidationError('INVALID_RECORD', `Invalid reported count for record batch: ${count}${where}`);
  }
  if (countFromOffsets !== count) {
    throw new ValidationError(
      'INVALID_RECORD',
      `Inconsistent batch offset range [${base}, ${batch.lastOffset}] and count of records ${count}${where}`,
    );
  }
  if (batch.isControlBatch) {
    throw new ValidationError('INVALID_RECORD', `Clients are not allowed to write control records${where}`);
  }
  if (batch.producerId >= 0 && batch.baseSequence < 0) {
    throw new ValidationError(
      'INVALID_RECORD',
      `Invalid sequence number ${batch.baseSequence} in record batch with producerId ${batch.producerId}${where}`,
    );
  }
}
