/**
 * `samsa topics --zookeeper host:port[/chroot]`: Kafka 2.x's ZooKeeper TopicCommand (ZookeeperTopicService
 * over AdminZkClient), reading and writing Kafka's znodes directly, without a broker:
 *
 * - list: the children of /brokers/topics; a topic with /admin/delete_topics/<t> is marked for deletion.
 * - describe: /brokers/topics/<t> (assignment, topic id) and each /brokers/topics/<t>/partitions/<p>/state
 *   (leader, isr; a partition without a state has no leader yet), /config/topics/<t> (the overrides),
 *   live brokers from /brokers/ids.
 * - create: checked and placed as the brokers do (topic-commands.ts: Kafka's AdminUtils rack-unaware
 *   assignment over the registered brokers, ascending), then /config/topics/<t> before /brokers/topics/<t>
 *   (version 3 JSON with a new topic id) and no partition states: the controller writes those.
 * - alter --partitions: /brokers/topics/<t> rewritten with the new partitions (conditional on the version
 *   read), placed from partition 0's first replica as Kafka's addPartitions does.
 * - alter --config/--delete-config: /config/topics/<t> and a /config/changes/config_change_<seq> notice.
 * - delete: the /admin/delete_topics/<t> mark; the controller deletes.
 *
 * The znode formats and their encoders are the broker's (src/broker/metadata/zookeeper/zk-data.ts).
 */
import { MetadataError } from '../broker/metadata/errors.js';
import { randomKafkaUuid } from '../broker/metadata/kafka-uuid.js';
import { planCreatePartitions, planCreateTopic, type TopicCommandContext } from '../broker/metadata/topic-commands.js';
import { topicConfigSchema } from '../broker/metadata/topic-config.js';
import { isInternalTopic } from '../broker/metadata/topic-name.js';
import type { PartitionMetadata, TopicMetadata } from '../broker/metadata/types.js';
import {
  ZK_BAD_VERSION,
  ZK_NODE_EXISTS,
  ZkClient,
  isZkError,
  parseZkConnect,
} from '../broker/metadata/zookeeper/zk-client.js';
import { writeNewTopic, writeTopicConfig } from '../broker/metadata/zookeeper/zk-controller.js';
import {
  ZkPaths,
  decodePartitionState,
  decodeTopicAssignment,
  decodeTopicConfig,
  encodeConfigChange,
  encodeTopicAssignment,
} from '../broker/metadata/zookeeper/zk-data.js';
import type { NewTopic } from '../client/admin.js';
import { CliError, KafkaError } from '../client/errors.js';
import type { TopicBackend, TopicDescription } from './topic-backend.js';

/** Kafka 2.x's TopicCommand opens its KafkaZkClient with 30 s session and connection timeouts. */
export const ZK_TOOL_TIMEOUT_MS = 30_000;

export interface ZkToolSettings {
  readonly sessionTimeoutMs: number;
  readonly connectionTimeoutMs: number;
}

export class ZooKeeperTopicBackend implements TopicBackend {
  readonly form = 'zookeeper';

  private constructor(private readonly zk: ZkClient) {}

  /** Connects; an unreachable ZooKeeper is a CliError naming the address after the connection timeout. */
  static async connect(connect: string, settings: ZkToolSettings): Promise<ZooKeeperTopicBackend> {
    try {
      const zk = await ZkClient.connect({ connect, ...settings }, () => {});
      return new ZooKeeperTopicBackend(zk);
    } catch (err) {
      if (err instanceof MetadataError && err.code === 'ZOOKEEPER_CONNECT_TIMEOUT') {
        throw new CliError(
          `cannot connect to ZooKeeper ${parseZkConnect(connect).servers} ` +
            `(timed out after ${settings.connectionTimeoutMs} ms)`,
        );
      }
      throw err;
    }
  }

