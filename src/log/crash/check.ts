/**
 * Independent checks for the crash tests: a scan of `.log` files that shares no code with the log
 * layer (its own header walk and CRC-32C check), and checks of a loaded segment's in-memory indexes
 * against that scan. Used by crash.test.ts; not by production code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '../../protocol/records/crc.js';
import type { LogSegment } from '../log-segment.js';

export interface ScannedBatch {
  readonly position: number;
  readonly size: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly bytes: Buffer;
}

export interface ScannedFile {
  readonly file: string;
  readonly baseOffset: number;
  readonly batches: ScannedBatch[];
  /** Bytes of whole, CRC-valid batches from byte 0. */
  readonly validBytes: number;
  readonly size: number;
}

/** The base offsets of the `.log` files in `dir`, ascending. */
export function segmentBases(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .filter((n) => /^\d{20}\.log$/.test(n))
    .map((n) => Number(n.slice(0, 20)))
    .sort((a, b) => a - b);
}

export function logFileOf(dir: string, base: number): string {
  return path.join(dir, `${String(base).padStart(20, '0')}.log`);
}

function int64(buf: Buffer, at: number): number {
  return Number(buf.readBigInt64BE(at));
}

/** Walks whole v2 batches with a valid CRC-32C from byte 0 and stops at the first that is not one. */
export function scanLogFile(file: string, baseOffset: number): ScannedFile {
  const data = fs.readFileSync(file);
  const batches: ScannedBatch[] = [];
  let at = 0;
  while (data.length - at >= 61) {
    const size = 12 + data.readInt32BE(at + 8);
    if (size < 61 || at + size > data.length || data.readInt8(at + 16) !== 2) break;
    if (crc32c(data, at + 21, at + size) !== data.readUInt32BE(at + 17)) break;
    const base = int64(data, at);
    batches.push({
      position: at,
      size,
      baseOffset: base,
      lastOffset: base + data.readInt32BE(at + 23),
      maxTimestamp: int64(data, at + 35),
      bytes: data.subarray(at, at + size),
    });
    at += size;
  }
  return { file, baseOffset, batches, validBytes: at, size: data.length };
}

/**
 * The in-memory offset and time index of `segment` agree with the scanned file: every offset index
 * entry names the position of a batch and that batch's last offset, strictly increasing; every time
 * index entry names a batch's last offset whose max timestamp is the entry's and is the running
 * maximum up to that batch, timestamps strictly increasing. Returns the problems found.
 */
export function indexProblems(segment: LogSegment, scanned: ScannedFile): string[] {
  const problems: string[] = [];
  const byPosition = new Map(scanned.batches.map((b) => [b.position, b]));
  const byLastOffset = new Map<number, { batch: ScannedBatch; runningMax: number }>();
  let runningMax = -1;
  for (const b of scanned.batches) {
    runningMax = Math.max(runningMax, b.maxTimestamp);
    byLastOffset.set(b.lastOffset, { batch: b, runningMax });
  }
  const name = path.basename(scanned.file);
  let previous = -1;
  for (let i = 0; i < segment.offsetIndex.entries; i++) {
    const e = segment.offsetIndex.entry(i);
    const b = byPosition.get(e.position);
    if (b === undefined) problems.push(`${name}: offset index entry ${i} points at ${e.position}, not a batch start`);
    else if (b.lastOffset !== e.offset) {
      problems.push(`${name}: offset index entry ${i} says ${e.offset}, the batch there ends at ${b.lastOffset}`);
    }
    if (e.offset <= previous) problems.push(`${name}: offset index entry ${i} (${e.offset}) not increasing`);
    previous = e.offset;
  }
  let previousTs = -1;
  for (let i = 0; i < segment.timeIndex.entries; i++) {
    const e = segment.timeIndex.entry(i);
    const found = byLastOffset.get(e.offset);
    if (found === undefined)
      problems.push(`${name}: time index entry ${i} names offset ${e.offset}, no batch ends there`);
    else if (found.batch.maxTimestamp !== e.timestamp || found.runningMax !== e.timestamp) {
      problems.push(
        `${name}: time index entry ${i} (${e.timestamp}, ${e.offset}): batch max ${found.batch.maxTimestamp}, running max ${found.runningMax}`,
      );
    }
    if (e.timestamp <= previousTs) problems.push(`${name}: time index entry ${i} timestamp not increasing`);
    previousTs = e.timestamp;
  }
  return problems;
}
