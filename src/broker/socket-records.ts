import type { Socket } from 'node:net';
import type { ExternalRecords } from '../protocol/primitives/writer.js';

/**
 * Records a response carries outside its encoded bytes (file regions of a fetch). The connection
 * writes the encoded bytes up to each splice, then asks the records to write themselves, in order.
 * `writeTo` must write exactly `byteLength` bytes and call `done` once they are queued on the socket.
 */
export interface SocketRecords extends ExternalRecords {
  writeTo(socket: Socket, done: (err?: Error) => void): void;
  /** Frees what the records hold (file references) when they will never be written. Idempotent. */
  release(): void;
}

export function isSocketRecords(records: ExternalRecords): records is SocketRecords {
  return typeof (records as Partial<SocketRecords>).writeTo === 'function';
}
