import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegion } from './fetch-data-info.js';
import { LogError } from './log-error.js';
import { BatchScanner, SegmentFile } from './segment-file.js';
import { makeTmpDir, removeTmpDir, testBatch } from './testing/test-batches.js';

let dir: string;
beforeEach(() => {
  dir = makeTmpDir();
});
afterEach(() => removeTmpDir(dir));

describe('SegmentFile', () => {
  it('appends with one writev at the end and reads back', () => {
    const f = SegmentFile.open(path.join(dir, 'a.log'), true);
    const a = testBatch({ count: 2 });
    const b = testBatch({ baseOffset: 2 });
    expect(f.append([a, b], a.length + b.length)).toBe(0);
    expect(f.size).toBe(a.length + b.length);
    expect(f.append([a], a.length)).toBe(a.length + b.length);
    expect(f.read(0, a.length).equals(a)).toBe(true);
    expect(f.read(a.length, b.length).equals(b)).toBe(true);
    expect(f.read(f.size - 3, 100).length).toBe(3);
    f.close();
  });

  it('reopens at the size on disk and truncates', () => {
    const p = path.join(dir, 'a.log');
    const f = SegmentFile.open(p, true);
    const a = testBatch();
    f.append([a, a], a.length * 2);
    f.close();
    const g = SegmentFile.open(p, false);
    expect(g.size).toBe(a.length * 2);
    expect(g.truncateTo(a.length)).toBe(a.length);
    expect(fs.statSync(p).size).toBe(a.length);
    expect(() => g.truncateTo(a.length + 1)).toThrow(LogError);
    g.close();
  });

  it('keeps a retained region readable after close and unlink', () => {
    const p = path.join(dir, 'a.log');
    const f = SegmentFile.open(p, true);
    const a = testBatch({ count: 3 });
    f.append([a], a.length);
    const region = f.retainRegion(0, a.length);
    f.close();
    f.deleteFile();
    expect(fs.existsSync(p)).toBe(false);
    expect(readRegion(region).equals(a)).toBe(true);
    f.release();
    expect(f.fd).toBe(-1);
  });

  it('fails an append on ENOSPC with KAFKA_STORAGE_ERROR (/dev/full) and keeps its size', () => {
    const f = SegmentFile.open('/dev/full', false);
    const a = testBatch();
    let error: unknown;
    try {
      f.append([a], a.length);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LogError);
    expect((error as LogError).code).toBe('KAFKA_STORAGE_ERROR');
    expect((error as LogError).message).toContain('ENOSPC');
    expect(f.size).toBe(0);
    f.close();
  });

  it('flushes with fdatasync and holds the fd while it runs', async () => {
    const f = SegmentFile.open(path.join(dir, 'a.log'), true);
    const a = testBatch();
    f.append([a], a.length);
    const flushing = f.flush();
    f.close();
    await flushing;
    expect(f.fd).toBe(-1);
  });
});

describe('BatchScanner', () => {
  it('walks batches across chunk boundaries and reports a partial tail', () => {
    const p = path.join(dir, 'a.log');
    const f = SegmentFile.open(p, true);
    const batches = Array.from({ length: 20 }, (_, i) => testBatch({ baseOffset: i * 3, count: 3, valueSize: 50 }));
    for (const b of batches) f.append([b], b.length);
    fs.appendFileSync(p, batches[0]!.subarray(0, 30));
    const g = SegmentFile.open(p, false);
    const s = new BatchScanner(g, 0, g.size, 100);
    const seen: number[] = [];
    while (s.next()) {
      seen.push(s.baseOffset);
      expect(s.lastOffset).toBe(s.baseOffset + 2);
      expect(s.batchBytes().equals(batches[seen.length - 1]!)).toBe(true);
    }
    expect(seen).toEqual(batches.map((_, i) => i * 3));
    expect(s.stop).toBe('partial');
    expect(s.nextPosition).toBe(g.size - 30);
    f.close();
    g.close();
  });

  it('stops with corrupt on a bad size or magic', () => {
    const p = path.join(dir, 'a.log');
    const b = testBatch();
    const bad = Buffer.from(b);
    bad.writeInt8(1, 16);
    fs.writeFileSync(p, Buffer.concat([b, bad]));
    const f = SegmentFile.open(p, false);
    const s = new BatchScanner(f, 0);
    expect(s.next()).toBe(true);
    expect(s.next()).toBe(false);
    expect(s.stop).toBe('corrupt');
    expect(s.problem).toContain('magic');
    fs.writeFileSync(p, Buffer.alloc(100));
    const g = SegmentFile.open(p, false);
    const z = new BatchScanner(g, 0);
    expect(z.next()).toBe(false);
    expect(z.stop).toBe('corrupt');
    f.close();
    g.close();
  });
});
