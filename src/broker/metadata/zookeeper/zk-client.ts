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

/** A node with the parts of its Stat the controller needs. */
export interface ZkNodeStat extends ZkNode {
  /** The zxid that created the node (Kafka's broker epoch for /brokers/ids/<id>). */
  readonly czxid: number;
}

/** What one op of a multi returned: the created path, or the new data version of a set. */
export interface ZkOpResult {
  readonly path?: string;
  readonly version?: number;
}

/** One operation of an atomic multi (ZooKeeper's transaction). */
export type ZkOp =
  | {
      readonly op: 'create';
      readonly path: string;
      readonly data: string;
      readonly mode?: 'persistent' | 'sequential' | 'ephemeral';
    }
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
  private readonly inflight = new Set<(err: Error) => void>();

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
          zk.failInflight('ZooKeeper session expired');
          if (!zk.closed) onExpired();
        });
        resolve(zk);
      });
      client.connect();
    });
  }

  close(): void {
    this.closed = true;
    this.failInflight('ZooKeeper client closed');
    this.client.close();
  }

  /**
   * Every call goes through here. node-zookeeper-client keeps a request made while disconnected in a
   * queue it never fails if the session then expires (only requests already sent get an error), so a
   * request would hang forever; these are failed when the session expires or the client is closed.
   */
  private request<T>(executor: (resolve: (value: T) => void, reject: (err: unknown) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (err: Error) => reject(err);
      this.inflight.add(fail);
      executor(
        (value) => {
          this.inflight.delete(fail);
          resolve(value);
        },
        (err) => {
          this.inflight.delete(fail);
          reject(err);
        },
      );
    });
  }

  /** Fails every request still waiting (session expired or client closed). */
  failInflight(reason: string): void {
    const waiting = [...this.inflight];
    this.inflight.clear();
    for (const fail of waiting) fail(new Error(reason));
  }

  get(path: string, watch?: Watcher): Promise<ZkNode | null> {
    return this.getStat(path, watch).then((node) =>
      node === null ? null : { data: node.data, version: node.version },
    );
  }

  /**
   * Like get, with the node's creation zxid. A getData on a missing node sets no watch, so the
   * creation is watched with exists; if the node was created in between (exists finds it, and that
   * watch will only see later changes), it is read again, so no creation goes unseen.
   */
  async getStat(path: string, watch?: Watcher): Promise<ZkNodeStat | null> {
    for (;;) {
      const node = await this.getDataOnce(path, watch);
      if (node !== null || watch === undefined || !(await this.exists(path, watch))) return node;
    }
  }

  private getDataOnce(path: string, watch?: Watcher): Promise<ZkNodeStat | null> {
    return this.request((resolve, reject) => {
      this.client.getData(path, watch, (err, data, stat) => {
        if (isZkError(err, ZK_NO_NODE)) resolve(null);
        else if (err) reject(err);
        else
          resolve({
            data: data?.toString('utf8') ?? '',
            version: stat.version,
            czxid: Number(stat.czxid.readBigInt64BE(0)),
          });
      });
    });
  }

  /** Children names, sorted; null when the node does not exist. */
  children(path: string, watch?: Watcher): Promise<string[] | null> {
    return this.request((resolve, reject) => {
      this.client.getChildren(path, watch, (err, children) => {
        if (isZkError(err, ZK_NO_NODE)) resolve(null);
        else if (err) reject(err);
        else resolve([...children].sort());
      });
    });
  }

  exists(path: string, watch?: Watcher): Promise<boolean> {
    return this.request((resolve, reject) => {
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
    return this.request((resolve, reject) => {
      this.client.create(path, Buffer.from(data, 'utf8'), OPEN, m, (err, created) =>
        err ? reject(err) : resolve(created),
      );
    });
  }

  /** Create the node and its missing parents, empty; an existing node is fine. */
  ensurePath(path: string): Promise<void> {
    return this.request((resolve, reject) => {
      this.client.mkdirp(path, null, OPEN, CreateMode.PERSISTENT, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Set data if the node is at `version` (-1: any); the new version. */
  set(path: string, data: string, version: number): Promise<number> {
    return this.request((resolve, reject) => {
      this.client.setData(path, Buffer.from(data, 'utf8'), version, (err, stat) =>
        err ? reject(err) : resolve(stat.version),
      );
    });
  }

  /** Remove a node (at `version`, -1: any); a missing node is fine. */
  remove(path: string, version = -1): Promise<void> {
    return this.request((resolve, reject) => {
      this.client.remove(path, version, (err) => (err && !isZkError(err, ZK_NO_NODE) ? reject(err) : resolve()));
    });
  }

  /**
   * All operations or none (ZooKeeper multi); one result per op. node-zookeeper-client's Transaction
   * turns version 0 into -1 (`version || -1`: "any version"), which would make a conditional write of
   * a znode at version 0 (a new partition state) unconditional; each op's version is set again after
   * it is added.
   */
  multi(ops: readonly ZkOp[]): Promise<ZkOpResult[]> {
    const tx = this.client.transaction();
    const queued = (tx as unknown as { ops: { version?: number }[] }).ops;
    for (const op of ops) {
      if (op.op === 'create')
        tx.create(
          op.path,
          Buffer.from(op.data, 'utf8'),
          OPEN,
          op.mode === 'sequential'
            ? CreateMode.PERSISTENT_SEQUENTIAL
            : op.mode === 'ephemeral'
              ? CreateMode.EPHEMERAL
              : CreateMode.PERSISTENT,
        );
      else if (op.op === 'set') tx.setData(op.path, Buffer.from(op.data, 'utf8'), op.version);
      else if (op.op === 'remove') tx.remove(op.path, op.version ?? -1);
      else tx.check(op.path, op.version);
      const last = queued[queued.length - 1];
      if (op.op !== 'create' && last !== undefined) last.version = op.version ?? -1;
    }
    return this.request((resolve, reject) =>
      tx.commit((err, results) =>
        err
          ? reject(err)
          : resolve(
              (results ?? []).map((r) => ({
                ...(r.path === undefined ? {} : { path: r.path }),
                ...(r.stat === undefined ? {} : { version: r.stat.version }),
              })),
            ),
      ),
    );
  }
}
