import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTmpDir, removeTmpDir } from '../testing/test-batches.js';
import { TimeIndex } from './time-index.js';

let dir: string;
beforeEach(() => {
  dir = makeTmpDir();
});
afterEach(() => removeTmpDir(dir));

describe('TimeIndex', () => {
  it('appends only growing timestamps and looks up by timestamp', () => {
    const idx = new TimeIndex(path.join(dir, 'x.timeindex'), 50, 1024);
    expect(idx.lastEntry).toEqual({ timestamp: -1, offset: 50 });
    idx.maybeAppend(1000, 55);
    idx.maybeAppend(1000, 60);
    idx.maybeAppend(900, 61);
    idx.maybeAppend(2000, 70);
    expect(idx.entries).toBe(2);
    expect(idx.lookup(999)).toEqual({ timestamp: -1, offset: 50 });
    expect(idx.lookup(1500)).toEqual({ timestamp: 1000, offset: 55 });
    expect(idx.lookup(5000)).toEqual({ timestamp: 2000, offset: 70 });
    expect(() => idx.maybeAppend(3000, 60)).toThrow(/below/);
  });

  it('keeps its last slot for the final entry', () => {
    const idx = new TimeIndex(path.join(dir, 'x.timeindex'), 0, 36);
    idx.maybeAppend(1, 1);
    idx.maybeAppend(2, 2);
    expect(idx.isFull).toBe(true);
    expect(() => idx.maybeAppend(3, 3)).toThrow(/full/);
    idx.maybeAppend(3, 3, true);
    expect(idx.entries).toBe(3);
  });

  it('writes 12-byte entries (int64 timestamp, int32 relative offset), reloads and truncates', () => {
    const p = path.join(dir, '00000000000000000100.timeindex');
    const idx = new TimeIndex(p, 100, 1024);
    idx.maybeAppend(1_700_000_000_000, 105);
    idx.maybeAppend(1_700_000_000_500, 110);
    idx.writePending();
    const bytes = fs.readFileSync(p);
    expect(bytes.length).toBe(24);
    expect(bytes.readBigInt64BE(0)).toBe(1_700_000_000_000n);
    expect(bytes.readInt32BE(8)).toBe(5);
    const again = new TimeIndex(p, 100, 1024);
    expect(again.lastEntry).toEqual({ timestamp: 1_700_000_000_500, offset: 110 });
    again.sanityCheck(0);
    again.truncateTo(110);
    expect(again.entries).toBe(1);
    expect(fs.statSync(p).size).toBe(12);
  });
});
