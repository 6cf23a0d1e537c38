/**
 * The znode writes of ZooKeeperMetadataStore's topic mutations and of its minimal controller (see the
 * store's header). The store owns its state (cache, controller epoch) and passes in what a write needs.
 *
 * Write order, as Kafka's: a topic's /config/topics/<t> before its /brokers/topics/<t> assignment;
 * the partition state znodes (/brokers/topics/<t>/partitions/<p>/state) only by the controller, with
 * its controller epoch; a deletion removes states, partitions, assignment, config, then the
 * /admin/delete_topics/<t> mark.
 */
import type { Logger } from '../../logger.js';
import type { PartitionMetadata, TopicMetadata } from '../types.js';
import type { Cache } from './zk-cache.js';
import { ZK_BAD_VERSION, ZK_NODE_EXISTS, ZK_NO_NODE, type ZkClient, type ZkOp, isZkError } from './zk-client.js';
import {
  ZkPaths,
  decodeTopicAssignment,
  encodePartitionState,
  encodeTopicAssignment,
  encodeTopicConfig,
} from './zk-data.js';

export type PartitionState0 = Pick<PartitionMetadata, 'partition' | 'leader' | 'leaderEpoch' | 'isr'>;

/** The ops creating a partition's znode and its state znode. */
export function partitionCreateOps(topic: string, p: PartitionState0, controllerEpoch: number): ZkOp[] {
  return [
    { op: 'create', path: ZkPaths.partition(topic, p.partition), data: '' },
    {
      op: 'create',
      path: ZkPaths.partitionState(topic, p.partition),
      data: encodePartitionState({
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        isr: p.isr,
        controllerEpoch,
      }),
    },
  ];
}

/** Writes /config/topics/<t>, creating it if absent. */
export async function writeTopicConfig(
  zk: ZkClient,
  name: string,
  configs: ReadonlyMap<string, string>,
): Promise<void> {
  await zk.set(ZkPaths.topicConfig(name), encodeTopicConfig(configs), -1).catch(async (err: unknown) => {
    if (!isZkError(err, ZK_NO_NODE)) throw err;
    await zk.create(ZkPaths.topicConfig(name), encodeTopicConfig(configs));
  });
}

/**
 * /config/topics/<t> first (as Kafka), then the assignment; the states too when `controllerEpoch` is
 * given (this broker is the controller). False if the topic exists.
 */
export async function writeNewTopic(
  zk: ZkClient,
  topic: TopicMetadata,
  controllerEpoch: number | null,
): Promise<boolean> {
  const ops: ZkOp[] = [
    {
      op: 'create',
      path: ZkPaths.topic(topic.name),
      data: encodeTopicAssignment(
        topic.partitions.map((p) => p.replicas),
        topic.topicId,
      ),
    },
  ];
  if (controllerEpoch !== null) {
    ops.push({ op: 'create', path: ZkPaths.partitions(topic.name), data: '' });
    for (const p of topic.partitions) ops.push(...partitionCreateOps(topic.name, p, controllerEpoch));
  }
  try {
    await writeTopicConfig(zk, topic.name, topic.configs);
    await zk.multi(ops);
    return true;
  } catch (err) {
    if (isZkError(err, ZK_NODE_EXISTS)) return false;
    throw err;
  }
}

/** The controller's part of a deletion marked under /admin/delete_topics. */
export async function completeDeletion(zk: ZkClient, name: string, log: Logger): Promise<void> {
  const partitions = (await zk.children(ZkPaths.partitions(name))) ?? [];
  for (const p of partitions) {
    await zk.remove(`${ZkPaths.partitions(name)}/${p}/state`);
    await zk.remove(`${ZkPaths.partitions(name)}/${p}`);
  }
  await zk.remove(ZkPaths.partitions(name));
  await zk.remove(ZkPaths.topic(name));
  await zk.remove(ZkPaths.topicConfig(name));
  await zk.remove(ZkPaths.deleteTopic(name));
  log.info(`Deleted topic ${name}`);
}

/**
 * The minimal controller: completes marked deletions, gives id-less topics an id (`newTopicId`) and
 * new partitions a state (first live replica leads, live replicas are the ISR). True if it wrote.
 */
export async function controllerDuties(
  zk: ZkClient,
  current: Cache,
  controllerEpoch: number,
  newTopicId: () => string,
  log: Logger,
): Promise<boolean> {
  let wrote = false;
  for (const name of (await zk.children(ZkPaths.deleteTopics)) ?? []) {
    await completeDeletion(zk, name, log);
    wrote = true;
  }
  const live = new Set(current.brokers.keys());
  for (const name of (await zk.children(ZkPaths.topics)) ?? []) {
    const known = current.topics.get(name);
    const node = await zk.get(ZkPaths.topic(name));
    if (node === null) continue;
    const assignment = decodeTopicAssignment(name, node.data);
    if (known !== undefined && known.partitions.length === assignment.replicas.length) continue;
    try {
      if (assignment.topicId === null) {
        const topicId = newTopicId();
        await zk.set(ZkPaths.topic(name), encodeTopicAssignment(assignment.replicas, topicId), node.version);
        log.info(`Assigned topic id ${topicId} to topic ${name}`);
      }
      await zk.ensurePath(ZkPaths.partitions(name));
      for (const [p, replicas] of assignment.replicas.entries()) {
        if (await zk.exists(ZkPaths.partitionState(name, p))) continue;
        const isr = replicas.filter((id) => live.has(id));
        await zk.ensurePath(ZkPaths.partition(name, p));
        await zk.create(
          ZkPaths.partitionState(name, p),
          encodePartitionState({ leader: isr[0] ?? -1, leaderEpoch: 0, isr, controllerEpoch }),
        );
      }
      wrote = true;
    } catch (err) {
      // Another writer got there first; the next sync sees its result.
      if (!isZkError(err, ZK_BAD_VERSION) && !isZkError(err, ZK_NODE_EXISTS)) throw err;
    }
  }
  return wrote;
}
