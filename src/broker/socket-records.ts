import type { Socket } from 'node:net';
import type { ExternalRecords } from '../protocol/primitives/writer.js';
import type { SendFile } from './fetch/sendfile.js';

/**
 * Records a response carries outside its encoded bytes (file regions of a fetch). The connection
 * writes the encoded bytes up to each splice, then asks the records to write themselves, in order.
 * `writeTo` must write exactly `byteLength` bytes after everything written before it, call `done`
 * once (when they are queued on the socket or in the kernel, or with the error that stopped them),
 * and free what the records hold either way. `sendFile` is the connection's zero-copy sender, or null
 * where the records must be read and written (TLS, no addon, samsa.fetch.zero.copy=read).
 */
export interface SocketRecords extends ExternalRecords {
  writeTo(socket: Socket, done: (err?: Error) => void, sendFile: SendFile | null): void;
  /** Frees what the records hold (file references) when they will never be written. Idempotent. */
  release(): void;
}

export function isSocketRecords(records: ExternalRecords): records is SocketRecords {
  return typeof (records as Partial<SocketRecords>).writeTo === 'function';
}
