/**
 * `<baseOffset>.index`: a sparse map from offset to the position of a batch in the `.log` file
 * (Kafka's OffsetIndex), byte-compatible with Kafka's so its DumpLogSegments reads ours.
 *
 * Entry (8 bytes, big-endian): relativeOffset:int32 (offset - baseOffset) | position:int32.
 *
 * Invariants:
 * - Entries strictly increase in offset and in position; the segment therefore holds at most 2^31
 *   offsets past its base (an offset overflow rolls the segment) and 2 GiB of log.
 * - An entry (o, p) says the batch that contains offset o starts at or after position p, and every
 *   batch at or after p has offsets above those of batches before p. We index the last offset of the
 *   batch at p, as Kafka does; a lookup finds the greatest entry at or below the target and the log is
 *   scanned from its position.
 * - One entry per index.interval.bytes of log at most (the writer decides; see LogSegment).
 * - After a crash only segments below the recovery point keep their index; see IndexFile.
 */
import { LogError } from '../log-error.js';
import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  readonly offset: number;
  readonly position: number;
}

export class OffsetIndex extends IndexFile {
  constructor(path: string, baseOffset: number, maxIndexSize: number) {
    super(path, baseOffset, maxIndexSize, OFFSET_INDEX_ENTRY_SIZE);
  }

  private relativeOffset(buf: Buffer, i: number): number {
    return buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE);
  }
  private physical(buf: Buffer, i: number): number {
    return buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE + 4);
  }

  entry(i: number): OffsetPosition {
    const buf = this.data();
    return { offset: this.baseOffset + this.relativeOffset(buf, i), position: this.physical(buf, i) };
  }

  /** The offset of the last entry, or the base offset when empty. */
  get lastOffset(): number {
    return this._entries === 0
      ? this.baseOffset
      : this.baseOffset + this.relativeOffset(this.data(), this._entries - 1);
  }

  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    if (relative < 0 || relative > 0x7fffffff) {
      throw new LogError('ILLEGAL_STATE', `offset ${offset} does not fit ${this.path} (base ${this.baseOffset})`);
    }
    if (this._entries > 0 && offset <= this.lastOffset) {
      throw new LogError('ILLEGAL_STATE', `index entry ${offset} not above ${this.lastOffset} in ${this.path}`);
    }
    if (this.isFull) throw new LogError('ILLEGAL_STATE', `${this.path} is full (${this._entries} entries)`);
    const at = this.reserveEntry();
    const buf = this.data();
    buf.writeInt32BE(relative, at);
    buf.writeInt32BE(position, at + 4);
    this.commitEntry();
  }

  /** The greatest entry with offset <= target, or (baseOffset, 0). */
  lookup(targetOffset: number): OffsetPosition {
    const relative = targetOffset - this.baseOffset;
    const i = this.lastWhere((buf, j) => this.relativeOffset(buf, j) <= relative);
    return i < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(i);
  }

  /** The greatest indexed position <= `position` (a batch boundary), or 0. */
  floorPosition(position: number): number {
    const i = this.lastWhere((buf, j) => this.physical(buf, j) <= position);
    return i < 0 ? 0 : this.physical(this.data(), i);
  }

  /** Removes every entry with offset >= `offset`. */
  truncateTo(offset: number): void {
    const relative = offset - this.baseOffset;
    const keep = this.lastWhere((buf, j) => this.relativeOffset(buf, j) < relative) + 1;
    this.truncateToEntries(keep);
  }

  protected checkLastEntry(i: number, logSize: number): string | null {
    const buf = this.data();
    const relative = this.relativeOffset(buf, i);
    const position = this.physical(buf, i);
    if (relative < 0) return `last entry has negative relative offset ${relative}`;
    if (position < 0 || position >= Math.max(logSize, 1)) {
      return `last entry points at position ${position} of a ${logSize}-byte log`;
    }
    return null;
  }
}
