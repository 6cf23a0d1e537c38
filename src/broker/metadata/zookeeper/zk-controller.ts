/**
 * The znode writes of topic creation, shared by ZooKeeperMetadataStore's mutations and the
 * `--zookeeper` tools (src/cli/topic-backend-zk.ts).
 *
 * Write order, as Kafka's: a topic's /config/topics/<t> before its /brokers/topics/<t> assignment.
 * The partition state znodes (/brokers/topics/<t>/partitions/<p>/state) are the controller's
 * (src/broker/controller/): the broker never writes them here (it passes controllerEpoch null); a
 * caller standing in for a controller (tests, tools) may.
 */
import type { PartitionMetadata, TopicMetadata } from '../types.js';
import { ZK_NODE_EXISTS, ZK_NO_NODE, type ZkClient, type ZkOp, isZkError } from './zk-client.js';
import { ZkPaths, encodePartitionState, encodeTopicAssignment, encodeTopicConfig } from './zk-data.js';

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
