import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecordBatches } from '../protocol/records/batch-iterator.js';
import { readRegion } from './fetch-data-info.js';
import { LogError } from './log-error.js';
import { filenamePrefixFromOffset } from './log-segment.js';
import { PartitionLog } from './partition-log.js';
import { ManualTime, MemoryLogger, makeTmpDir, removeTmpDir, testBatch, testConfig } from './testing/test-batches.js';

let root: string;
let dir: string;
let logger: MemoryLogger;
beforeEach(() => {
  root = makeTmpDir();
  dir = path.join(root, 't-0');
  logger = new MemoryLogger();
});
afterEach(() => removeTmpDir(root));

const config = testConfig({ segmentBytes: 1500, indexIntervalBytes: 100 });

function open(recoveryPoint = 0, hadCleanShutdown = false): PartitionLog {
  return PartitionLog.open({
    dir,
    topic: 't',
    partition: 0,
    config,
    time: new ManualTime(),
    logger,
    recoveryPoint,
    hadCleanShutdown,
  });
}

/** 30 batches of 2 records (offsets 0..59) over several segments, then a crash: fds closed, nothing written or synced. */
function writeAndCrash(): { sizes: number; segments: number[] } {
  const log = open();
  for (let i = 0; i < 30; i++) log.appendAsLeader(testBatch({ count: 2, valueSize: 30, timestamp: 1000 + i }), 0);
  const segments = log.logSegments.map((s) => s.baseOffset);
  for (const s of log.logSegments) s.log.close();
  return { sizes: testBatch({ count: 2, valueSize: 30 }).length, segments };
}

function segmentFile(base: number, suffix = '.log'): string {
  return path.join(dir, filenamePrefixFromOffset(base) + suffix);
}

function allOffsets(log: PartitionLog): number[] {
  const out: number[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const info = log.read(next, { maxBytes: 1 << 20, isolation: 'LOG_END', minOneMessage: true });
    if (info.region === null) break;
    out.push(...readRecordBatches(readRegion(info.region)).batches.map((b) => b.baseOffset));
    info.release();
    next = info.nextOffset;
  }
  return out;
}

