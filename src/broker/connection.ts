import type { Socket } from 'node:net';
import type { EncodedFrame } from '../protocol/frame.js';
import { DecodeError } from '../protocol/primitives/decode-error.js';
import type { Logger } from './logger.js';
import type { ConnectionInfo, DispatchResult, Router } from './router.js';
import { sendFileFor, type SendFile, type ZeroCopyMode } from './fetch/sendfile.js';
import { isSocketRecords } from './socket-records.js';

export interface ConnectionLimits {
  /** socket.request.max.bytes: a larger size prefix closes the connection. */
  readonly maxRequestSize: number;
  /** connections.max.idle.ms: a connection with nothing in flight for this long is closed. */
  readonly idleMs: number;
  /** Requests decoded but not yet answered; at this many the connection stops reading. */
  readonly maxInFlight: number;
  /** Bytes queued on the socket; above this the connection stops reading until they drain. */
  readonly maxQueuedBytes: number;
  /** samsa.fetch.zero.copy: how file regions of fetch responses are sent (default auto). */
  readonly zeroCopy?: ZeroCopyMode;
}

interface Slot {
  result: DispatchResult | null;
}

/**
 * One client connection: framing, dispatch, responses in request order, backpressure.
 *
 * Invariants:
 *  - Frames are `[int32 size][size bytes]`; a size below 0 or above maxRequestSize, a frame the router
 *    cannot decode, or a handler failure closes this connection only, with a logged reason.
 *  - Requests are dispatched in arrival order (so appends from one producer keep their order) and may
 *    complete out of order; responses are written strictly in request order. A request with no
 *    response (acks=0 Produce) keeps its place and writes nothing.
 *  - Memory stays bounded: reading pauses while maxInFlight requests are unanswered or more than
 *    maxQueuedBytes wait on the socket, and resumes when they drain. Partial frames are held as the
 *    received chunks and joined once, when complete.
 */
