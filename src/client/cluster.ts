import { FindCoordinator } from '../protocol/messages/10-find-coordinator.js';
import { Metadata } from '../protocol/messages/03-metadata.js';
import type { ResponseOf } from '../protocol/schema/api.js';
import { BrokerConnection, type ClientSettings } from './connection.js';
import { CliError, KafkaError } from './errors.js';

export type MetadataResponse = ResponseOf<typeof Metadata>;
export type TopicMetadata = MetadataResponse['topics'][number];
export type PartitionMetadata = TopicMetadata['partitions'][number];

export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

/** A `host:port[,host:port...]` list as --bootstrap-server takes it. */
export function parseBootstrap(list: string): { host: string; port: number }[] {
  const out = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      const host = colon > 0 ? entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : '';
      const port = Number(entry.slice(colon + 1));
      if (host === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
        throw new CliError(`invalid bootstrap server "${entry}" (expected host:port)`);
      }
      return { host, port };
    });
  if (out.length === 0) throw new CliError('no bootstrap server given');
  return out;
}

/**
 * The cluster as a tool sees it: one connection per broker, opened on first use; the brokers and
 * partition leaders from the latest Metadata; group coordinators from FindCoordinator. The bootstrap
 * servers are tried in order and the first that answers becomes the connection for cluster-wide
 * requests (Metadata, the admin APIs).
 */
export class Cluster {
  private readonly connections = new Map<number, Promise<BrokerConnection>>();
  private brokersById = new Map<number, BrokerNode>();
  private topicsByName = new Map<string, TopicMetadata>();
  controllerId = -1;
  clusterId: string | null = null;
  /** The node id of each group's coordinator, as FindCoordinator last answered. */
  readonly coordinatorIds = new Map<string, number>();
  /** Whether looking up an unknown topic may create it (the producer's allow.auto.create.topics). */
  allowAutoTopicCreation = false;

  private constructor(
    readonly bootstrap: BrokerConnection,
    readonly settings: ClientSettings,
  ) {}

  static async connect(bootstrapServers: string, settings: ClientSettings): Promise<Cluster> {
    const servers = parseBootstrap(bootstrapServers);
    let last: Error | null = null;
    for (const { host, port } of servers) {
      try {
        return new Cluster(await BrokerConnection.open(host, port, settings), settings);
      } catch (err) {
        last = err as Error;
      }
    }
    throw last!;
  }

  /** Metadata for some topics (null: all), without creating any; remembers brokers and leaders. */
  async metadata(topics: readonly string[] | null, allowAutoTopicCreation = false): Promise<MetadataResponse> {
    const res = await this.bootstrap.send(Metadata, {
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation,
    });
    this.brokersById = new Map(res.brokers.map((b) => [b.nodeId, b]));
    this.controllerId = res.controllerId;
    this.clusterId = res.clusterId;
    for (const t of res.topics) if (t.name !== null && t.errorCode === 0) this.topicsByName.set(t.name, t);
    return res;
  }

  get brokers(): BrokerNode[] {
    return [...this.brokersById.values()].sort((a, b) => a.nodeId - b.nodeId);
  }

  /** A topic's metadata, fetched when not known yet; a KafkaError when the broker has no such topic. */
  async topic(name: string, refresh = false): Promise<TopicMetadata> {
    if (!refresh) {
      const known = this.topicsByName.get(name);
      if (known !== undefined) return known;
    }
    // A topic just created reports LEADER_NOT_AVAILABLE (5) until its leaders are elected: ask again.
    for (let attempt = 0; ; attempt++) {
      const res = await this.metadata([name], this.allowAutoTopicCreation);
      const t = res.topics.find((x) => x.name === name);
      if (t !== undefined && t.errorCode === 0) return t;
      this.topicsByName.delete(name);
      // With auto-creation a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION (3) while it creates the topic.
      const pending = t?.errorCode === 5 || (t?.errorCode === 3 && this.allowAutoTopicCreation && attempt < 10);
      if (!pending || attempt >= 20) throw new KafkaError(t?.errorCode ?? 3, `topic ${name}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The connection to a broker by node id (the bootstrap connection when it is the same address). */
  connectionTo(nodeId: number): Promise<BrokerConnection> {
    const existing = this.connections.get(nodeId);
    if (existing !== undefined) {
      return existing.then((c) => (c.closed ? this.reopen(nodeId) : c));
    }
    return this.reopen(nodeId);
  }

  private reopen(nodeId: number): Promise<BrokerConnection> {
    const node = this.brokersById.get(nodeId);
    if (node === undefined) return Promise.reject(new CliError(`broker ${nodeId} is not in the cluster metadata`));
    const address = `${node.host}:${node.port}`;
    const opened =
      address === this.bootstrap.address && !this.bootstrap.closed
        ? Promise.resolve(this.bootstrap)
        : BrokerConnection.open(node.host, node.port, this.settings);
    this.connections.set(nodeId, opened);
    opened.catch(() => this.connections.delete(nodeId));
    return opened;
  }

  /** The connection to a partition's leader; LEADER_NOT_AVAILABLE when it has none. */
  async leaderFor(topic: string, partition: number): Promise<BrokerConnection> {
    const t = await this.topic(topic);
    const p = t.partitions.find((x) => x.partitionIndex === partition);
    if (p === undefined) throw new KafkaError(3, `${topic}-${partition}`);
    if (p.leaderId < 0) throw new KafkaError(5, `${topic}-${partition}`);
    return this.connectionTo(p.leaderId);
  }

  /** The coordinator of a consumer group (key type 0) via FindCoordinator, retried while it loads. */
  async coordinator(groupId: string): Promise<BrokerConnection> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.bootstrap.send(FindCoordinator, { key: groupId, keyType: 0, coordinatorKeys: [groupId] });
      const c = res.coordinators.length > 0 ? res.coordinators[0]! : res;
      if (c.errorCode === 0) {
        this.brokersById.set(c.nodeId, { nodeId: c.nodeId, host: c.host, port: c.port, rack: null });
        this.coordinatorIds.set(groupId, c.nodeId);
        return this.connectionTo(c.nodeId);
      }
      // COORDINATOR_NOT_AVAILABLE (15) and COORDINATOR_LOAD_IN_PROGRESS (14) pass with time.
      if ((c.errorCode !== 15 && c.errorCode !== 14) || attempt >= 20) {
        throw new KafkaError(c.errorCode, `coordinator of group ${groupId}`, c.errorMessage);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  close(): void {
    this.bootstrap.close();
    for (const c of this.connections.values()) c.then((x) => x.close()).catch(() => undefined);
  }
}
