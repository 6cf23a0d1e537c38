/**
 * A partition's segments ordered by base offset (Kafka's LogSegments). Held in a sorted array: lookups
 * are binary searches, adds are almost always at the end (a roll), removals at the front (retention)
 * or the back (truncation).
 *
 * Invariants: base offsets are unique and increasing; the last segment is the active one (the only one
 * appended to); a segment's offsets lie in [its base offset, the next segment's base offset).
 */
import type { LogSegment } from './log-segment.js';

export class LogSegments {
  private segments: LogSegment[] = [];

  get size(): number {
    return this.segments.length;
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  /** Sum of the segments' .log sizes. */
  get sizeInBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  values(): readonly LogSegment[] {
    return this.segments;
  }

  /** Adds a segment, replacing one with the same base offset (returned, for the caller to close). */
  add(segment: LogSegment): LogSegment | undefined {
    const i = this.floorIndex(segment.baseOffset);
    const existing = i >= 0 ? this.segments[i] : undefined;
    if (existing !== undefined && existing.baseOffset === segment.baseOffset) {
      this.segments[i] = segment;
      return existing;
    }
    this.segments.splice(i + 1, 0, segment);
    return undefined;
  }

  remove(baseOffset: number): LogSegment | undefined {
    const i = this.floorIndex(baseOffset);
    const s = i >= 0 ? this.segments[i] : undefined;
    if (s === undefined || s.baseOffset !== baseOffset) return undefined;
    this.segments.splice(i, 1);
    return s;
  }

  clear(): LogSegment[] {
    const all = this.segments;
    this.segments = [];
    return all;
  }

  get(baseOffset: number): LogSegment | undefined {
    const s = this.floorSegment(baseOffset);
    return s?.baseOffset === baseOffset ? s : undefined;
  }

  get firstSegment(): LogSegment | undefined {
    return this.segments[0];
  }

  get lastSegment(): LogSegment | undefined {
    return this.segments.at(-1);
  }

  /** The active segment; the log always has one once loaded. */
  get activeSegment(): LogSegment {
    const s = this.segments.at(-1);
    if (s === undefined) throw new Error('log has no segments');
    return s;
  }

  /** The segment with the greatest base offset <= offset. */
  floorSegment(offset: number): LogSegment | undefined {
    const i = this.floorIndex(offset);
    return i >= 0 ? this.segments[i] : undefined;
  }

  /** The segment with the least base offset > offset. */
  higherSegment(offset: number): LogSegment | undefined {
    return this.segments[this.floorIndex(offset) + 1];
  }

  /** Segments that may hold offsets in [from, to): from the floor segment of `from` up to base offset < to. */
  range(from: number, to: number): LogSegment[] {
    const start = Math.max(this.floorIndex(from), 0);
    const out: LogSegment[] = [];
    for (let i = start; i < this.segments.length; i++) {
      const s = this.segments[i]!;
      if (s.baseOffset >= to) break;
      out.push(s);
    }
    return out;
  }

  /** Index of the greatest base offset <= offset, or -1. */
  private floorIndex(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
