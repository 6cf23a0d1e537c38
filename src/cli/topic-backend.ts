import { DescribeConfigs } from '../protocol/messages/32-describe-configs.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import { Admin, ResourceType, isDefaultConfig, type NewTopic } from '../client/admin.js';
import { Cluster } from '../client/cluster.js';
import type { ClientSettings } from '../client/connection.js';

/**
 * What `samsa topics` needs from a cluster, so the source can vary: `--bootstrap-server` answers
 * through the Kafka protocol (BootstrapTopicBackend); the seed's `--zookeeper` form, for cluster mode,
 * will read and write the znodes instead and implement the same interface.
 */
export interface TopicBackend {
  /** Every topic's name, and whether it is internal. */
  listTopics(): Promise<{ name: string; isInternal: boolean }[]>;
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  /** Per topic, its config entries and whether each is a default. */
  topicConfigs(
    names: readonly string[],
  ): Promise<Map<string, { name: string; value: string | null; isDefault: boolean }[]>>;
  liveBrokers(): Promise<Set<number>>;
  createTopic(topic: NewTopic): Promise<void>;
  createPartitions(topic: string, count: number, assignments: number[][] | null): Promise<void>;
  deleteTopics(names: readonly string[]): Promise<void>;
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
  readonly partitions: readonly PartitionDescription[];
}

export class BootstrapTopicBackend implements TopicBackend {
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

  deleteTopics(names: readonly string[]): Promise<void> {
    return this.admin.deleteTopics(names);
  }

  close(): void {
    this.cluster.close();
  }
}
