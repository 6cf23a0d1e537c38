/** Shared by the produce validation tests. */
import { expect } from 'vitest';
import {
  ATTRIBUTES_OFFSET,
  BatchIterator,
  CRC_OFFSET,
  RecordBatch,
  crc32,
  crc32c,
  readRecords,
  type SimpleRecord,
} from '../../../protocol/records/index.js';
import { fixtureBytes } from '../../../protocol/records/test-fixtures.js';
import { validateRecords } from '../log-validator.js';
import {
  NO_TIMESTAMP_LIMIT,
  type ValidateRecordsInput,
  type ValidatedRecords,
  type ValidationErrorName,
  type ValidationFailure,
  type ValidatorConfig,
} from '../types.js';

export const NOW = 1_700_000_005_000;
export const TP = 't-0';

export const rec = (key: string | null, value: string, timestamp = NOW): SimpleRecord => ({
  timestamp,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
});
export const threeRecords = [rec('a', '1', NOW - 2), rec('b', '2', NOW), rec('c', '3', NOW - 1)];

export const DEFAULT_CONFIG: ValidatorConfig = {
  compressionType: 'producer',
  messageTimestampType: 'CreateTime',
  messageTimestampBeforeMaxMs: NO_TIMESTAMP_LIMIT,
  messageTimestampAfterMaxMs: NO_TIMESTAMP_LIMIT,
  maxMessageBytes: 1_048_588,
  compact: false,
};

export function run(
  records: Buffer,
  config: Partial<ValidatorConfig> = {},
  extra: Partial<Omit<ValidateRecordsInput, 'records' | 'config'>> = {},
): ReturnType<typeof validateRecords> {
  return validateRecords({
    records,
    produceVersion: 9,
    config: { ...DEFAULT_CONFIG, ...config },
    now: NOW,
    isFromClient: true,
    topicPartition: TP,
    ...extra,
  });
}

export function ok(result: ReturnType<typeof validateRecords>): ValidatedRecords {
  if (!result.ok) throw new Error(`expected success, got ${result.error}: ${result.message}`);
  return result;
}

export function fails(result: ReturnType<typeof validateRecords>, error: ValidationErrorName): ValidationFailure {
  if (result.ok) throw new Error(`expected ${error}, got success`);
  expect(result.error, result.message).toBe(error);
  return result;
}

/** A fixture as a producer sends it: Kafka's fixtures start at offset 100; v2 batches must be 0. */
export function produced(name: string): Buffer {
  const buf = fixtureBytes(name);
  const it = new BatchIterator(buf);
  while (it.next()) if (it.magic === 2) it.batch().setBaseOffset(0);
  return buf;
}

/** Recomputes the CRC of every complete entry after a test patched it. */
export function fixChecksums(buf: Buffer): Buffer {
  const it = new BatchIterator(buf);
  while (it.next()) {
    const at = it.position;
    const end = at + it.sizeInBytes;
    if (it.magic === 2) buf.writeUInt32BE(crc32c(buf, at + ATTRIBUTES_OFFSET, end), at + CRC_OFFSET);
    else buf.writeUInt32BE(crc32(buf, at + 16, end), at + 12);
  }
  return buf;
}

/** `out` lies inside `input`'s bytes: no copy was made. */
export function isViewOf(out: Buffer, input: Buffer): boolean {
  return (
    out.buffer === input.buffer &&
    out.byteOffset >= input.byteOffset &&
    out.byteOffset + out.length <= input.byteOffset + input.length
  );
}

/** The stored records as a consumer reads them. */
export function readBack(result: ValidatedRecords): { offset: number; timestamp: number; key: string | null }[] {
  const batch = new RecordBatch(result.records);
  batch.ensureValid();
  batch.validate();
  expect(batch.baseOffset).toBe(0);
  return [...readRecords(batch)].map((r) => ({
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key === null ? null : r.key.toString(),
  }));
}
