/**
 * The controller's znode reads and writes (Kafka's KafkaZkClient as the controller uses it).
 *
 * Fencing: every write is a ZooKeeper multi that starts with `check /controller_epoch <zkVersion>`,
 * the version this controller's election left it at (Kafka's checkedMulti / MultiRequest with a
 * CheckOp). A deposed controller's writes fail as a whole; a BADVERSION is then told apart by
 * re-reading /controller_epoch: moved → ControllerMovedError (resign), same → the partition's own
 * state moved (re-read it).
 *
 * /isr_change_notification/isr_change_<seq10>   {"version":1,"partitions":[{"topic":"t","partition":0}]}
 * /admin/preferred_replica_election            {"version":1,"partitions":[{"topic":"t","partition":0}]}
 */
import type { Watcher } from 'node-zookeeper-client';
import {
  ZK_BAD_VERSION,
  ZK_NODE_EXISTS,
  ZK_NO_NODE,
  isZkError,
  type ZkClient,
  type ZkOp,
} from '../metadata/zookeeper/zk-client.js';
import {
  ZkPaths,
  decodeBroker,
  decodePartitionState,
  decodeTopicAssignment,
  encodeController,
  encodePartitionState,
  encodeTopicAssignment,
  type ZkTopicAssignment,
} from '../metadata/zookeeper/zk-data.js';
import type { LiveBroker, PartitionLeadership, TopicPartition } from './controller-context.js';
import type { LeaderAndIsr } from './elections.js';

export const ISR_CHANGE_PATH = '/isr_change_notification';
export const ISR_CHANGE_PREFIX = '/isr_change_notification/isr_change_';
export const PREFERRED_ELECTION_PATH = '/admin/preferred_replica_election';

/** A write was refused because another controller has been elected since (Kafka's ControllerMovedException). */
export class ControllerMovedError extends Error {}

export interface ControllerEpoch {
  readonly epoch: number;
  readonly zkVersion: number;
}

/**
 * Kafka's registerControllerAndIncrementControllerEpoch: create the ephemeral /controller and bump
 * /controller_epoch (created as 0 if absent) in one multi. null when another broker holds /controller.
 */
export async function registerController(zk: ZkClient, brokerId: number): Promise<ControllerEpoch | null> {
  for (;;) {
    let node = await zk.get(ZkPaths.controllerEpoch);
    if (node === null) {
      await zk.create(ZkPaths.controllerEpoch, '0').catch((err: unknown) => {
        if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
      });
      node = await zk.get(ZkPaths.controllerEpoch);
      if (node === null) continue;
    }
    const epoch = Number(node.data) + 1;
    try {
      const results = await zk.multi([
        { op: 'create', path: ZkPaths.controller, data: encodeController(brokerId, Date.now()), mode: 'ephemeral' },
        { op: 'set', path: ZkPaths.controllerEpoch, data: String(epoch), version: node.version },
      ]);
      return { epoch, zkVersion: results[1]?.version ?? node.version + 1 };
    } catch (err) {
      if (isZkError(err, ZK_NODE_EXISTS)) return null;
      if (!isZkError(err, ZK_BAD_VERSION)) throw err;
    }
  }
}

/** Every registered broker with its epoch; sets `watch` on the children of /brokers/ids. */
export async function readBrokers(zk: ZkClient, watch: Watcher): Promise<Map<number, LiveBroker>> {
  const out = new Map<number, LiveBroker>();
  for (const id of (await zk.children(ZkPaths.brokerIds, watch)) ?? []) {
    const node = await zk.getStat(ZkPaths.broker(Number(id)));
    if (node === null) continue;
    const info = decodeBroker(Number(id), node.data);
    out.set(info.brokerId, { registration: info, epoch: node.czxid });
  }
  return out;
}

export async function readAssignment(zk: ZkClient, topic: string, watch?: Watcher) {
  const node = await zk.get(ZkPaths.topic(topic), watch);
  return node === null ? null : { ...decodeTopicAssignment(topic, node.data), version: node.version };
}

/** Gives an id-less topic (0.8.2's TopicCommand) `topicId`, rewriting it as version 3 (Kafka 2.8+). */
export async function setTopicId(
  zk: ZkClient,
  epoch: ControllerEpoch,
  topic: string,
  assignment: ZkTopicAssignment & { version: number },
  topicId: string,
): Promise<void> {
  await checkedMulti(zk, epoch, [
    {
      op: 'set',
      path: ZkPaths.topic(topic),
      data: encodeTopicAssignment(assignment.replicas, topicId),
      version: assignment.version,
    },
  ]);
}

export async function readPartitionState(
  zk: ZkClient,
  topic: string,
  partition: number,
): Promise<PartitionLeadership | null> {
  const node = await zk.get(ZkPaths.partitionState(topic, partition));
  if (node === null) return null;
  return { ...decodePartitionState(node.data), zkVersion: node.version };
}

