/**
 * ZooKeeperMetadataStore's cache: what a sync reads from Kafka's znodes (zk-data.ts) and the events a
 * change of it emits. Reads set `watch` on the znodes whose change must trigger the next sync: the
 * broker ids, /controller, /admin/delete_topics, the config change notifications, the topic list,
 * each topic's assignment and each partition's state.
 *
 * A topic is cached only once it has a topic id and at least one partition state, and only with the
 * partitions (from 0 up) that have a state: the controller writes both (zk-controller.ts).
 */
import { isInternalTopic } from '../topic-name.js';
import { freezeTopic } from '../topic-commands.js';
import type { MetadataEvent } from '../events.js';
import type { BrokerRegistration, PartitionMetadata, TopicMetadata } from '../types.js';
import { ZK_NODE_EXISTS, type ZkClient, isZkError } from './zk-client.js';
import {
  ZkPaths,
  decodeBroker,
  decodeClusterId,
  decodeController,
  decodePartitionState,
  decodeTopicAssignment,
  decodeTopicConfig,
  encodeClusterId,
} from './zk-data.js';

export interface Cache {
  readonly brokers: ReadonlyMap<number, BrokerRegistration>;
  readonly controllerId: number;
  readonly topics: ReadonlyMap<string, TopicMetadata>;
}

export const EMPTY_CACHE: Cache = { brokers: new Map(), controllerId: -1, topics: new Map() };

/** Reads every broker, the controller and every topic, setting watches. */
export async function readCache(zk: ZkClient, watch: () => void): Promise<Cache> {
  const brokers = new Map<number, BrokerRegistration>();
  for (const id of (await zk.children(ZkPaths.brokerIds, watch)) ?? []) {
    const node = await zk.get(ZkPaths.broker(Number(id)));
    if (node === null) continue;
    const info = decodeBroker(Number(id), node.data);
    brokers.set(info.brokerId, Object.freeze({ ...info, endpoints: Object.freeze([...info.endpoints]) }));
  }
  const controllerNode = await zk.get(ZkPaths.controller, watch);
  const controllerId = controllerNode === null ? -1 : decodeController(controllerNode.data);
  await zk.children(ZkPaths.deleteTopics, watch);
  await zk.children(ZkPaths.configChanges, watch);
  const topics = new Map<string, TopicMetadata>();
  for (const name of (await zk.children(ZkPaths.topics, watch)) ?? []) {
    const topic = await readTopic(zk, name, watch);
    if (topic !== null) topics.set(name, topic);
  }
  return { brokers, controllerId, topics };
}

/** A topic as the cache holds it: the partitions with a state; null while it lacks an id or any state. */
async function readTopic(zk: ZkClient, name: string, watch: () => void): Promise<TopicMetadata | null> {
  const node = await zk.get(ZkPaths.topic(name), watch);
  if (node === null) return null;
  const assignment = decodeTopicAssignment(name, node.data);
  if (assignment.topicId === null) return null;
  const partitions: PartitionMetadata[] = [];
  for (const [p, replicas] of assignment.replicas.entries()) {
    const state = await zk.get(ZkPaths.partitionState(name, p), watch);
    // Partitions the controller has not given a state yet are not shown (a topic with none is not).
    if (state === null) break;
    const s = decodePartitionState(state.data);
    partitions.push(
      Object.freeze({
        partition: p,
        replicas: Object.freeze([...replicas]),
        leader: s.leader,
        leaderEpoch: s.leaderEpoch,
        isr: Object.freeze([...s.isr]),
        partitionEpoch: state.version,
      }),
    );
  }
  if (partitions.length === 0) return null;
  const config = await zk.get(ZkPaths.topicConfig(name));
  return freezeTopic({
    name,
    topicId: assignment.topicId,
    isInternal: isInternalTopic(name),
    partitions,
    configs: config === null ? new Map() : decodeTopicConfig(config.data),
  });
}

/**
 * The events that turn `prev` into `next`, in the order they are emitted: brokers registered and
 * unregistered, the controller, topics deleted (or re-created with a new id), then per topic: created,
 * or partitions created, config changed and partition states changed (partition epoch moved).
 */
export function cacheEvents(prev: Cache, next: Cache): MetadataEvent[] {
  const events: MetadataEvent[] = [];
  for (const [id, b] of next.brokers) if (!prev.brokers.has(id)) events.push({ type: 'brokerRegistered', broker: b });
  for (const id of prev.brokers.keys())
    if (!next.brokers.has(id)) events.push({ type: 'brokerUnregistered', brokerId: id });
  if (prev.controllerId !== next.controllerId)
    events.push({ type: 'controllerChanged', controllerId: next.controllerId });
  for (const [name, old] of prev.topics) {
    const now = next.topics.get(name);
    if (now === undefined || now.topicId !== old.topicId) events.push({ type: 'topicDeleted', topic: old });
  }
  for (const [name, topic] of next.topics) {
    const old = prev.topics.get(name);
    if (old === undefined || old.topicId !== topic.topicId) {
      events.push({ type: 'topicCreated', topic });
      continue;
    }
    if (topic.partitions.length > old.partitions.length)
      events.push({
        type: 'partitionsCreated',
        topic,
        partitions: topic.partitions.slice(old.partitions.length).map((p) => p.partition),
      });
    if (!sameMap(old.configs, topic.configs)) events.push({ type: 'topicConfigChanged', topic });
    for (const p of old.partitions) {
      const q = topic.partitions[p.partition];
      if (q !== undefined && q.partitionEpoch !== p.partitionEpoch)
        events.push({ type: 'partitionStateChanged', topic, partition: q });
    }
  }
  return events;
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Kafka's getOrGenerateClusterId: the id in /cluster/id, or `proposed` written there. */
export async function getOrCreateClusterId(zk: ZkClient, proposed: string): Promise<string> {
  const node = await zk.get(ZkPaths.clusterId);
  if (node !== null) return decodeClusterId(node.data);
  await zk.ensurePath('/cluster');
  try {
    await zk.create(ZkPaths.clusterId, encodeClusterId(proposed));
    return proposed;
  } catch (err) {
    if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
    const raced = await zk.get(ZkPaths.clusterId);
    return decodeClusterId(raced!.data);
  }
}