describe('recovery', () => {
  it('keeps every batch of an intact log after a crash and rebuilds the indexes', () => {
    const { segments } = writeAndCrash();
    expect(segments.length).toBeGreaterThan(2);
    const log = open();
    expect(log.logEndOffset).toBe(60);
    expect(allOffsets(log)).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(log.activeSegment.offsetIndex.entries).toBeGreaterThan(0);
    expect(log.recoveryTruncations).toEqual([]);
    expect(log.fetchOffsetByTimestamp(1029)).toMatchObject({ offset: 57 });
    log.close();
  });

  it('truncates a torn tail cut in the middle of the last batch', () => {
    const { sizes, segments } = writeAndCrash();
    const last = segmentFile(segments.at(-1)!);
    const size = fs.statSync(last).size;
    fs.truncateSync(last, size - 7);
    const log = open();
    expect(log.logEndOffset).toBe(58);
    expect(fs.statSync(last).size).toBe(size - sizes);
    expect(log.recoveryTruncations).toHaveLength(1);
    expect(log.recoveryTruncations[0]).toMatchObject({ file: last, position: size - sizes, bytesDropped: sizes - 7 });
    expect(logger.lines.some((l) => l.startsWith('WARN torn tail') && l.includes(last))).toBe(true);
    expect(log.appendAsLeader(testBatch(), 0).baseOffset).toBe(58);
    log.close();
  });

  it('truncates garbage appended after the last batch', () => {
    const { segments } = writeAndCrash();
    const last = segmentFile(segments.at(-1)!);
    const size = fs.statSync(last).size;
    fs.appendFileSync(last, Buffer.from('this is not a record batch, just garbage bytes after the tail'));
    const log = open();
    expect(log.logEndOffset).toBe(60);
    expect(fs.statSync(last).size).toBe(size);
    log.close();
  });

  it('truncates a last batch whose CRC region has a flipped byte', () => {
    const { sizes, segments } = writeAndCrash();
    const last = segmentFile(segments.at(-1)!);
    const bytes = fs.readFileSync(last);
    bytes[bytes.length - 3]! ^= 0x40;
    fs.writeFileSync(last, bytes);
    const log = open();
    expect(log.logEndOffset).toBe(58);
    expect(log.recoveryTruncations[0]).toMatchObject({ position: bytes.length - sizes, problem: 'CRC-32C mismatch' });
    log.close();
  });

  it('reports corruption in the middle of an older segment with file and position, dropping nothing', () => {
    const { sizes, segments } = writeAndCrash();
    const older = segmentFile(segments[0]!);
    const bytes = fs.readFileSync(older);
    const position = sizes * 2;
    bytes[position + 70]! ^= 0x01;
    fs.writeFileSync(older, bytes);
    let error: unknown;
    try {
      open();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LogError);
    expect(error).toMatchObject({ code: 'CORRUPT_MESSAGE', file: older, position });
    expect((error as LogError).message).toContain(`${older} at position ${position}`);
    expect(fs.statSync(older).size).toBe(bytes.length);
    expect(fs.existsSync(segmentFile(segments.at(-1)!))).toBe(true);
  });

  it('refuses to truncate damaged data below the recovery point', () => {
    const { segments } = writeAndCrash();
    const last = segmentFile(segments.at(-1)!);
    const bytes = fs.readFileSync(last);
    bytes[bytes.length - 3]! ^= 0x40;
    fs.writeFileSync(last, bytes);
    expect(() => open(60)).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE', file: last }));
  });

  it('rebuilds a missing or corrupt index after a clean shutdown', () => {
    const log = open();
    for (let i = 0; i < 30; i++) log.appendAsLeader(testBatch({ count: 2, valueSize: 30 }), 0);
    const bases = log.logSegments.map((s) => s.baseOffset);
    log.close();
    const index0 = segmentFile(bases[0]!, '.index');
    const index1 = segmentFile(bases[1]!, '.index');
    const original0 = fs.readFileSync(index0);
    const original1 = fs.readFileSync(index1);
    expect(original0.length).toBeGreaterThan(0);
    fs.unlinkSync(index0);
    fs.writeFileSync(index1, Buffer.concat([original1, Buffer.alloc(3)]));
    const again = open(0, true);
    again.close();
    expect(fs.readFileSync(index0).equals(original0)).toBe(true);
    expect(fs.readFileSync(index1).equals(original1)).toBe(true);
    expect(logger.lines.some((l) => l.includes('rebuilding the indexes'))).toBe(true);
  });

  it('resolves leftover .deleted, .cleaned and .swap files as Kafka does', () => {
    const log = open();
    for (let i = 0; i < 30; i++) log.appendAsLeader(testBatch({ count: 2, valueSize: 30 }), 0);
    const bases = log.logSegments.map((s) => s.baseOffset);
    log.close();
    const [first, second] = [bases[0]!, bases[1]!];
    // A compaction of the first two segments that finished writing its .swap but was not swapped in.
    const swapped = Buffer.concat([fs.readFileSync(segmentFile(first)), fs.readFileSync(segmentFile(second))]);
    fs.writeFileSync(segmentFile(first, '.log.swap'), swapped);
    fs.writeFileSync(segmentFile(first, '.index.swap'), Buffer.alloc(0));
    fs.writeFileSync(segmentFile(500, '.log.deleted'), Buffer.alloc(10));
    fs.writeFileSync(segmentFile(600, '.log.cleaned'), Buffer.alloc(10));
    fs.writeFileSync(segmentFile(700, '.index'), Buffer.alloc(8));
    const again = open(0, true);
    const names = fs.readdirSync(dir);
    expect(names.filter((n) => /\.(deleted|cleaned|swap)$/.test(n))).toEqual([]);
    expect(names).not.toContain(path.basename(segmentFile(second)));
    expect(names).not.toContain(path.basename(segmentFile(700, '.index')));
    expect(again.logSegments[0]!.size).toBe(swapped.length);
    expect(allOffsets(again)).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    again.close();
  });
});
