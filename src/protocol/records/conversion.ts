/**
 * Conversion between message formats, as Kafka's LogValidator (up) and RecordsUtil.downConvert (down).
 *
 * Up (produce from clients that send magic 0/1; Kafka 3.x stores only v2): a whole legacy message set,
 * wrappers opened, becomes one v2 batch. Offsets are reassigned baseOffset, baseOffset + 1, ... as the
 * broker assigns them anyway (old producers send zeros). Timestamps are kept as resolved (v0: -1).
 * The codec stays the source's (gzip, snappy and lz4 all exist in v2) unless one is given.
 *
 * Down (fetch by clients that read only magic 0/1: Fetch v0-1 gets 0, v2-3 gets 1):
 * - entries already at or below the target magic pass through unchanged;
 * - control batches are dropped, and headers (v0/v1 cannot carry them);
 * - zstd cannot be expressed: UNSUPPORTED_COMPRESSION_TYPE;
 * - an uncompressed batch loses its records below `fetchOffset` (some librdkafka versions rely on it);
 *   a compressed batch keeps them all and keeps its codec, becoming one wrapper: v0 with absolute
 *   inner offsets (and the broken LZ4 header checksum), v1 with relative ones, the wrapper at the last
 *   offset;
 * - LogAppendTime batches keep the type and stamp every v1 message with the batch's maxTimestamp;
 * - a partial entry at the end is dropped.
 */
import { BatchIterator } from './batch-iterator.js';
import { CompressionType, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression/index.js';
import { RecordsError } from './errors.js';
import {
  buildLegacyMessageSet,
  legacyCompressionType,
  readLegacyEntry,
  readLegacyRecords,
  readWrapperRecords,
  type LegacyRecord,
} from './legacy.js';
import { MAGIC_VALUE_V0, MAGIC_VALUE_V2, RecordBatch, TimestampType } from './record-batch.js';
import { type RecordBatchOptions, type SimpleRecord, buildRecordBatch } from './record-batch-builder.js';
import { RecordIterator } from './record.js';

export interface UpConvertOptions extends RecordBatchOptions {
  maxDecompressedBytes?: number;
}

/** One v2 batch holding every message of a magic 0/1 message set. */
export function upConvert(messageSet: Buffer, options: UpConvertOptions = {}): Buffer {
  const { records, compression } = readLegacyRecords(
    messageSet,
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
  const baseOffset = options.baseOffset ?? 0;
  const simple: SimpleRecord[] = records.map((r, i) => ({
    timestamp: r.timestamp,
    key: r.key,
    value: r.value,
    offset: baseOffset + i,
  }));
  return buildRecordBatch(simple, { ...options, baseOffset, compression: options.compression ?? compression });
}

export interface DownConvertOptions {
  /** Records of uncompressed batches below this offset are dropped. */
  fetchOffset?: number;
  maxDecompressedBytes?: number;
}

export interface DownConvertResult {
  readonly records: Buffer;
  /** Records that went through conversion (not those passed through). */
  readonly convertedCount: number;
}

/** Converts a records buffer (v2 batches, or legacy entries above the target) to magic 0 or 1. */
export function downConvert(records: Buffer, toMagic: 0 | 1, options: DownConvertOptions = {}): DownConvertResult {
  const fetchOffset = options.fetchOffset ?? 0;
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const out: Buffer[] = [];
  let convertedCount = 0;
  const it = new BatchIterator(records);
  while (it.next()) {
    if (it.magic <= toMagic) {
      out.push(it.view());
      continue;
    }
    let kept: SimpleRecord[];
    let compression: number;
    let timestampType: TimestampType = TimestampType.CREATE_TIME;
    let logAppendTime = -1;
    if (it.magic === MAGIC_VALUE_V2) {
      const batch = new RecordBatch(it.view());
      batch.ensureValid();
      if (batch.isControlBatch) continue;
      compression = batch.compressionType;
      if (compression === CompressionType.ZSTD) {
        throw new RecordsError(
          'UNSUPPORTED_COMPRESSION_TYPE',
          `zstd batch at ${batch.baseOffset} cannot be down-converted`,
        );
      }
      if (batch.timestampType === TimestampType.LOG_APPEND_TIME) {
        timestampType = TimestampType.LOG_APPEND_TIME;
        logAppendTime = batch.maxTimestamp;
      }
      kept = [];
      const keepAll = compression !== CompressionType.NONE;
      for (const r of new RecordIterator(batch, maxBytes)) {
        if (keepAll || r.offset >= fetchOffset) {
          kept.push({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value });
        }
      }
    } else {
      // A magic 1 entry for a magic 0 reader.
      const entry = readLegacyEntry(it.view());
      compression = legacyCompressionType(entry);
      const inner: LegacyRecord[] =
        compression === CompressionType.NONE ? [entry] : readWrapperRecords(entry, maxBytes);
      kept = [];
      for (const r of inner) {
        if (compression !== CompressionType.NONE || r.offset >= fetchOffset) {
          kept.push({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value });
        }
      }
    }
    if (kept.length === 0) continue;
    convertedCount += kept.length;
    out.push(
      buildLegacyMessageSet(kept, {
        magic: toMagic,
        compression: compression as CompressionType,
        timestampType: toMagic === MAGIC_VALUE_V0 ? TimestampType.NO_TIMESTAMP_TYPE : timestampType,
        logAppendTime,
        baseOffset: kept[0]!.offset,
      }),
    );
  }
  return { records: out.length === 1 ? out[0]! : Buffer.concat(out), convertedCount };
}
