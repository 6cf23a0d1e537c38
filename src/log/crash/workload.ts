/**
 * The deterministic workload of the crash tests, shared by the child that appends (append-child.ts)
 * and the parent that kills it and checks the log (crash.test.ts).
 *
 * Append `i` of a run is a group of 1-3 v2 batches that depends only on (seed, i): record counts,
 * sizes, keys, headers, codecs and timestamps all come from a PRNG seeded with both. The parent can
 * therefore rebuild, byte for byte, every batch the child may have written, including the ones it
 * wrote but was killed before acknowledging. appendAsLeader patches baseOffset and
 * partitionLeaderEpoch in place (outside the CRC); `expectedBatches` applies the same patches.
 *
 * Line protocol on the child's stdout, one line per event, written synchronously before anything else
 * happens (so a line in the pipe means the event happened):
 *   R <logEndOffset> <segments> <truncations>     the log is open (recovered); appends start
 *   A <i> <baseOffset> <lastOffset> <sha1>         append i returned; sha1 of its batches' final bytes
 */
import crypto from 'node:crypto';
import { setBaseOffsetAt, setPartitionLeaderEpochAt } from '../batch-header.js';
import { type LogConfig, logConfig } from '../log-config.js';
import { CompressionType, buildRecordBatch, type SimpleRecord } from '../../protocol/records/index.js';

/** Small segments so that a run of a few hundred appends rolls; a dense index so it has entries to check. */
export const CRASH_LOG_CONFIG: LogConfig = logConfig({
  segmentBytes: 256 * 1024,
  indexIntervalBytes: 1024,
  fileDeleteDelayMs: 0,
});

export const CRASH_TOPIC = 'crash';
export const CRASH_PARTITION = 0;

/** mulberry32: a small, fast PRNG with a 32-bit state. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODECS = [
  CompressionType.NONE,
  CompressionType.NONE,
  CompressionType.NONE,
  CompressionType.GZIP,
  CompressionType.LZ4,
];

/** The batches of append `i` of the run with `seed`, with baseOffset 0 and no leader epoch (unpatched). */
export function appendGroup(seed: number, i: number): Buffer[] {
  const rand = prng((seed * 1_000_003 + i * 7919) >>> 0);
  const pick = (n: number): number => Math.floor(rand() * n);
  const batches = rand() < 0.8 ? 1 : 2 + pick(2);
  const out: Buffer[] = [];
  for (let b = 0; b < batches; b++) {
    // Mostly small batches; now and then a large one, so a kill can tear a write across pages.
    // A group stays well below segment.bytes (256 KiB): a large batch comes alone, at most 2 x 80 KiB.
    const large = batches === 1 && rand() < 0.05;
    const count = 1 + pick(large ? 2 : 20);
    const valueSize = large ? 16 * 1024 + pick(64 * 1024) : pick(1500);
    // Timestamps mostly rise, sometimes step back: the time index keeps the running maximum.
    const baseTimestamp = 1_700_000_000_000 + i * 10 - (rand() < 0.1 ? pick(100) : 0);
    const records: SimpleRecord[] = [];
    for (let r = 0; r < count; r++) {
      const value = Buffer.alloc(valueSize, pick(256));
      if (valueSize >= 8) value.writeUInt32BE((rand() * 4294967296) >>> 0, valueSize - 4);
      records.push({
        timestamp: baseTimestamp + pick(5),
        key: rand() < 0.5 ? Buffer.from(`key-${i}-${b}-${r}`) : null,
        value,
        headers: rand() < 0.2 ? [{ key: 'h', value: Buffer.from(String(i)) }] : undefined,
      });
    }
    out.push(buildRecordBatch(records, { compression: CODECS[pick(CODECS.length)]! }));
  }
  return out;
}

/** Offsets a batch spans: lastOffsetDelta + 1. */
export function offsetCount(batch: Buffer): number {
  return batch.readInt32BE(23) + 1;
}

export interface ExpectedBatch {
  /** Index of the append (group) in the run, and of the batch within it. */
  readonly append: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly bytes: Buffer;
}

/**
 * The batches of appends [0, appends) of a run that started at `startOffset` with `leaderEpoch`, as
 * appendAsLeader writes them.
 */
export function expectedBatches(
  seed: number,
  startOffset: number,
  leaderEpoch: number,
  appends: number,
): ExpectedBatch[] {
  const out: ExpectedBatch[] = [];
  let next = startOffset;
  for (let i = 0; i < appends; i++) {
    for (const batch of appendGroup(seed, i)) {
      setBaseOffsetAt(batch, 0, next);
      setPartitionLeaderEpochAt(batch, 0, leaderEpoch);
      const last = next + offsetCount(batch) - 1;
      out.push({ append: i, baseOffset: next, lastOffset: last, bytes: batch });
      next = last + 1;
    }
  }
  return out;
}

export function sha1(buffers: readonly Buffer[]): string {
  const h = crypto.createHash('sha1');
  for (const b of buffers) h.update(b);
  return h.digest('hex');
}
