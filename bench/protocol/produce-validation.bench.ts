/**
 * What validateRecords costs on a 1 MiB produced batch, beside the CRC it cannot avoid:
 * `npm run bench -- produce-validation` prints a Markdown table (numbers compare within
 * one run on one machine; never pass/fail). `logValidatorBenchmarks` is there for bench/run.ts.
 */
import { randomBytes } from 'node:crypto';
import { measure, type Measurement } from '../harness.js';
import { CompressionType, RecordBatch, buildRecordBatch, readRecords } from '../../src/protocol/records/index.js';
import { validateRecords } from '../../src/broker/produce/log-validator.js';
import { NO_TIMESTAMP_LIMIT, type ValidatorConfig } from '../../src/broker/produce/types.js';

const config: ValidatorConfig = {
  compressionType: 'producer',
  messageTimestampType: 'CreateTime',
  messageTimestampBeforeMaxMs: NO_TIMESTAMP_LIMIT,
  messageTimestampAfterMaxMs: NO_TIMESTAMP_LIMIT,
  maxMessageBytes: 2 << 20,
  compact: false,
};

function batchOf(count: number, valueBytes: number, compression: CompressionType = CompressionType.NONE): Buffer {
  const value = randomBytes(valueBytes);
  const records = Array.from({ length: count }, (_, i) => ({
    timestamp: 1_700_000_000_000 + i,
    key: Buffer.from(`key-${i}`),
    value,
  }));
  return buildRecordBatch(records, { compression });
}

function validate(records: Buffer, overrides: Partial<ValidatorConfig> = {}): void {
  const r = validateRecords({
    records,
    produceVersion: 9,
    config: { ...config, ...overrides },
    now: 1_700_000_000_000,
    isFromClient: true,
  });
  if (!r.ok) throw new Error(r.message);
}

export function logValidatorBenchmarks(): Measurement[] {
  const out: Measurement[] = [];
  for (const [count, valueBytes] of [
    [1000, 1000],
    [10_000, 90],
  ] as const) {
    const input = batchOf(count, valueBytes);
    const batch = new RecordBatch(input);
    const label = `${count.toLocaleString('en')} records, 1 MiB`;
    out.push(measure(`CRC only (RecordBatch.isValid), ${label}`, input.length, () => batch.isValid()));
    out.push(measure(`validateRecords, uncompressed in place, ${label}`, input.length, () => validate(input)));
    out.push(
      measure(`validateRecords, compacted topic, ${label}`, input.length, () => validate(input, { compact: true })),
    );
    out.push(
      measure(`for comparison: CRC + RecordIterator walk, ${label}`, input.length, () => {
        batch.isValid();
        for (const r of readRecords(batch)) void r.key;
      }),
    );
  }
  const lz4 = batchOf(10_000, 90, CompressionType.LZ4);
  out.push(measure('validateRecords, lz4 in place (decompress + scan)', lz4.length, () => validate(lz4)));
  const plain = batchOf(1000, 1000);
  out.push(
    measure('validateRecords, none → lz4 (rebuild)', plain.length, () => validate(plain, { compressionType: 'lz4' })),
  );
  return out;
}
