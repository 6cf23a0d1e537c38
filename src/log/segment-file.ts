/**
 * A segment's `.log` file: record batches v2 exactly as on the wire, back to back, from byte 0 (Kafka's
 * FileRecords). Nothing else is in the file: no header, no padding, no preallocation.
 *
 * Invariants:
 * - `size` is the end of the last complete write. Appends are positional writes at `size`, one writev
 *   per call; a failed append (ENOSPC, EIO) is cut back to the old size, so the file never holds the
 *   head of a batch group whose append failed. If the cut-back itself fails the file is `failed` and
 *   refuses further appends.
 * - After a crash the file may end in a torn batch, or hold zeros where unflushed pages were lost;
 *   recovery (recovery.ts) validates everything past the recovery point.
 * - The fd is reference counted. The owner (the LogSegment) holds one reference; every FileRegion
 *   handed to a reader and every flush in flight holds another. `close()` drops the owner's
 *   reference, and the fd is closed when the last one goes, so a reader finishing a sendfile from a
 *   segment that retention or truncation deleted meanwhile still reads the bytes it was promised (the
 *   file may already be renamed or unlinked: POSIX keeps the inode while an fd is open).
 */
import fs from 'node:fs';
import {
  LOG_OVERHEAD,
  MAGIC_VALUE_V2,
  RECORD_BATCH_OVERHEAD,
  baseOffsetAt,
  batchSizeAt,
  lastOffsetDeltaAt,
  magicAt,
  maxTimestampAt,
  partitionLeaderEpochAt,
} from './batch-header.js';
import { LogError, errnoCode, storageError } from './log-error.js';

/** Bytes of a file a network layer sends with sendfile(2) or reads with pread(2). */
export interface FileRegion {
  readonly fd: number;
  readonly position: number;
  readonly length: number;
}

export class SegmentFile {
  private _fd: number;
  private _size: number;
  private _path: string;
  private refs = 1;
  private closeRequested = false;
  /** A failed append could not be rolled back: the tail of the file is unknown until recovery. */
  failed = false;

  private constructor(path: string, fd: number, size: number) {
    this._path = path;
    this._fd = fd;
    this._size = size;
  }

  /** Opens `path` read-write; `create` makes an empty file, truncating any existing one. */
  static open(path: string, create: boolean): SegmentFile {
    try {
      const { O_RDWR, O_CREAT, O_TRUNC } = fs.constants;
      const fd = fs.openSync(path, create ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR, 0o644);
      let size = 0;
      try {
        size = fs.fstatSync(fd).size;
      } catch (err) {
        fs.closeSync(fd);
        throw err;
      }
      return new SegmentFile(path, fd, size);
    } catch (err) {
      throw storageError('open', path, err);
    }
  }

  /**
   * A read-only view of a file whose fd someone else owns and keeps open (the cleaner's worker thread
   * reads segments through the fds the main thread retained for it: fds are per process). close()
   * and release() of the view never close the fd.
   */
  static borrow(path: string, fd: number, size: number): SegmentFile {
    const file = new SegmentFile(path, fd, size);
    file.refs = Number.POSITIVE_INFINITY;
    file.failed = true;
    return file;
  }

  get path(): string {
    return this._path;
  }
  get fd(): number {
    return this._fd;
  }
  get size(): number {
    return this._size;
  }
  get isClosed(): boolean {
    return this.closeRequested;
  }

  private checkWritable(): void {
    if (this.closeRequested) throw new LogError('ILLEGAL_STATE', `${this._path} is closed`, { file: this._path });
    if (this.failed) {
      throw new LogError('KAFKA_STORAGE_ERROR', `${this._path} failed earlier and is read-only until recovery`, {
        file: this._path,
      });
    }
  }

