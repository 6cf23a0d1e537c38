import { CreatePartitions } from '../protocol/messages/37-create-partitions.js';
import { CreateTopics } from '../protocol/messages/19-create-topics.js';
import { DeleteRecords } from '../protocol/messages/21-delete-records.js';
import { DeleteTopics } from '../protocol/messages/20-delete-topics.js';
import { DescribeConfigs } from '../protocol/messages/32-describe-configs.js';
import { DescribeTopicPartitions } from '../protocol/messages/75-describe-topic-partitions.js';
import { IncrementalAlterConfigs } from '../protocol/messages/44-incremental-alter-configs.js';
import type { ResponseOf } from '../protocol/schema/api.js';
import type { Cluster } from './cluster.js';
import type { BrokerConnection } from './connection.js';
import { KafkaError, check } from './errors.js';

/** Kafka's ConfigResource.Type ids. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;
/** DescribeConfigs' configSource values (ConfigEntry.ConfigSource). */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
} as const;
/** IncrementalAlterConfigs' operations. */
export const AlterConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export type ConfigEntry = ResponseOf<typeof DescribeConfigs>['results'][number]['configs'][number];

/** A config entry is a default when its source says so (v1+) or its isDefault flag does (v0). */
export function isDefaultConfig(e: ConfigEntry): boolean {
  return e.configSource === -1 ? e.isDefault : e.configSource === ConfigSource.DEFAULT_CONFIG;
}

export interface NewTopic {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: readonly { partitionIndex: number; brokerIds: number[] }[];
  readonly configs: ReadonlyMap<string, string>;
}

/**
 * The admin requests the tools make, each sent where Kafka's admin client sends it: topic creation,
 * deletion and new partitions to the controller when the metadata names one (else the bootstrap
 * broker, which forwards), broker configs to that broker, records deletion to partition leaders.
 */
export class Admin {
  constructor(readonly cluster: Cluster) {}

  private async controller(): Promise<BrokerConnection> {
    if (this.cluster.controllerId < 0) await this.cluster.metadata([]);
    const id = this.cluster.controllerId;
    return id >= 0 ? this.cluster.connectionTo(id) : this.cluster.bootstrap;
  }

  async createTopic(topic: NewTopic, validateOnly = false): Promise<void> {
    const conn = await this.controller();
    const res = await conn.send(CreateTopics, {
      topics: [
        {
          name: topic.name,
          numPartitions: topic.numPartitions,
          replicationFactor: topic.replicationFactor,
          assignments: topic.assignments.map((a) => ({ partitionIndex: a.partitionIndex, brokerIds: a.brokerIds })),
          configs: [...topic.configs].map(([name, value]) => ({ name, value })),
        },
      ],
      timeoutMs: this.cluster.settings.requestTimeoutMs,
      validateOnly,
    });
    const r = res.topics[0];
    if (r === undefined) throw new KafkaError(-1, `creating topic ${topic.name}`);
    check(r.errorCode, `creating topic ${topic.name}`, r.errorMessage);
  }

  async createPartitions(topic: string, count: number, assignments: number[][] | null): Promise<void> {
    const conn = await this.controller();
    const res = await conn.send(CreatePartitions, {
      topics: [{ name: topic, count, assignments: assignments?.map((brokerIds) => ({ brokerIds })) ?? null }],
      timeoutMs: this.cluster.settings.requestTimeoutMs,
      validateOnly: false,
    });
    for (const r of res.results) check(r.errorCode, `adding partitions to ${r.name}`, r.errorMessage);
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    const conn = await this.controller();
    const res = await conn.send(DeleteTopics, {
      topics: names.map((name) => ({ name })),
      topicNames: [...names],
      timeoutMs: this.cluster.settings.requestTimeoutMs,
    });
    for (const r of res.responses) check(r.errorCode, `deleting topic ${r.name}`, r.errorMessage);
  }

  /** Configs of topics or brokers; broker resources are asked of the broker itself. */
  async describeConfigs(
    resourceType: number,
    names: readonly string[],
    keys: readonly string[] | null = null,
  ): Promise<Map<string, ConfigEntry[]>> {
    const out = new Map<string, ConfigEntry[]>();
    const ask = async (conn: BrokerConnection, batch: readonly string[]) => {
      const res = await conn.send(DescribeConfigs, {
        resources: batch.map((resourceName) => ({
          resourceType,
          resourceName,
          configurationKeys: keys === null ? null : [...keys],
        })),
        includeSynonyms: true,
        includeDocumentation: false,
      });
      for (const r of res.results) {
        check(r.errorCode, `describing configs of ${resourceLabel(resourceType, r.resourceName)}`, r.errorMessage);
        out.set(r.resourceName, r.configs);
      }
    };
    if (resourceType === ResourceType.BROKER && names.some((n) => n !== '')) {
      await this.cluster.metadata([]);
      for (const name of names) {
        await ask(name === '' ? this.cluster.bootstrap : await this.cluster.connectionTo(Number(name)), [name]);
      }
    } else if (names.length > 0) {
      await ask(this.cluster.bootstrap, names);
    }
    return out;
  }

