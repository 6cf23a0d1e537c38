/**
 * The records layer: message sets v0/v1, record batch v2, codecs, CRCs and conversion. Formats and
 * invariants are in README.md beside this file.
 */
export { RecordsError, type RecordsErrorCode } from './errors.js';
export { crc32, crc32c } from './crc.js';
export {
  COMPRESSION_NAMES,
  CompressionType,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  checkCompressionType,
  compress,
  compressionTypeFromName,
  decompress,
} from './compression/index.js';
export * from './record-batch.js';
export { BatchIterator, MIN_ENTRY_SIZE, firstMagic, readRecordBatches } from './batch-iterator.js';
export {
  NO_HEADERS,
  RecordIterator,
  decompressRecords,
  readRecords,
  type DefaultRecord,
  type RecordHeader,
} from './record.js';
export { buildRecordBatch, type RecordBatchOptions, type SimpleRecord } from './record-batch-builder.js';
export {
  RECORD_OVERHEAD_V0,
  RECORD_OVERHEAD_V1,
  buildLegacyMessageSet,
  legacyCompressionType,
  readLegacyEntry,
  readLegacyRecords,
  readWrapperRecords,
  type LegacyBuildOptions,
  type LegacyReadResult,
  type LegacyRecord,
} from './legacy.js';
export {
  downConvert,
  upConvert,
  type DownConvertOptions,
  type DownConvertResult,
  type UpConvertOptions,
} from './conversion.js';
