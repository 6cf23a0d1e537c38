import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogSegment } from './log-segment.js';
import { LogSegments } from './log-segments.js';
import { makeTmpDir, removeTmpDir } from './testing/test-batches.js';

let dir: string;
beforeEach(() => {
  dir = makeTmpDir();
});
afterEach(() => removeTmpDir(dir));

describe('LogSegments', () => {
  it('finds floor and higher segments and ranges', () => {
    const segs = new LogSegments();
    const open = (base: number) =>
      LogSegment.open(dir, base, { indexIntervalBytes: 4096, segmentIndexBytes: 1024 }, { create: true, now: 0 });
    for (const base of [100, 0, 50]) segs.add(open(base));
    expect(segs.values().map((s) => s.baseOffset)).toEqual([0, 50, 100]);
    expect(segs.floorSegment(49)?.baseOffset).toBe(0);
    expect(segs.floorSegment(50)?.baseOffset).toBe(50);
    expect(segs.floorSegment(1000)?.baseOffset).toBe(100);
    expect(segs.floorSegment(-1)).toBeUndefined();
    expect(segs.higherSegment(50)?.baseOffset).toBe(100);
    expect(segs.higherSegment(100)).toBeUndefined();
    expect(segs.range(60, 100).map((s) => s.baseOffset)).toEqual([50]);
    expect(segs.range(0, 1000).map((s) => s.baseOffset)).toEqual([0, 50, 100]);
    expect(segs.activeSegment.baseOffset).toBe(100);
    const replaced = segs.add(open(50));
    expect(replaced?.baseOffset).toBe(50);
    replaced?.log.close();
    expect(segs.remove(50)?.baseOffset).toBe(50);
    expect(segs.get(50)).toBeUndefined();
    expect(segs.size).toBe(2);
    for (const s of segs.clear()) s.log.close();
  });
});
