import type { Socket } from 'node:net';
import { readRegion, type FetchDataInfo } from '../../log/fetch-data-info.js';
import type { SocketRecords } from '../socket-records.js';

/**
 * A fetch response's records as a region of a segment file. The portable path: read the region into
 * memory and write it, then release the segment reference. (The zero-copy sendfile path replaces
 * `writeTo` where the platform allows.) The region stays readable until released even if retention
 * deletes the segment meanwhile.
 */
export class FileRecords implements SocketRecords {
  readonly external = true;
  readonly byteLength: number;

  constructor(readonly data: FetchDataInfo) {
    this.byteLength = data.sizeInBytes;
  }

  writeTo(socket: Socket, done: (err?: Error) => void): void {
    let bytes: Buffer;
    try {
      bytes = readRegion(this.data.region);
    } catch (err) {
      done(err as Error);
      return;
    } finally {
      this.data.release();
    }
    socket.write(bytes);
    done();
  }

  release(): void {
    this.data.release();
  }
}
