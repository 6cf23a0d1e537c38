/**
 * `<baseOffset>.timeindex`: a sparse map from timestamp to offset (Kafka's TimeIndex), byte-compatible
 * with Kafka's.
 *
 * Entry (12 bytes, big-endian): timestamp:int64 | relativeOffset:int32 (offset - baseOffset).
 *
 * Invariants:
 * - Timestamps strictly increase; offsets do not decrease. An entry (t, o) says: the greatest batch
 *   max timestamp among batches up to the one holding offset o is t, and o is the last offset of the
 *   first batch that reached t (Kafka's shallow offset of the max timestamp).
 * - An entry is added with an offset index entry when the running max timestamp grew, and once more
 *   when the segment becomes inactive, so the last entry holds the segment's max timestamp. The last
 *   slot is kept for that final entry: the index is full at maxEntries - 1 entries, as Kafka's.
 * - After a crash only segments below the recovery point keep their index; see IndexFile.
 */
import { readInt64, writeInt64 } from '../../protocol/primitives/int64.js';
import { LogError } from '../log-error.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimestampOffset {
  readonly timestamp: number;
  readonly offset: number;
}

export class TimeIndex extends IndexFile {
  constructor(path: string, baseOffset: number, maxIndexSize: number) {
    super(path, baseOffset, maxIndexSize, TIME_INDEX_ENTRY_SIZE);
  }

  override get isFull(): boolean {
    return this._entries >= this.maxEntries - 1;
  }

  private timestamp(buf: Buffer, i: number): number {
    return readInt64(buf, i * TIME_INDEX_ENTRY_SIZE);
  }
  private relativeOffset(buf: Buffer, i: number): number {
    return buf.readInt32BE(i * TIME_INDEX_ENTRY_SIZE + 8);
  }

  entry(i: number): TimestampOffset {
    const buf = this.data();
    return { timestamp: this.timestamp(buf, i), offset: this.baseOffset + this.relativeOffset(buf, i) };
  }

  /** The last entry, or (-1, baseOffset) when empty. */
  get lastEntry(): TimestampOffset {
    return this._entries === 0 ? { timestamp: -1, offset: this.baseOffset } : this.entry(this._entries - 1);
  }

  /**
   * Appends (timestamp, offset) if timestamp is above the last entry's (Kafka's maybeAppend).
   * `skipFullCheck` is for the final entry written when the segment becomes inactive.
   */
  maybeAppend(timestamp: number, offset: number, skipFullCheck = false): void {
    if (!skipFullCheck && this.isFull) {
      throw new LogError('ILLEGAL_STATE', `${this.path} is full (${this._entries} entries)`);
    }
    const last = this.lastEntry;
    if (this._entries > 0 && offset < last.offset) {
      throw new LogError('ILLEGAL_STATE', `time index offset ${offset} below ${last.offset} in ${this.path}`);
    }
    if (timestamp <= last.timestamp) return;
    if (this._entries >= this.maxEntries) return;
    const relative = offset - this.baseOffset;
    const at = this.reserveEntry();
    const buf = this.data();
    writeInt64(buf, at, timestamp);
    buf.writeInt32BE(relative, at + 8);
    this.commitEntry();
  }

  /** The greatest entry with timestamp <= target, or (-1, baseOffset). */
  lookup(targetTimestamp: number): TimestampOffset {
    const i = this.lastWhere((buf, j) => this.timestamp(buf, j) <= targetTimestamp);
    return i < 0 ? { timestamp: -1, offset: this.baseOffset } : this.entry(i);
  }

  /** Removes every entry with offset >= `offset`. */
  truncateTo(offset: number): void {
    const relative = offset - this.baseOffset;
    const keep = this.lastWhere((buf, j) => this.relativeOffset(buf, j) < relative) + 1;
    this.truncateToEntries(keep);
  }

  protected checkLastEntry(i: number): string | null {
    const buf = this.data();
    const relative = this.relativeOffset(buf, i);
    if (relative < 0) return `last entry has negative relative offset ${relative}`;
    if (i > 0 && this.timestamp(buf, i) < this.timestamp(buf, 0)) {
      return `last timestamp ${this.timestamp(buf, i)} below the first ${this.timestamp(buf, 0)}`;
    }
    return null;
  }
}