  async incrementalAlterConfigs(
    resourceType: number,
    name: string,
    ops: readonly { name: string; op: number; value: string | null }[],
  ): Promise<void> {
    let conn = this.cluster.bootstrap;
    if (resourceType === ResourceType.BROKER && name !== '') {
      await this.cluster.metadata([]);
      conn = await this.cluster.connectionTo(Number(name));
    }
    const res = await conn.send(IncrementalAlterConfigs, {
      resources: [
        {
          resourceType,
          resourceName: name,
          configs: ops.map((o) => ({ name: o.name, configOperation: o.op, value: o.value })),
        },
      ],
      validateOnly: false,
    });
    for (const r of res.responses) {
      check(r.errorCode, `altering configs of ${resourceLabel(resourceType, r.resourceName)}`, r.errorMessage);
    }
  }

  /**
   * Eligible leader replicas per partition (KIP-966) from DescribeTopicPartitions, or null when the
   * broker does not speak it (Kafka's tools then print "N/A").
   */
  async eligibleLeaderReplicas(
    names: readonly string[],
  ): Promise<Map<string, { elr: number[] | null; lastKnownElr: number[] | null }> | null> {
    if (!this.cluster.bootstrap.supports(DescribeTopicPartitions) || names.length === 0) return null;
    const out = new Map<string, { elr: number[] | null; lastKnownElr: number[] | null }>();
    let cursor: { topicName: string; partitionIndex: number } | null = null;
    do {
      const res: ResponseOf<typeof DescribeTopicPartitions> = await this.cluster.bootstrap.send(
        DescribeTopicPartitions,
        { topics: names.map((name) => ({ name })), responsePartitionLimit: 2000, cursor },
      );
      for (const t of res.topics) {
        for (const p of t.partitions) {
          out.set(`${t.name}:${p.partitionIndex}`, { elr: p.eligibleLeaderReplicas, lastKnownElr: p.lastKnownElr });
        }
      }
      cursor = res.nextCursor;
    } while (cursor !== null);
    return out;
  }

  /** Deletes records below the given offsets (-1: the high watermark); returns the new low watermarks. */
  async deleteRecords(
    offsets: readonly { topic: string; partition: number; offset: number }[],
  ): Promise<Map<string, { lowWatermark: number; error: KafkaError | null }>> {
    const byLeader = new Map<number, typeof offsets extends readonly (infer T)[] ? T[] : never>();
    const out = new Map<string, { lowWatermark: number; error: KafkaError | null }>();
    for (const o of offsets) {
      let leader = -1;
      try {
        const t = await this.cluster.topic(o.topic);
        const p = t.partitions.find((x) => x.partitionIndex === o.partition);
        if (p === undefined) throw new KafkaError(3, `${o.topic}-${o.partition}`);
        leader = p.leaderId;
        if (leader < 0) throw new KafkaError(5, `${o.topic}-${o.partition}`);
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        out.set(`${o.topic}:${o.partition}`, { lowWatermark: -1, error: err });
        continue;
      }
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), o]);
    }
    for (const [leader, list] of byLeader) {
      const conn = await this.cluster.connectionTo(leader);
      const topics = new Map<string, { partitionIndex: number; offset: number }[]>();
      for (const o of list) {
        topics.set(o.topic, [...(topics.get(o.topic) ?? []), { partitionIndex: o.partition, offset: o.offset }]);
      }
      const res = await conn.send(DeleteRecords, {
        topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
        timeoutMs: this.cluster.settings.requestTimeoutMs,
      });
      for (const t of res.topics) {
        for (const p of t.partitions) {
          out.set(`${t.name}:${p.partitionIndex}`, {
            lowWatermark: p.lowWatermark,
            error:
              p.errorCode === 0
                ? null
                : new KafkaError(p.errorCode, `deleting records of ${t.name}-${p.partitionIndex}`),
          });
        }
      }
    }
    return out;
  }
}

export function resourceLabel(resourceType: number, name: string): string {
  if (resourceType === ResourceType.TOPIC) return `topic ${name}`;
  if (resourceType === ResourceType.BROKER) return name === '' ? 'the default broker config' : `broker ${name}`;
  return `resource ${name}`;
}