export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly slots: Slot[] = [];
  private writing = false;
  private paused = false;
  private closed = false;
  /** Set by drain(): no more reading, ever; resolved when the last in-flight request is answered. */
  private drained: (() => void) | null = null;
  /** Sends file regions with sendfile(2); null: they are read and written (TLS, no addon, mode read). */
  private readonly sendFile: SendFile | null;

  constructor(
    private readonly socket: Socket,
    private readonly router: Router,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    readonly info: ConnectionInfo,
    private readonly onClose: (c: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleMs);
    this.sendFile = sendFileFor(limits.zeroCopy ?? 'auto', socket);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('timeout', () => {
      if (this.slots.length === 0) this.close(`idle for ${limits.idleMs} ms (connections.max.idle.ms)`);
    });
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, 'DEBUG'));
    socket.on('close', () => this.finish());
    socket.on('end', () => {
      // The client half-closed: answer what is in flight, then close.
      if (this.slots.length === 0) socket.end();
    });
  }

  get inFlight(): number {
    return this.slots.length;
  }

  /** Stops reading new requests; the returned promise settles when every in-flight one is answered. */
  drain(): Promise<void> {
    this.socket.pause();
    this.paused = true;
    return new Promise((resolve) => {
      this.drained = resolve;
      if (this.slots.length === 0 || this.closed) resolve();
    });
  }

  close(reason: string, level: 'DEBUG' | 'INFO' | 'WARN' = 'INFO'): void {
    if (this.closed) return;
    this.closed = true;
    this.log.log(level, `Closing connection from ${this.info.clientHost}: ${reason}`);
    this.socket.destroy();
  }

  private finish(): void {
    this.closed = true;
    for (const slot of this.slots) releaseUnsent(slot.result?.frame ?? null);
    this.slots.length = 0;
    this.drained?.();
    this.chunks = [];
    this.buffered = 0;
    this.onClose(this);
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.socket.cork();
    try {
      while (!this.closed && this.buffered >= 4) {
        const size = this.peekSize();
        if (size < 0 || size > this.limits.maxRequestSize) {
          this.close(
            `request of ${size} bytes exceeds socket.request.max.bytes (${this.limits.maxRequestSize})`,
            'WARN',
          );
          return;
        }
        if (this.buffered < 4 + size) break;
        this.dispatch(this.take(4 + size).subarray(4));
      }
    } finally {
      this.socket.uncork();
    }
    this.maybePause();
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  /** Removes n bytes from the front of the buffered chunks: a view when one chunk holds them all. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    this.buffered -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const joined = Buffer.concat(this.chunks, this.buffered + n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    return joined.subarray(0, n);
  }

  private dispatch(frame: Buffer): void {
    const slot: Slot = { result: null };
    this.slots.push(slot);
    let result: DispatchResult | Promise<DispatchResult>;
    try {
      result = this.router.dispatch(frame, this.info);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (r) => {
          if (this.closed) return releaseUnsent(r.frame);
          slot.result = r;
          this.flush();
        },
        (err: unknown) => this.fail(err),
      );
    } else {
      slot.result = result;
      this.flush();
    }
  }

  private fail(err: unknown): void {
    if (err instanceof DecodeError) this.close(`malformed request (${err.code}): ${err.message}`, 'WARN');
    else {
      this.log.error(
        `Unexpected error handling a request from ${this.info.clientHost}: ${(err as Error)?.stack ?? String(err)}`,
      );
      this.close('internal error', 'WARN');
    }
  }

  /** Writes finished responses from the head of the queue, in order. */
  private flush(): void {
    while (!this.writing && !this.closed && this.slots.length > 0 && this.slots[0]!.result !== null) {
      const { frame, close } = this.slots.shift()!.result!;
      if (frame !== null) {
        if (frame.splices === null) this.socket.write(frame.bytes);
        else this.writeSpliced(frame);
      }
      if (close) {
        this.socket.end();
        this.closed = true;
      }
    }
    if (this.slots.length === 0 && !this.closed) {
      if (this.socket.readableEnded) this.socket.end();
      this.drained?.();
    }
    this.maybeResume();
  }

  /**
   * Writes a frame whose records are elsewhere (file regions): bytes, records, bytes, ... in order.
   * The read path runs synchronously inside one cork (one writev); the sendfile path resumes from
   * each region's callback. After a failure the regions not yet written are released.
   */
  private writeSpliced(frame: EncodedFrame): void {
    this.writing = true;
    const splices = frame.splices!;
    let at = 0;
    let i = 0;
    const next = (err?: Error): void => {
      if (err) {
        for (const s of splices.slice(i)) if (isSocketRecords(s.records)) s.records.release();
        this.writing = false;
        // A client that went away mid-response is routine; a failed read or send is not.
        this.close(`failed to send records: ${err.message}`, this.socket.destroyed ? 'DEBUG' : 'WARN');
        return;
      }
      if (i === splices.length) {
        if (at < frame.bytes.length) this.socket.write(frame.bytes.subarray(at));
        this.writing = false;
        this.flush();
        return;
      }
      const splice = splices[i++]!;
      if (splice.offset > at) this.socket.write(frame.bytes.subarray(at, splice.offset));
      at = splice.offset;
      if (!isSocketRecords(splice.records)) {
        next(new Error('records spliced into a response cannot write themselves'));
        return;
      }
      if (this.closed) {
        splice.records.release();
        next(new Error('connection closed'));
        return;
      }
      splice.records.writeTo(this.socket, next, this.sendFile);
    };
    this.socket.cork();
    try {
      next();
    } finally {
      this.socket.uncork();
    }
  }

  private maybePause(): void {
    if (this.paused || this.closed) return;
    if (this.slots.length >= this.limits.maxInFlight || this.socket.writableLength > this.limits.maxQueuedBytes) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.closed || this.drained !== null) return;
    if (this.slots.length < this.limits.maxInFlight && this.socket.writableLength <= this.limits.maxQueuedBytes) {
      this.paused = false;
      this.socket.resume();
    }
  }
}

/** Frees the external records of a frame that will never be sent (its connection closed first). */
function releaseUnsent(frame: EncodedFrame | null): void {
  for (const splice of frame?.splices ?? []) if (isSocketRecords(splice.records)) splice.records.release();
}