  async listTopics(): Promise<{ name: string; isInternal: boolean; markedForDeletion: boolean }[]> {
    const [names, marked] = await Promise.all([this.zk.children(ZkPaths.topics), this.markedForDeletion()]);
    return (names ?? []).map((name) => ({
      name,
      isInternal: isInternalTopic(name),
      markedForDeletion: marked.has(name),
    }));
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const marked = await this.markedForDeletion();
    const out: TopicDescription[] = [];
    for (const topic of await Promise.all(names.map((n) => this.readTopic(n)))) {
      if (topic === null) continue;
      out.push({
        name: topic.name,
        topicId: topic.topicId === '' ? null : topic.topicId,
        markedForDeletion: marked.has(topic.name),
        partitions: topic.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          elr: null,
          lastKnownElr: null,
        })),
      });
    }
    return out;
  }

  async topicConfigs(
    names: readonly string[],
  ): Promise<Map<string, { name: string; value: string | null; isDefault: boolean }[]>> {
    const out = new Map<string, { name: string; value: string | null; isDefault: boolean }[]>();
    await Promise.all(
      names.map(async (name) => {
        const configs = await this.readConfig(name);
        out.set(
          name,
          [...configs].map(([k, value]) => ({ name: k, value, isDefault: false })),
        );
      }),
    );
    return out;
  }

  async liveBrokers(): Promise<Set<number>> {
    return new Set(await this.brokerIds());
  }

  async createTopic(topic: NewTopic): Promise<void> {
    const context = await this.context(null);
    const plan = planCreateTopic(
      context,
      {
        name: topic.name,
        numPartitions: topic.numPartitions,
        replicationFactor: topic.replicationFactor,
        assignments: topic.assignments,
        configs: [...topic.configs].map(([name, value]) => ({ name, value })),
      },
      randomKafkaUuid(),
    );
    if (!plan.ok) throw new KafkaError(plan.errorCode, `creating topic ${topic.name}`, plan.errorMessage);
    if (!(await writeNewTopic(this.zk, plan.topic, null))) {
      throw new KafkaError(36, `creating topic ${topic.name}`, `Topic '${topic.name}' already exists.`);
    }
  }

  async createPartitions(topic: string, count: number, assignments: number[][] | null): Promise<void> {
    if (isInternalTopic(topic)) {
      throw new CliError(`The number of partitions for the internal topic ${topic} cannot be changed.`);
    }
    const node = await this.zk.get(ZkPaths.topic(topic));
    if (node === null) throw new KafkaError(3, `adding partitions to ${topic}`, `The topic '${topic}' does not exist.`);
    const current = await this.readTopic(topic);
    if (current === null)
      throw new KafkaError(3, `adding partitions to ${topic}`, `The topic '${topic}' does not exist.`);
    const plan = planCreatePartitions(await this.context(current), { name: topic, count, assignments });
    if (!plan.ok) throw new KafkaError(plan.errorCode, `adding partitions to ${topic}`, plan.errorMessage);
    const topicId = decodeTopicAssignment(topic, node.data).topicId ?? randomKafkaUuid();
    const data = encodeTopicAssignment(
      plan.topic.partitions.map((p) => p.replicas),
      topicId,
    );
    try {
      await this.zk.set(ZkPaths.topic(topic), data, node.version);
    } catch (err) {
      if (isZkError(err, ZK_BAD_VERSION)) {
        throw new CliError(`adding partitions to ${topic}: /brokers/topics/${topic} changed meanwhile; try again`);
      }
      throw err;
    }
  }

  /** Kafka 2.x's ZooKeeper deleteTopic: the lines it prints per topic. */
  async deleteTopics(names: readonly string[]): Promise<string[]> {
    const lines: string[] = [];
    for (const name of names) {
      if (isInternalTopic(name)) {
        throw new CliError(`Topic ${name} is a kafka internal topic and is not allowed to be marked for deletion.`);
      }
      try {
        await this.zk.create(ZkPaths.deleteTopic(name), '');
        lines.push(
          `Topic ${name} is marked for deletion.`,
          'Note: This will have no impact if delete.topic.enable is not set to true.',
        );
      } catch (err) {
        if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
        lines.push(`Topic ${name} is already marked for deletion.`);
      }
    }
    return lines;
  }

  /**
   * AdminZkClient.changeTopicConfig: the new override set (current + added - removed, validated as the
   * brokers validate it) to /config/topics/<t>, then a change notification the brokers watch.
   */
  async alterTopicConfig(name: string, added: ReadonlyMap<string, string>, removed: readonly string[]): Promise<void> {
    const configs = await this.readConfig(name);
    for (const key of removed) {
      if (!configs.has(key)) throw new CliError(`Invalid config(s): ${key}`);
      configs.delete(key);
    }
    for (const [k, v] of added) configs.set(k, v);
    const checked = topicConfigSchema().validate(configs);
    if (!checked.ok) throw new KafkaError(40, `altering configs of topic ${name}`, checked.errorMessage);
    await writeTopicConfig(this.zk, name, checked.overrides);
    await this.zk.create(ZkPaths.configChangePrefix, encodeConfigChange(name), 'sequential');
  }

  close(): void {
    this.zk.close();
  }

  private async brokerIds(): Promise<number[]> {
    return ((await this.zk.children(ZkPaths.brokerIds)) ?? []).map(Number).sort((a, b) => a - b);
  }

  private async markedForDeletion(): Promise<Set<string>> {
    return new Set((await this.zk.children(ZkPaths.deleteTopics)) ?? []);
  }

  private async readConfig(name: string): Promise<Map<string, string>> {
    const node = await this.zk.get(ZkPaths.topicConfig(name));
    return node === null ? new Map() : decodeTopicConfig(node.data);
  }

  /** A topic as the znodes describe it; topicId '' when the writer gave none yet. Null if absent. */
  private async readTopic(name: string): Promise<TopicMetadata | null> {
    const node = await this.zk.get(ZkPaths.topic(name));
    if (node === null) return null;
    const assignment = decodeTopicAssignment(name, node.data);
    const partitions = await Promise.all(
      assignment.replicas.map(async (replicas, partition): Promise<PartitionMetadata> => {
        const state = await this.zk.get(ZkPaths.partitionState(name, partition));
        if (state === null) return { partition, replicas, leader: -1, leaderEpoch: -1, isr: [], partitionEpoch: -1 };
        const s = decodePartitionState(state.data);
        return {
          partition,
          replicas,
          leader: s.leader,
          leaderEpoch: s.leaderEpoch,
          isr: s.isr,
          partitionEpoch: state.version,
        };
      }),
    );
    return {
      name,
      topicId: assignment.topicId ?? '',
      isInternal: isInternalTopic(name),
      partitions,
      configs: await this.readConfig(name),
    };
  }

  /**
   * What topic-commands.ts needs: existing names (the values matter only for `known`, the topic being
   * altered), the registered brokers, and Kafka's defaults (the ZooKeeper form always names the
   * partition count and replication factor, or gives an explicit assignment).
   */
  private async context(known: TopicMetadata | null): Promise<TopicCommandContext> {
    const [names, brokers] = await Promise.all([this.zk.children(ZkPaths.topics), this.brokerIds()]);
    const topics = new Map<string, TopicMetadata>();
    for (const name of names ?? []) {
      topics.set(name, { name, topicId: '', isInternal: isInternalTopic(name), partitions: [], configs: new Map() });
    }
    if (known !== null) topics.set(known.name, known);
    return {
      topics,
      liveBrokerIds: brokers,
      defaultNumPartitions: 1,
      defaultReplicationFactor: 1,
      configSchema: topicConfigSchema(),
    };
  }
}
