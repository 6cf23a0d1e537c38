import { crc32c as rawCrc32c } from '@node-rs/crc32';
import { randomBytes } from 'node:crypto';
import { CompressionType, compress, decompress } from '../../src/protocol/records/compression/index.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';
import { RecordBatch } from '../../src/protocol/records/record-batch.js';
import { readRecords } from '../../src/protocol/records/record.js';
import { measure, type Measurement } from '../harness.js';

/**
 * Record batch validation beside the raw CRC32C it is built on (the bar: validation of a 1 MiB
 * batch at ≥ 80% of raw @node-rs/crc32 speed), record iteration, and each codec's speed on 1 MiB of
 * JSON lines (MB/s of uncompressed data).
 */
export function recordBenchmarks(): Measurement[] {
  const value = randomBytes(1000);
  const records = Array.from({ length: 1040 }, (_, i) => ({ timestamp: 1_700_000_000_000 + i, key: null, value }));
  const batch = new RecordBatch(buildRecordBatch(records));
  const size = batch.sizeInBytes;
  const crcRegion = batch.buffer.subarray(21);
  const out = [
    measure('raw CRC32C over a 1 MiB batch ([21, end))', size, () => rawCrc32c(crcRegion)),
    measure('RecordBatch.ensureValid, 1 MiB batch', size, () => batch.ensureValid()),
    measure('iterate 1,040 records of a 1 MiB batch', size, () => {
      for (const r of readRecords(batch)) void r.value;
    }),
  ];
  let text = '';
  for (let i = 0; text.length < 1 << 20; i++) {
    text += `{"id":${i},"user":"u${i % 97}","event":"click","ts":${1_700_000_000_000 + i}}\n`;
  }
  const plain = Buffer.from(text);
  const names: Record<number, string> = { 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' };
  for (const codec of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD]) {
    const c = compress(codec, plain, 2);
    out.push(measure(`${names[codec]} compress, 1 MiB JSON lines`, plain.length, () => compress(codec, plain, 2)));
    out.push(measure(`${names[codec]} decompress, 1 MiB JSON lines`, plain.length, () => decompress(codec, c, 2)));
  }
  return out;
}
