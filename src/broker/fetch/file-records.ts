import fs from 'node:fs';
import type { Socket } from 'node:net';
import type { FetchDataInfo } from '../../log/fetch-data-info.js';
import { LogError } from '../../log/log-error.js';
import type { FileRegion } from '../../log/segment-file.js';
import type { SocketRecords } from '../socket-records.js';
import { socketFd, type SendFile } from './sendfile.js';

/**
 * A fetch response's records as a region of a segment file, written by one of two paths:
 *
 *  - sendfile (zero-copy): once everything queued before it has reached the kernel (a zero-length
 *    write's callback is the barrier), the region goes from the page cache to the socket with
 *    sendfile(2), as much as the socket's buffer takes. When it is full (EAGAIN) the next piece (64 KiB
 *    to 1 MiB, see BRIDGE_BYTES) is read and written through the stream instead: libuv waits for the
 *    socket to drain, and the write's callback resumes sendfile after it. A socket that keeps
 *    trickling gets its regions by the read path for a while (see readUntil). The socket's fd is looked up right
 *    before each call, on the JS thread, which alone can close it: a destroyed socket is never written.
 *  - read: the region is read in chunks of POOL_CHUNK bytes into pooled buffers and written (the
 *    connection corks the frame, so the chunks go out as one writev); each buffer returns to the pool
 *    when its write completes.
 *
 * Invariant: the segment file reference is held until the last byte was handed to the kernel or
 * copied out, and released exactly once whatever happens (done, error, socket closed, never sent).
 */
export class FileRecords implements SocketRecords {
  readonly external = true;
  readonly byteLength: number;

  constructor(readonly data: FetchDataInfo) {
    this.byteLength = data.sizeInBytes;
  }

  writeTo(socket: Socket, done: (err?: Error) => void, sendFile: SendFile | null = null): void {
    const region = this.data.region;
    if (region === null || region.length === 0) {
      this.release();
      done();
    } else if (sendFile === null || (readUntil.get(socket) ?? 0) > performance.now()) {
      let err: Error | undefined;
      try {
        writeByReading(socket, region);
      } catch (e) {
        err = e as Error;
      }
      this.release();
      done(err);
    } else {
      sendRegion(socket, region, sendFile, (err) => {
        this.release();
        done(err);
      });
    }
  }

  release(): void {
    this.data.release();
  }
}

/** Bytes moved by each path since start (tests and benchmarks read them). */
export const zeroCopyStats = { sentByFile: 0, bridged: 0, read: 0 };

/**
 * The piece written through the stream while sendfile waits for the socket to drain. Each wait costs
 * one JS turn (the write's callback, then sendfile), so what matters is how much the socket takes per
 * wakeup. When sendfile, resumed after a piece, got less than TRICKLE_BYTES in (a reader with a small
 * window or little CPU, e.g. a Java consumer's 64 KiB receive buffer), the piece doubles, up to
 * BRIDGE_MAX_BYTES, so that libuv rides out the trickle in C and JS wakes once per large piece; when
 * it got more, the piece halves back to BRIDGE_BYTES and nearly everything goes by sendfile. The
 * size carries over from one region to the next on the same socket.
 */
export const BRIDGE_BYTES = 64 * 1024;
const BRIDGE_MAX_BYTES = 1024 * 1024;
const TRICKLE_BYTES = 256 * 1024;
const bridgeSize = new WeakMap<Socket, number>();
/**
 * A socket still trickling at the largest piece gets its next regions by the read path for
 * TRICKLE_READ_MS (performance.now() until which it does): reading needs no barrier before each
 * region, so libuv's queue never runs dry between regions, where sendfile must wait for the bytes
 * before a region to drain first. After that, the next region tries sendfile again.
 */
const readUntil = new WeakMap<Socket, number>();
const TRICKLE_READ_MS = 1000;
/** Read-path chunk size, and the most free chunks kept for reuse (16 MiB). */
const POOL_CHUNK = 256 * 1024;
const POOL_MAX_FREE = 64;
const pool: Buffer[] = [];
const EMPTY = Buffer.alloc(0);

function takeChunk(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(POOL_CHUNK);
}

function giveChunk(buf: Buffer): void {
  if (pool.length < POOL_MAX_FREE) pool.push(buf);
}

