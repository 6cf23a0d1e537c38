/**
 * What a read returns (Kafka's FetchDataInfo): at most one region of one segment file, made of whole
 * batches, and the offset the next read continues from.
 *
 * Lifetime: a non-empty result holds a reference on the segment's fd (see SegmentFile). The caller
 * sends or reads the region and then calls release() exactly once; until then the fd stays open and
 * the bytes stay readable even if the segment is deleted meanwhile (retention, truncation). The one
 * exception is truncation of the active segment's tail on a follower: those bytes lie above the high
 * watermark, which reads for consumers never reach.
 */
import { LogError } from './log-error.js';
import type { FileRegion, SegmentFile } from './segment-file.js';
import fs from 'node:fs';

/** A position in the log: an offset, the segment it is in, and the byte position of its batch there. */
export interface LogOffsetMetadata {
  readonly messageOffset: number;
  readonly segmentBaseOffset: number;
  readonly relativePositionInSegment: number;
}

export type FetchIsolation = 'LOG_END' | 'HIGH_WATERMARK';

export interface ReadOptions {
  readonly maxBytes: number;
  readonly isolation: FetchIsolation;
  /** An exclusive upper bound below the isolation's, e.g. the last stable offset for read_committed. */
  readonly maxOffset?: number;
  /** KIP-74: return the first batch whole even if it is larger than maxBytes. */
  readonly minOneMessage: boolean;
}

export class FetchDataInfo {
  private file: SegmentFile | null;

  constructor(
    /** The bytes to send; null when there is nothing to return. */
    readonly region: FileRegion | null,
    /** The first offset not returned: where the next read of this partition continues. */
    readonly nextOffset: number,
    file: SegmentFile | null,
  ) {
    this.file = file;
  }

  static empty(nextOffset: number): FetchDataInfo {
    return new FetchDataInfo(null, nextOffset, null);
  }

  get sizeInBytes(): number {
    return this.region?.length ?? 0;
  }

  /** Drops the reference on the segment file; idempotent. */
  release(): void {
    const file = this.file;
    this.file = null;
    file?.release();
  }
}

/** Reads a region into a Buffer (tests, tools, and network paths that cannot sendfile). */
export function readRegion(region: FileRegion | null): Buffer {
  if (region === null) return Buffer.alloc(0);
  const buf = Buffer.allocUnsafe(region.length);
  let done = 0;
  try {
    while (done < region.length) {
      const n = fs.readSync(region.fd, buf, done, region.length - done, region.position + done);
      if (n === 0) break;
      done += n;
    }
  } catch (err) {
    throw new LogError('KAFKA_STORAGE_ERROR', `reading fd ${region.fd} failed`, {}, { cause: err });
  }
  if (done < region.length) {
    throw new LogError(
      'KAFKA_STORAGE_ERROR',
      `region of ${region.length} bytes at ${region.position} ended after ${done}`,
    );
  }
  return buf;
}
