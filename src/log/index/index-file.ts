/**
 * What OffsetIndex and TimeIndex share (Kafka's AbstractIndex): a file of fixed-size big-endian
 * entries, sorted, holding offsets relative to the segment's base offset.
 *
 * Kafka mmaps a preallocated file; we keep the entries in a Buffer loaded on first use and write them
 * to the file in bulk, so an append never costs a syscall:
 * - `entries` live in memory; the first `written` of them are in the file, whose length is exactly
 *   `written * entrySize` (no preallocation, no zero padding: what Kafka leaves after trimming).
 * - Entries reach the file when the segment is rolled, flushed as an inactive segment or closed. The
 *   active segment's index file can therefore lag behind its log after a crash; recovery rebuilds the
 *   index of every segment past the recovery point, so it never trusts such a file.
 * - Truncation cuts the file too, so the file never holds an entry the memory has dropped.
 * - The file is opened per bulk write and closed again: an index costs no fd while idle.
 */
import fs from 'node:fs';
import { LogError, errnoCode, storageError } from '../log-error.js';

const INITIAL_CAPACITY = 64;

export abstract class IndexFile {
  private buf: Buffer | null = null;
  protected _entries: number;
  private written: number;
  private _path: string;
  readonly maxEntries: number;

  constructor(
    path: string,
    readonly baseOffset: number,
    maxIndexSize: number,
    readonly entrySize: number,
  ) {
    this._path = path;
    this.maxEntries = Math.floor(maxIndexSize / entrySize);
    let bytes = 0;
    try {
      bytes = fs.statSync(path).size;
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw storageError('stat', path, err);
      try {
        fs.writeFileSync(path, '');
      } catch (createErr) {
        throw storageError('create', path, createErr);
      }
    }
    this.fileBytes = bytes;
    this._entries = Math.floor(bytes / entrySize);
    this.written = this._entries;
  }

  /** Length of the file when it was opened (for the sanity check of a partly written file). */
  protected fileBytes: number;

  get path(): string {
    return this._path;
  }
  get entries(): number {
    return this._entries;
  }
  get isFull(): boolean {
    return this._entries >= this.maxEntries;
  }
  /** Bytes the entries take on disk once written. */
  get sizeInBytes(): number {
    return this._entries * this.entrySize;
  }

  /** The entries as a Buffer (loaded from the file on first use); valid bytes are [0, entries * entrySize). */
  protected data(): Buffer {
    if (this.buf !== null) return this.buf;
    const capacity = Math.max(this._entries, INITIAL_CAPACITY) * this.entrySize;
    const buf = Buffer.alloc(capacity);
    const want = this.written * this.entrySize;
    if (want > 0) {
      let fd = -1;
      try {
        fd = fs.openSync(this._path, 'r');
        let done = 0;
        while (done < want) {
          const n = fs.readSync(fd, buf, done, want - done, done);
          if (n === 0) break;
          done += n;
        }
        if (done < want) throw new Error(`short read: ${done} of ${want} bytes`);
      } catch (err) {
        throw storageError('read index', this._path, err);
      } finally {
        if (fd >= 0) fs.closeSync(fd);
      }
    }
    this.buf = buf;
    return buf;
  }

  /** Room for one more entry; returns its byte position. The caller writes it, then commitEntry(). */
  protected reserveEntry(): number {
    let buf = this.data();
    const at = this._entries * this.entrySize;
    if (at + this.entrySize > buf.length) {
      const grown = Buffer.alloc(Math.min(buf.length * 2, Math.max(this.maxEntries + 1, 1) * this.entrySize));
      buf.copy(grown, 0, 0, at);
      this.buf = buf = grown;
    }
    return at;
  }

  protected commitEntry(): void {
    this._entries++;
  }

  /** Keeps the first `n` entries, in memory and in the file. */
  protected truncateToEntries(n: number): void {
    if (n >= this._entries) return;
    this._entries = n;
    if (n < this.written) {
      try {
        fs.truncateSync(this._path, n * this.entrySize);
      } catch (err) {
        throw storageError('truncate index', this._path, err);
      }
      this.written = n;
    }
  }

  /** Index of the last entry for which `below(i)` holds, assuming it holds for a prefix; -1 if none. */
  protected lastWhere(below: (buf: Buffer, i: number) => boolean): number {
    const buf = this.data();
    let lo = 0;
    let hi = this._entries - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (below(buf, mid)) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Drops every entry (the file becomes empty). */
  reset(): void {
    this.truncateToEntries(0);
  }

  /** Writes the entries not yet in the file with one pwrite. */
  writePending(): void {
    if (this.written >= this._entries) return;
    const buf = this.data();
    const from = this.written * this.entrySize;
    const to = this._entries * this.entrySize;
    let fd = -1;
    try {
      fd = fs.openSync(this._path, 'r+');
      let done = 0;
      while (from + done < to) done += fs.writeSync(fd, buf, from + done, to - from - done, from + done);
    } catch (err) {
      try {
        if (fd >= 0) fs.ftruncateSync(fd, from);
      } catch {
        // The index is rebuilt by recovery if its length is not what the sanity check expects.
      }
      throw storageError('write index', this._path, err);
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
    this.written = this._entries;
  }

  /** Writes pending entries and fdatasyncs the file (used when a segment becomes inactive, and on close). */
  async flush(): Promise<void> {
    this.writePending();
    let handle: fs.promises.FileHandle | null = null;
    try {
      handle = await fs.promises.open(this._path, 'r');
      await handle.datasync();
    } catch (err) {
      throw storageError('fdatasync index', this._path, err);
    } finally {
      await handle?.close();
    }
  }

  flushSync(): void {
    this.writePending();
    let fd = -1;
    try {
      fd = fs.openSync(this._path, 'r');
      fs.fdatasyncSync(fd);
    } catch (err) {
      throw storageError('fdatasync index', this._path, err);
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }

  /** Frees the in-memory copy of an index whose entries are all in the file (reloaded on next use). */
  releaseMemory(): void {
    if (this.written === this._entries) this.buf = null;
  }

  renameTo(path: string): void {
    try {
      fs.renameSync(this._path, path);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw storageError(`rename to ${path}`, this._path, err);
    }
    this._path = path;
  }

  deleteFile(): void {
    try {
      fs.unlinkSync(this._path);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw storageError('delete', this._path, err);
    }
  }

  /**
   * Kafka's sanityCheck: throws CORRUPT_MESSAGE if the file cannot be a trimmed index of a log of
   * `logSize` bytes. Cheap: the length and the last entry only.
   */
  sanityCheck(logSize: number): void {
    if (this.fileBytes % this.entrySize !== 0) {
      this.corrupt(`length ${this.fileBytes} is not a multiple of ${this.entrySize}`);
    }
    if (this._entries > 0) {
      const problem = this.checkLastEntry(this._entries - 1, logSize);
      if (problem !== null) this.corrupt(problem);
    }
  }

  protected abstract checkLastEntry(i: number, logSize: number): string | null;

  protected corrupt(problem: string): never {
    throw new LogError('CORRUPT_MESSAGE', `corrupt index ${this._path}: ${problem}`, { file: this._path });
  }
}
