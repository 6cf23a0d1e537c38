/** The parts of node-zookeeper-client 1.1 (pure JS, no typings of its own) that zk-client.ts uses. */
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  export interface Stat {
    /** The zxid of the transaction that created the node: 8 bytes, big-endian. */
    readonly czxid: Buffer;
    readonly version: number;
    readonly ephemeralOwner: Buffer;
    readonly numChildren: number;
  }
  export interface Event {
    readonly type: number;
    readonly name: string;
    readonly path: string;
  }
  export type Watcher = (event: Event) => void;
  export class Exception extends Error {
    static readonly NODE_EXISTS: number;
    static readonly NO_NODE: number;
    static readonly BAD_VERSION: number;
    static readonly NOT_EMPTY: number;
    static readonly CONNECTION_LOSS: number;
    static readonly SESSION_EXPIRED: number;
    getCode(): number;
    getPath(): string | undefined;
  }
  export const CreateMode: {
    readonly PERSISTENT: number;
    readonly EPHEMERAL: number;
    readonly PERSISTENT_SEQUENTIAL: number;
    readonly EPHEMERAL_SEQUENTIAL: number;
  };
  export class ACL {
    static readonly OPEN_ACL_UNSAFE: ACL[];
  }
  type Cb<T> = (error: Exception | Error | null, result: T) => void;
  export interface TransactionResult {
    readonly type: number;
    readonly path?: string;
    readonly stat?: Stat;
    readonly err?: number;
  }
  export interface Transaction {
    create(path: string, data?: Buffer, acls?: ACL[], mode?: number): Transaction;
    setData(path: string, data: Buffer | null, version?: number): Transaction;
    check(path: string, version?: number): Transaction;
    remove(path: string, version?: number): Transaction;
    commit(callback: Cb<TransactionResult[]>): void;
  }
  export interface Client extends EventEmitter {
    connect(): void;
    close(): void;
    getSessionId(): Buffer;
    getSessionTimeout(): number;
    create(path: string, data: Buffer | null, acls: ACL[], mode: number, callback: Cb<string>): void;
    remove(path: string, version: number, callback: (error: Exception | Error | null) => void): void;
    setData(path: string, data: Buffer | null, version: number, callback: Cb<Stat>): void;
    getData(
      path: string,
      watcher: Watcher | undefined,
      callback: (e: Exception | Error | null, data: Buffer | undefined, stat: Stat) => void,
    ): void;
    exists(path: string, watcher: Watcher | undefined, callback: Cb<Stat | null>): void;
    getChildren(
      path: string,
      watcher: Watcher | undefined,
      callback: (e: Exception | Error | null, children: string[], stat: Stat) => void,
    ): void;
    mkdirp(path: string, data: Buffer | null, acls: ACL[], mode: number, callback: Cb<string>): void;
    transaction(): Transaction;
  }
  export function createClient(
    connectionString: string,
    options?: { sessionTimeout?: number; spinDelay?: number; retries?: number },
  ): Client;
}
