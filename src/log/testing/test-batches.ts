/**
 * Test helpers for the log layer: valid uncompressed v2 batches (built by the records layer's
 * builder) and temporary directories. Not used by production code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { TimestampType } from '../../protocol/records/record-batch.js';
import type { CompressionType } from '../../protocol/records/compression/index.js';
import { logConfig, type LogConfig } from '../log-config.js';
import type { Time } from '../time.js';
import type { LogLogger } from '../time.js';

export interface TestBatchOptions {
  /** Records in the batch (default 1). */
  readonly count?: number;
  readonly baseOffset?: number;
  /** Timestamp of the first record; the others follow 1 ms apart. Default 1_000. */
  readonly timestamp?: number;
  /** Explicit per-record timestamps (overrides timestamp). */
  readonly timestamps?: readonly number[];
  /** Bytes of each record value (default 10). */
  readonly valueSize?: number;
  readonly partitionLeaderEpoch?: number;
  readonly logAppendTime?: boolean;
}

/** A valid v2 batch; values are filled with a byte derived from the record index. */
export function testBatch(opts: TestBatchOptions = {}): Buffer {
  const count = opts.timestamps?.length ?? opts.count ?? 1;
  const valueSize = opts.valueSize ?? 10;
  const records = Array.from({ length: count }, (_, i) => ({
    timestamp: opts.timestamps?.[i] ?? (opts.timestamp ?? 1_000) + i,
    key: null,
    value: Buffer.alloc(valueSize, (i % 250) + 1),
  }));
  return buildRecordBatch(records, {
    baseOffset: opts.baseOffset ?? 0,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? -1,
    timestampType: opts.logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
  });
}

/** A fresh directory under os.tmpdir(); remove it with removeTmpDir. */
export function makeTmpDir(prefix = 'samsa-log-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTmpDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A clock the test moves by hand. */
export class ManualTime implements Time {
  constructor(public now = 1_000_000) {}
  milliseconds(): number {
    return this.now;
  }
  sleep(ms: number): void {
    this.now += ms;
  }
}

/** A logger that keeps its lines for assertions. */
export class MemoryLogger implements LogLogger {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(`INFO ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`WARN ${m}`);
  }
  error(m: string): void {
    this.lines.push(`ERROR ${m}`);
  }
}

/** A LogConfig for tests: small segments and indexes, immediate deletion. */
export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return logConfig({ fileDeleteDelayMs: 0, ...overrides });
}

/** A record for keyedBatch: a null value is a tombstone. */
export interface KeyedRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp?: number;
}

/** A valid v2 batch of keyed records (compacted topics), with any codec and producer fields. */
export function keyedBatch(
  records: readonly KeyedRecord[],
  opts: {
    baseOffset?: number;
    compression?: CompressionType;
    producerId?: number;
    producerEpoch?: number;
    baseSequence?: number;
    timestamp?: number;
  } = {},
): Buffer {
  return buildRecordBatch(
    records.map((r, i) => ({
      timestamp: r.timestamp ?? (opts.timestamp ?? 1_000) + i,
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
    })),
    {
      baseOffset: opts.baseOffset ?? 0,
      compression: opts.compression,
      producerId: opts.producerId,
      producerEpoch: opts.producerEpoch,
      baseSequence: opts.baseSequence,
    },
  );
}
