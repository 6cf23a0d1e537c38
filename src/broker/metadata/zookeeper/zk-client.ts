/**
 * A small promise API over node-zookeeper-client (pure JS, speaks the ZooKeeper 3.4+ wire protocol,
 * works against the 3.8 server), with Kafka's connection rules:
 *
 * - `zookeeper.connect` is `host:port[,host:port...][/chroot]`. The chroot is created first, through
 *   a connection without it, as Kafka's KafkaServer.initZkClient does.
 * - connect() waits at most `connectionTimeoutMs` for the first connection (ZOOKEEPER_CONNECT_TIMEOUT).
 * - A lost connection is retried by the library inside the session; `onExpired` fires when the
 *   session itself is gone (ephemeral znodes and watches with it). The owner then opens a new client.
 *
 * znode data is UTF-8 text (Kafka's ZKStringSerializer); a missing node is `null`, not an error.
 */
import zookeeper, { type Client, type Watcher } from 'node-zookeeper-client';
import { MetadataError } from '../errors.js';

export interface ZkConnectOptions {
  readonly connect: string;
  readonly sessionTimeoutMs: number;
  readonly connectionTimeoutMs: number;
}

export interface ZkNode {
  readonly data: string;
  /** The znode's data version (Stat.version): Kafka's zkVersion for conditional writes. */
  readonly version: number;
}

/** One operation of an atomic multi (ZooKeeper's transaction). */
export type ZkOp =
  | { readonly op: 'create'; readonly path: string; readonly data: string; readonly mode?: 'persistent' | 'sequential' }
  | { readonly op: 'set'; readonly path: string; readonly data: string; readonly version: number }
  | { readonly op: 'remove'; readonly path: string; readonly version?: number }
  | { readonly op: 'check'; readonly path: string; readonly version: number };

const { Exception, CreateMode, ACL } = zookeeper;
const OPEN = ACL.OPEN_ACL_UNSAFE;

/** Split `host:port,host:port/chroot` into the servers and the chroot ('' for none). */
export function parseZkConnect(connect: string): { servers: string; chroot: string } {
  const slash = connect.indexOf('/');
  if (slash < 0) return { servers: connect, chroot: '' };
  const chroot = connect.slice(slash).replace(/\/+$/, '');
  return { servers: connect.slice(0, slash), chroot };
}

export function isZkError(err: unknown, code: number): boolean {
  return err instanceof Exception && err.getCode() === code;
}

export const ZK_NODE_EXISTS = Exception.NODE_EXISTS;
export const ZK_NO_NODE = Exception.NO_NODE;
export const ZK_BAD_VERSION = Exception.BAD_VERSION;

export class ZkClient {
  private closed = false;

  private constructor(
    private readonly client: Client,
    readonly sessionTimeoutMs: number,
  ) {}

  /** Connect (creating the chroot first when there is one); `onExpired` fires once if the session expires. */
  static async connect(options: ZkConnectOptions, onExpired: () => void): Promise<ZkClient> {
    const { servers, chroot } = parseZkConnect(options.connect);
    if (chroot !== '') {
      const root = await ZkClient.open(servers, options, () => {});
      try {
        await root.ensurePath(chroot);
      } finally {
        root.close();
      }
    }
    return ZkClient.open(servers + chroot, options, onExpired);
  }

  private static open(connect: string, options: ZkConnectOptions, onExpired: () => void): Promise<ZkClient> {
    const client = zookeeper.createClient(connect, { sessionTimeout: options.sessionTimeoutMs, spinDelay: 500 });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(
          new MetadataError(
            'ZOOKEEPER_CONNECT_TIMEOUT',
            `Timed out waiting for connection to ZooKeeper ${connect} after ${options.connectionTimeoutMs} ms`,
          ),
        );
      }, options.connectionTimeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        const zk = new ZkClient(client, client.getSessionTimeout());
        client.once('expired', () => {
          if (!zk.closed) onExpired();
        });
        resolve(zk);
      });
      client.connect();
    });
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }

  get(path: string, watch?: Watcher): Promise<ZkNode | null> {
    return new Promise((resolve, reject) => {
      this.client.getData(path, watch, (err, data, stat) => {
        if (isZkError(err, ZK_NO_NODE)) {
          // A getData on a missing node sets no watch: watch its creation instead.
          if (watch !== undefined) this.client.exists(path, watch, () => {});
          resolve(null);
        } else if (err) reject(err);
        else resolve({ data: data?.toString('utf8') ?? '', version: stat.version });
      });
    });
  }

  /** Children names, sorted; null when the node does not exist. */
  children(path: string, watch?: Watcher): Promise<string[] | null> {
    return new Promise((resolve, reject) => {
      this.client.getChildren(path, watch, (err, children) => {
        if (isZkError(err, ZK_NO_NODE)) resolve(null);
        else if (err) reject(err);
        else resolve([...children].sort());
      });
    });
  }

  exists(path: string, watch?: Watcher): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.client.exists(path, watch, (err, stat) => (err ? reject(err) : resolve(stat !== null)));
    });
  }

  /** Create a node; rejects with NODE_EXISTS / NO_NODE (parent) as ZooKeeper does. */
  create(path: string, data: string, mode: 'persistent' | 'ephemeral' | 'sequential' = 'persistent'): Promise<string> {
    const m =
      mode === 'ephemeral'
        ? CreateMode.EPHEMERAL
        : mode === 'sequential'
          ? CreateMode.PERSISTENT_SEQUENTIAL
          : CreateMode.PERSISTENT;
    return new Promise((resolve, reject) => {
      this.client.create(path, Buffer.from(data, 'utf8'), OPEN, m, (err, created) =>
        err ? reject(err) : resolve(created),
      );
    });
  }

  /** Create the node and its missing parents, empty; an existing node is fine. */
  ensurePath(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.mkdirp(path, null, OPEN, CreateMode.PERSISTENT, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Set data if the node is at `version` (-1: any); the new version. */
  set(path: string, data: string, version: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.client.setData(path, Buffer.from(data, 'utf8'), version, (err, stat) =>
        err ? reject(err) : resolve(stat.version),
      );
    });
  }

  /** Remove a node (at `version`, -1: any); a missing node is fine. */
  remove(path: string, version = -1): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.remove(path, version, (err) => (err && !isZkError(err, ZK_NO_NODE) ? reject(err) : resolve()));
    });
  }

  /** All operations or none (ZooKeeper multi). */
  multi(ops: readonly ZkOp[]): Promise<void> {
    const tx = this.client.transaction();
    for (const op of ops) {
      if (op.op === 'create')
        tx.create(
          op.path,
          Buffer.from(op.data, 'utf8'),
          OPEN,
          op.mode === 'sequential' ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT,
        );
      else if (op.op === 'set') tx.setData(op.path, Buffer.from(op.data, 'utf8'), op.version);
      else if (op.op === 'remove') tx.remove(op.path, op.version ?? -1);
      else tx.check(op.path, op.version);
    }
    return new Promise((resolve, reject) => tx.commit((err) => (err ? reject(err) : resolve())));
  }
}