/** Reads [position, position + length) of the region's file into `into`; throws KAFKA_STORAGE_ERROR. */
function readFully(region: FileRegion, position: number, into: Buffer, length: number): void {
  let done = 0;
  try {
    while (done < length) {
      const n = fs.readSync(region.fd, into, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
  } catch (err) {
    throw new LogError('KAFKA_STORAGE_ERROR', `reading fd ${region.fd} failed`, {}, { cause: err });
  }
  if (done < length) {
    throw new LogError('KAFKA_STORAGE_ERROR', `region of ${region.length} bytes at ${region.position} ended early`);
  }
}

/**
 * Reads [position, position + length) of the region's file into pooled chunks and queues them on the
 * socket in order; each chunk returns to the pool when its write completes, and `written` (if given) is
 * the last chunk's write callback. Throws KAFKA_STORAGE_ERROR before queueing the chunk that failed.
 */
function writeChunks(
  socket: Socket,
  region: FileRegion,
  position: number,
  length: number,
  written?: (err?: Error | null) => void,
): void {
  for (let at = 0; at < length; at += POOL_CHUNK) {
    const n = Math.min(POOL_CHUNK, length - at);
    const chunk = takeChunk();
    try {
      readFully(region, position + at, chunk, n);
    } catch (err) {
      giveChunk(chunk);
      throw err;
    }
    const last = at + n === length;
    socket.write(n === POOL_CHUNK ? chunk : chunk.subarray(0, n), (err) => {
      giveChunk(chunk);
      if (last) written?.(err);
    });
  }
}

/** The read path: the whole region in pooled chunks, queued on the socket in order. */
function writeByReading(socket: Socket, region: FileRegion): void {
  writeChunks(socket, region, region.position, region.length);
  zeroCopyStats.read += region.length;
}

/** The sendfile path; `done` is called once, when every byte is in the kernel or the send failed. */
function sendRegion(socket: Socket, region: FileRegion, sendFile: SendFile, done: (err?: Error) => void): void {
  let position = region.position;
  let left = region.length;
  let finished = false;
  let bridgedLast = 0;
  const finish = (err?: Error): void => {
    if (finished) return;
    finished = true;
    socket.off('close', onClose);
    done(err);
  };
  const onClose = (): void => finish(new Error(`socket closed with ${left} bytes of a file region unsent`));
  const afterWrite = (err?: Error | null): void => {
    if (err) finish(err);
    else pump();
  };
  const pump = (): void => {
    if (finished) return;
    if (left === 0) return finish();
    if (socket.destroyed) return finish(new Error(`socket closed with ${left} bytes of a file region unsent`));
    // Bytes still in the stream (or a cork) must reach the kernel before any byte of the region.
    if (socket.writableLength > 0 || socket.writableCorked > 0) {
      socket.write(EMPTY, afterWrite);
      return;
    }
    const fd = socketFd(socket);
    if (fd < 0) return finish(new Error('socket has no file descriptor'));
    let sent: number;
    try {
      sent = sendFile(fd, region.fd, position, left);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EOF') {
        return finish(
          new LogError('KAFKA_STORAGE_ERROR', `region of ${region.length} bytes at ${region.position} ended early`),
        );
      }
      return finish(err as Error);
    }
    position += sent;
    left -= sent;
    zeroCopyStats.sentByFile += sent;
    if (left === 0) return finish();
    // The socket's buffer is full: the stream waits for it to drain, carrying the next piece.
    let piece = bridgeSize.get(socket) ?? BRIDGE_BYTES;
    if (bridgedLast > 0) {
      piece = sent < TRICKLE_BYTES ? Math.min(piece * 2, BRIDGE_MAX_BYTES) : Math.max(piece / 2, BRIDGE_BYTES);
      bridgeSize.set(socket, piece);
      if (piece === BRIDGE_MAX_BYTES) {
        readUntil.set(socket, performance.now() + TRICKLE_READ_MS);
        bridgeSize.set(socket, BRIDGE_MAX_BYTES / 2);
      }
    }
    const n = Math.min(piece, left);
    bridgedLast = n;
    try {
      writeChunks(socket, region, position, n, afterWrite);
    } catch (err) {
      return finish(err as Error);
    }
    position += n;
    left -= n;
    zeroCopyStats.bridged += n;
  };
  socket.once('close', onClose);
  pump();
}
