import { DescribeConfigs } from '../protocol/messages/32-describe-configs.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import { Admin, ResourceType, isDefaultConfig, type NewTopic } from '../client/admin.js';
import { Cluster } from '../client/cluster.js';
import type { ClientSettings } from '../client/connection.js';

/**
 * What `samsa topics` needs from a cluster, so the source can vary: `--bootstrap-server` answers
 * through the Kafka protocol (BootstrapTopicBackend); the seed's `--zookeeper` form, for cluster mode,
 * reads and writes the znodes instead (ZooKeeperTopicBackend in topic-backend-zk.ts).
 */
export interface TopicBackend {
  /** Which form of the tool this is: Kafka 3.9's (`--bootstrap-server`) or Kafka 2.x's (`--zookeeper`). */
  readonly form: 'bootstrap-server' | 'zookeeper';
  /** Every topic's name, whether it is internal, and (ZooKeeper form) whether it is marked for deletion. */
  listTopics(): Promise<{ name: string; isInternal: boolean; markedForDeletion?: boolean }[]>;
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  /** Per topic, its config entries and whether each is a default. */
  topicConfigs(
    names: readonly string[],
  ): Promise<Map<string, { name: string; value: string | null; isDefault: boolean }[]>>;
  liveBrokers(): Promise<Set<number>>;
  createTopic(topic: NewTopic): Promise<void>;
  createPartitions(topic: string, count: number, assignments: number[][] | null): Promise<void>;
  /** Marks or deletes the topics; the lines the tool then prints (none for --bootstrap-server). */
  deleteTopics(names: readonly string[]): Promise<string[]>;
  /** The ZooKeeper form's `--alter --config k=v --delete-config k` (Kafka 2.x); absent otherwise. */
  alterTopicConfig?(name: string, added: ReadonlyMap<string, string>, removed: readonly string[]): Promise<void>;
  close(): void;
}

export interface PartitionDescription {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** Eligible leader replicas, null when the cluster cannot say (printed "N/A"). */
  readonly elr: readonly number[] | null;
  readonly lastKnownElr: readonly number[] | null;
}

export interface TopicDescription {
  readonly name: string;
  /** null (or Kafka's zero UUID) when the cluster has no topic ids. */
  readonly topicId: string | null;
  /** The ZooKeeper form's /admin/delete_topics/<t> mark (printed as "MarkedForDeletion: true"). */
  readonly markedForDeletion?: boolean;
  readonly partitions: readonly PartitionDescription[];
}

export class BootstrapTopicBackend implements TopicBackend {
  readonly form = 'bootstrap-server';
  private readonly admin: Admin;

  private constructor(private readonly cluster: Cluster) {
    this.admin = new Admin(cluster);
  }

  static async connect(bootstrapServers: string, settings: ClientSettings): Promise<BootstrapTopicBackend> {
    return new BootstrapTopicBackend(await Cluster.connect(bootstrapServers, settings));
  }

  async listTopics(): Promise<{ name: string; isInternal: boolean }[]> {
    const md = await this.cluster.metadata(null);
    return md.topics
      .filter((t) => t.errorCode === 0 && t.name !== null)
      .map((t) => ({ name: t.name!, isInternal: t.isInternal }));
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    if (names.length === 0) return [];
    const md = await this.cluster.metadata(names);
    const elr = await this.admin.eligibleLeaderReplicas(names);
    return md.topics
      .filter((t) => t.errorCode === 0 && t.name !== null)
      .map((t) => ({
        name: t.name!,
        topicId: t.topicId === ZERO_UUID ? null : t.topicId,
        partitions: t.partitions.map((p) => {
          const e = elr?.get(`${t.name}:${p.partitionIndex}`);
          return {
            partition: p.partitionIndex,
            leader: p.leaderId,
            replicas: p.replicaNodes,
            isr: p.isrNodes,
            elr: e?.elr ?? null,
            lastKnownElr: e?.lastKnownElr ?? null,
          };
        }),
      }));
  }

  async topicConfigs(
    names: readonly string[],
  ): Promise<Map<string, { name: string; value: string | null; isDefault: boolean }[]>> {
    // A broker without DescribeConfigs (Samsa before its admin APIs) describes no overrides.
    if (!this.cluster.bootstrap.supports(DescribeConfigs)) return new Map();
    const configs = await this.admin.describeConfigs(ResourceType.TOPIC, names);
    return new Map(
      [...configs].map(([topic, entries]) => [
        topic,
        entries.map((e) => ({ name: e.name, value: e.value, isDefault: isDefaultConfig(e) })),
      ]),
    );
  }

  async liveBrokers(): Promise<Set<number>> {
    await this.cluster.metadata([]);
    return new Set(this.cluster.brokers.map((b) => b.nodeId));
  }

  createTopic(topic: NewTopic): Promise<void> {
    return this.admin.createTopic(topic);
  }

  createPartitions(topic: string, count: number, assignments: number[][] | null): Promise<void> {
    return this.admin.createPartitions(topic, count, assignments);
  }

  async deleteTopics(names: readonly string[]): Promise<string[]> {
    await this.admin.deleteTopics(names);
    return [];
  }

  close(): void {
    this.cluster.close();
  }
}
