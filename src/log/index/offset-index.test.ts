import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogError } from '../log-error.js';
import { makeTmpDir, removeTmpDir } from '../testing/test-batches.js';
import { OffsetIndex } from './offset-index.js';

let dir: string;
beforeEach(() => {
  dir = makeTmpDir();
});
afterEach(() => removeTmpDir(dir));

describe('OffsetIndex', () => {
  it('looks up the greatest entry at or below a target', () => {
    const idx = new OffsetIndex(path.join(dir, '00000000000000000100.index'), 100, 1024);
    expect(idx.lookup(150)).toEqual({ offset: 100, position: 0 });
    idx.append(110, 400);
    idx.append(120, 800);
    idx.append(130, 1200);
    expect(idx.lookup(99)).toEqual({ offset: 100, position: 0 });
    expect(idx.lookup(110)).toEqual({ offset: 110, position: 400 });
    expect(idx.lookup(125)).toEqual({ offset: 120, position: 800 });
    expect(idx.lookup(10_000)).toEqual({ offset: 130, position: 1200 });
    expect(idx.floorPosition(799)).toBe(400);
    expect(idx.floorPosition(800)).toBe(800);
    expect(idx.floorPosition(10)).toBe(0);
    expect(idx.lastOffset).toBe(130);
  });

  it('rejects non-increasing offsets and appends beyond its size', () => {
    const idx = new OffsetIndex(path.join(dir, 'x.index'), 0, 16);
    idx.append(5, 0);
    expect(() => idx.append(5, 10)).toThrow(LogError);
    idx.append(6, 10);
    expect(idx.isFull).toBe(true);
    expect(() => idx.append(7, 20)).toThrow(/full/);
  });

  it('writes Kafka-format entries (int32 relative offset, int32 position) and reloads them', () => {
    const p = path.join(dir, '00000000000000001000.index');
    const idx = new OffsetIndex(p, 1000, 1 << 20);
    idx.append(1003, 4100);
    idx.append(1010, 8300);
    expect(fs.statSync(p).size).toBe(0);
    idx.writePending();
    const bytes = fs.readFileSync(p);
    expect(bytes.toString('hex')).toBe('00000003' + '00001004' + '0000000a' + '0000206c');
    const again = new OffsetIndex(p, 1000, 1 << 20);
    expect(again.entries).toBe(2);
    expect(again.lookup(1011)).toEqual({ offset: 1010, position: 8300 });
    again.sanityCheck(9000);
    expect(() => again.sanityCheck(8000)).toThrow(/position 8300/);
  });

  it('truncates in memory and on disk', () => {
    const p = path.join(dir, 'x.index');
    const idx = new OffsetIndex(p, 0, 1024);
    for (let i = 1; i <= 5; i++) idx.append(i * 10, i * 100);
    idx.writePending();
    idx.truncateTo(30);
    expect(idx.entries).toBe(2);
    expect(fs.statSync(p).size).toBe(16);
    idx.append(35, 350);
    idx.writePending();
    expect(new OffsetIndex(p, 0, 1024).lookup(40)).toEqual({ offset: 35, position: 350 });
    idx.reset();
    expect(idx.entries).toBe(0);
    expect(fs.statSync(p).size).toBe(0);
  });

  it('flags a file whose length is not a multiple of 8', () => {
    const p = path.join(dir, 'x.index');
    fs.writeFileSync(p, Buffer.alloc(12));
    expect(() => new OffsetIndex(p, 0, 1024).sanityCheck(100)).toThrow(/multiple of 8/);
  });
});
