import { ListOffsets } from '../protocol/messages/02-list-offsets.js';
import type { Cluster } from './cluster.js';
import { KafkaError } from './errors.js';

/** ListOffsets' special timestamps (Kafka's OffsetSpec): -1 latest, -2 earliest, -3 max timestamp. */
export const LATEST = -1;
export const EARLIEST = -2;
export const MAX_TIMESTAMP = -3;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`;

export interface OffsetAnswer {
  readonly offset: number;
  readonly timestamp: number;
}

/**
 * Looks up one offset per partition, asking each partition's leader (one request per leader). A
 * timestamp ≥ 0 finds the first offset whose timestamp is at least it; -1 from an answer means no such
 * offset. Partition errors throw, naming the partition.
 */
export async function listOffsets(
  cluster: Cluster,
  partitions: readonly TopicPartition[],
  timestamp: number | ((tp: TopicPartition) => number),
  isolationLevel = 0,
): Promise<Map<string, OffsetAnswer>> {
  const byLeader = new Map<number, TopicPartition[]>();
  for (const tp of partitions) {
    const t = await cluster.topic(tp.topic);
    const p = t.partitions.find((x) => x.partitionIndex === tp.partition);
    if (p === undefined) throw new KafkaError(3, `${tp.topic}-${tp.partition}`);
    if (p.leaderId < 0) throw new KafkaError(5, `${tp.topic}-${tp.partition}`);
    const list = byLeader.get(p.leaderId) ?? [];
    list.push(tp);
    byLeader.set(p.leaderId, list);
  }
  const timestampOf = typeof timestamp === 'function' ? timestamp : () => timestamp;
  const out = new Map<string, OffsetAnswer>();
  await Promise.all(
    [...byLeader].map(async ([leader, tps]) => {
      const conn = await cluster.connectionTo(leader);
      const topics = new Map<string, TopicPartition[]>();
      for (const tp of tps) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp]);
      const res = await conn.send(ListOffsets, {
        replicaId: -1,
        isolationLevel,
        topics: [...topics].map(([name, list]) => ({
          name,
          partitions: list.map((tp) => ({ partitionIndex: tp.partition, timestamp: timestampOf(tp) })),
        })),
        timeoutMs: cluster.settings.requestTimeoutMs,
      });
      for (const t of res.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `offsets of ${t.name}-${p.partitionIndex}`);
          out.set(tpKey(t.name, p.partitionIndex), { offset: p.offset, timestamp: p.timestamp });
        }
      }
    }),
  );
  return out;
}