  /**
   * Writes `buffers` at the end of the file with one writev (repeated only for a partial write) and
   * returns the position they start at. On failure the file is cut back to its old size.
   */
  append(buffers: readonly Buffer[], byteLength: number): number {
    this.checkWritable();
    const start = this._size;
    let written = 0;
    try {
      let pending: readonly Buffer[] = buffers;
      while (written < byteLength) {
        const n = fs.writevSync(this._fd, pending as Buffer[], start + written);
        written += n;
        if (written < byteLength) pending = skipBytes(buffers, written);
      }
    } catch (err) {
      try {
        fs.ftruncateSync(this._fd, start);
      } catch (truncateErr) {
        this.failed = true;
        throw storageError(`append (${errnoCode(err) ?? 'error'}) then cut back of`, this._path, truncateErr);
      }
      throw storageError('append to', this._path, err);
    }
    this._size = start + byteLength;
    return start;
  }

  /** Reads up to `length` bytes at `position` into `target` at `targetOffset`; fewer only at the end of the file. */
  readInto(target: Buffer, targetOffset: number, length: number, position: number): number {
    let done = 0;
    try {
      while (done < length) {
        const n = fs.readSync(this._fd, target, targetOffset + done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
    } catch (err) {
      throw storageError('read', this._path, err);
    }
    return done;
  }

  /** A copy of bytes [position, position + length), shorter if the file ends first. */
  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    const n = this.readInto(buf, 0, length, position);
    return n === length ? buf : buf.subarray(0, n);
  }

  /** Cuts the file to `size` bytes; returns the bytes removed. */
  truncateTo(size: number): number {
    if (size > this._size || size < 0) {
      throw new LogError('ILLEGAL_STATE', `cannot truncate ${this._path} of ${this._size} bytes to ${size}`);
    }
    if (size === this._size) return 0;
    try {
      fs.ftruncateSync(this._fd, size);
    } catch (err) {
      throw storageError('truncate', this._path, err);
    }
    const removed = this._size - size;
    this._size = size;
    this.failed = false;
    return removed;
  }

  /** fdatasync on the thread pool; the fd stays open until it completes. */
  flush(): Promise<void> {
    this.retain();
    const fd = this._fd;
    return new Promise<void>((resolve, reject) => {
      fs.fdatasync(fd, (err) => {
        this.release();
        if (err) reject(storageError('fdatasync', this._path, err));
        else resolve();
      });
    });
  }

  /** The file's mtime in ms (Kafka's lastModified: retention's fallback for segments without timestamps). */
  lastModified(): number {
    try {
      return fs.fstatSync(this._fd).mtimeMs;
    } catch (err) {
      throw storageError('stat', this._path, err);
    }
  }

  flushSync(): void {
    try {
      fs.fdatasyncSync(this._fd);
    } catch (err) {
      throw storageError('fdatasync', this._path, err);
    }
  }

  /** Adds a reference that keeps the fd open; pair with release(). */
  retain(): void {
    if (this.refs === 0) throw new LogError('ILLEGAL_STATE', `${this._path} is already closed`);
    this.refs++;
  }

  release(): void {
    if (this.refs === 0) throw new LogError('ILLEGAL_STATE', `${this._path} released more often than retained`);
    if (--this.refs === 0) {
      try {
        fs.closeSync(this._fd);
      } catch {
        // Closing can only fail for a bad fd; nothing is lost.
      }
      this._fd = -1;
    }
  }

  /** Drops the owner's reference: the fd closes now, or when the last reader releases its region. */
  close(): void {
    if (this.closeRequested) return;
    this.closeRequested = true;
    this.release();
  }

  /** A region of this file retained for a reader; the reader calls release() when done with it. */
  retainRegion(position: number, length: number): FileRegion {
    this.retain();
    return { fd: this._fd, position, length };
  }

  renameTo(path: string): void {
    try {
      fs.renameSync(this._path, path);
    } catch (err) {
      throw storageError(`rename to ${path}`, this._path, err);
    }
    this._path = path;
  }

  /** Unlinks the file (ENOENT is fine); open fds keep reading it. */
  deleteFile(): void {
    try {
      fs.unlinkSync(this._path);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw storageError('delete', this._path, err);
    }
  }
}

/** `buffers` without their first `skip` bytes, as views. */
function skipBytes(buffers: readonly Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}

/** Why a scan stopped: the end was reached, a batch runs past the end, or the bytes are not a batch. */
export type ScanStop = 'end' | 'partial' | 'corrupt';

const DEFAULT_CHUNK = 64 * 1024;

/**
 * Walks the batches of a SegmentFile from a batch boundary, reading the file in chunks (64 KiB by
 * default) so that walking headers costs one pread per chunk, not one per batch. The fields of the
 * current batch are plain properties: no allocation per batch. Stops at the first incomplete or
 * malformed header and says why in `stop` and `problem`; it never checks CRCs (recovery does).
 * A caller may lend it a scratch chunk to avoid the allocation; views from batchBytes() then live only
 * until that chunk is used again.
 */
export class BatchScanner {
  position = -1;
  size = 0;
  baseOffset = -1;
  lastOffset = -1;
  maxTimestamp = -1;
  partitionLeaderEpoch = -1;
  stop: ScanStop = 'end';
  problem: string | null = null;
  private cursor: number;
  private chunk: Buffer;
  private chunkStart = 0;
  private chunkEnd = 0;