/** Creates a new partition's state znode (its parents first); the state as written, or null if it exists. */
export async function createPartitionState(
  zk: ZkClient,
  epoch: ControllerEpoch,
  tp: TopicPartition,
  state: LeaderAndIsr,
): Promise<PartitionLeadership | null> {
  await zk.ensurePath(ZkPaths.partition(tp.topic, tp.partition));
  const data = encodePartitionState({ ...state, controllerEpoch: epoch.epoch });
  try {
    await checkedMulti(zk, epoch, [{ op: 'create', path: ZkPaths.partitionState(tp.topic, tp.partition), data }]);
  } catch (err) {
    if (isZkError(err, ZK_NODE_EXISTS)) return null;
    throw err;
  }
  return { ...state, controllerEpoch: epoch.epoch, zkVersion: 0 };
}

/**
 * Writes a partition's new state if its znode is still at `current.zkVersion`: the state as written,
 * or null when the znode moved (the caller re-reads it). ControllerMovedError when fenced.
 */
export async function updatePartitionState(
  zk: ZkClient,
  epoch: ControllerEpoch,
  tp: TopicPartition,
  current: PartitionLeadership,
  next: LeaderAndIsr,
): Promise<PartitionLeadership | null> {
  const data = encodePartitionState({ ...next, controllerEpoch: epoch.epoch });
  try {
    const results = await checkedMulti(zk, epoch, [
      { op: 'set', path: ZkPaths.partitionState(tp.topic, tp.partition), data, version: current.zkVersion },
    ]);
    return { ...next, controllerEpoch: epoch.epoch, zkVersion: results[1]?.version ?? current.zkVersion + 1 };
  } catch (err) {
    if (isZkError(err, ZK_BAD_VERSION) || isZkError(err, ZK_NO_NODE)) return null;
    throw err;
  }
}

/** Removes a deleted topic's znodes: states, partitions, assignment (checked), then config and mark. */
export async function deleteTopicZnodes(
  zk: ZkClient,
  epoch: ControllerEpoch,
  topic: string,
  partitions: number,
): Promise<void> {
  const present = new Set((await zk.children(ZkPaths.partitions(topic))) ?? []);
  const ops: ZkOp[] = [];
  for (let p = 0; p < partitions; p++) {
    if (!present.has(String(p))) continue;
    if (await zk.exists(ZkPaths.partitionState(topic, p)))
      ops.push({ op: 'remove', path: ZkPaths.partitionState(topic, p) });
    ops.push({ op: 'remove', path: ZkPaths.partition(topic, p) });
  }
  if (await zk.exists(ZkPaths.partitions(topic))) ops.push({ op: 'remove', path: ZkPaths.partitions(topic) });
  if (await zk.exists(ZkPaths.topic(topic))) ops.push({ op: 'remove', path: ZkPaths.topic(topic) });
  await checkedMulti(zk, epoch, ops);
  await zk.remove(ZkPaths.topicConfig(topic));
  await zk.remove(ZkPaths.deleteTopic(topic));
}

/** Partitions named by a `{"version":1,"partitions":[{"topic":..,"partition":..}]}` znode. */
export function decodePartitionList(text: string): TopicPartition[] {
  const value = JSON.parse(text) as { partitions?: unknown };
  if (!Array.isArray(value.partitions)) return [];
  return value.partitions.flatMap((p: unknown) => {
    const o = p as { topic?: unknown; partition?: unknown };
    return typeof o.topic === 'string' && Number.isInteger(o.partition)
      ? [{ topic: o.topic, partition: o.partition as number }]
      : [];
  });
}

export const encodePartitionList = (partitions: readonly TopicPartition[]): string =>
  JSON.stringify({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });

/** Reads and deletes every ISR change notification (watching for more); the partitions they name. */
export async function takeIsrChangeNotifications(zk: ZkClient, watch: Watcher): Promise<TopicPartition[]> {
  const out: TopicPartition[] = [];
  for (const child of (await zk.children(ISR_CHANGE_PATH, watch)) ?? []) {
    const path = `${ISR_CHANGE_PATH}/${child}`;
    const node = await zk.get(path);
    if (node !== null) {
      try {
        out.push(...decodePartitionList(node.data));
      } catch {
        // A malformed notification is dropped, as Kafka does.
      }
    }
    await zk.remove(path);
  }
  return out;
}

/** A multi preceded by the controller-epoch check; its results (the check's first). */
export async function checkedMulti(zk: ZkClient, epoch: ControllerEpoch, ops: readonly ZkOp[]) {
  try {
    return await zk.multi([{ op: 'check', path: ZkPaths.controllerEpoch, version: epoch.zkVersion }, ...ops]);
  } catch (err) {
    if (isZkError(err, ZK_BAD_VERSION)) {
      const now = await zk.get(ZkPaths.controllerEpoch);
      if (now === null || now.version !== epoch.zkVersion)
        throw new ControllerMovedError(
          `controller epoch ${epoch.epoch} (zkVersion ${epoch.zkVersion}) is stale: /controller_epoch is at ` +
            `${now?.data ?? 'nothing'} (zkVersion ${now?.version ?? -1})`,
        );
    }
    throw err;
  }
}