  constructor(
    readonly file: SegmentFile,
    start: number,
    readonly end: number = file.size,
    chunk: Buffer | number = DEFAULT_CHUNK,
  ) {
    this.cursor = start;
    this.chunk = typeof chunk === 'number' ? Buffer.allocUnsafe(chunk) : chunk;
  }

  /** Where the next batch would start: after a `false` from next(), the end of the valid bytes. */
  get nextPosition(): number {
    return this.cursor;
  }

  next(): boolean {
    const at = this.cursor;
    const left = this.end - at;
    if (left <= 0) return this.halt('end', null);
    if (left < LOG_OVERHEAD) return this.halt('partial', `${left} bytes left, less than a batch header`);
    const base = this.fill(at, Math.min(RECORD_BATCH_OVERHEAD, left));
    const buf = this.chunk;
    const size = batchSizeAt(buf, base);
    if (size < RECORD_BATCH_OVERHEAD) {
      return this.halt('corrupt', `batch size ${size} below the ${RECORD_BATCH_OVERHEAD}-byte header`);
    }
    if (size > left) return this.halt('partial', `batch of ${size} bytes with only ${left} left`);
    const magic = magicAt(buf, base);
    if (magic !== MAGIC_VALUE_V2) return this.halt('corrupt', `magic ${magic}, expected ${MAGIC_VALUE_V2}`);
    const delta = lastOffsetDeltaAt(buf, base);
    if (delta < 0) return this.halt('corrupt', `negative lastOffsetDelta ${delta}`);
    this.position = at;
    this.size = size;
    this.baseOffset = baseOffsetAt(buf, base);
    this.lastOffset = this.baseOffset + delta;
    this.maxTimestamp = maxTimestampAt(buf, base);
    this.partitionLeaderEpoch = partitionLeaderEpochAt(buf, base);
    this.cursor = at + size;
    return true;
  }

  /**
   * The current batch's 61-byte header (producer id, epoch, base sequence, attributes, ...): a view of
   * the scanner's chunk, valid until the next call. Costs no read: next() already loaded it.
   */
  headerBytes(): Buffer {
    const base = this.fill(this.position, RECORD_BATCH_OVERHEAD);
    return this.chunk.subarray(base, base + RECORD_BATCH_OVERHEAD);
  }

  /** The current batch's bytes: a view of the scanner's chunk, valid until the next call. */
  batchBytes(): Buffer {
    if (this.size > this.chunk.length) return this.file.read(this.position, this.size);
    const base = this.fill(this.position, this.size);
    return this.chunk.subarray(base, base + this.size);
  }

  private halt(stop: ScanStop, problem: string | null): false {
    this.stop = stop;
    this.problem = problem;
    return false;
  }

  /** Makes file bytes [at, at + need) present in the chunk; returns the chunk index of `at`. */
  private fill(at: number, need: number): number {
    if (at >= this.chunkStart && at + need <= this.chunkEnd) return at - this.chunkStart;
    const length = Math.min(this.chunk.length, this.end - at);
    const n = this.file.readInto(this.chunk, 0, length, at);
    this.chunkStart = at;
    this.chunkEnd = at + n;
    if (n < need) {
      throw new LogError('KAFKA_STORAGE_ERROR', `${this.file.path} ends at ${at + n}, expected ${at + need} bytes`, {
        file: this.file.path,
        position: at + n,
      });
    }
    return 0;
  }
}
