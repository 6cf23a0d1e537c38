/**
 * The checks and the new TopicMetadata of each topic command, as pure functions of the current state,
 * so the embedded store and the ZooKeeper store refuse the same requests with the same Kafka error
 * codes and messages. Nothing here writes or notifies; a store applies what these return.
 *
 * Checks follow Kafka's ZooKeeper-mode ZkAdminManager and AdminZkClient, in Kafka's order, with one
 * deliberate difference: explicit assignments for a new topic must name registered brokers
 * (INVALID_REPLICA_ASSIGNMENT, as KRaft and Kafka's add-partitions path do), since a replica on an
 * unknown broker would leave the partition without a leader.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { assignReplicasToBrokers, startIndexForNewPartitions } from './replica-assignment.js';
import { replaceTopicConfigs, type TopicConfigSchema } from './topic-config.js';
import {
  collisionWarning,
  hasCollisionChars,
  invalidTopicNameReason,
  isInternalTopic,
  topicNamesCollide,
} from './topic-name.js';
import type {
  CreatePartitionsRequest,
  CreateTopicRequest,
  ErrorResult,
  PartitionMetadata,
  PartitionStateUpdate,
  TopicMetadata,
} from './types.js';

export type Planned<T> = ({ readonly ok: true } & T) | ({ readonly ok: false } & ErrorResult);

export interface TopicCommandContext {
  readonly topics: ReadonlyMap<string, TopicMetadata>;
  /** Registered brokers' ids, ascending. */
  readonly liveBrokerIds: readonly number[];
  /** num.partitions */
  readonly defaultNumPartitions: number;
  /** default.replication.factor */
  readonly defaultReplicationFactor: number;
  readonly configSchema: TopicConfigSchema;
  /** Random integer in [0, bound) for replica placement; Math.random by default. */
  readonly random?: (bound: number) => number;
}

/** CreateTopics' "use the broker default" marker for numPartitions and replicationFactor. */
export const NO_DEFAULT = -1;

export function planCreateTopic(
  ctx: TopicCommandContext,
  req: CreateTopicRequest,
  topicId: string,
): Planned<{ topic: TopicMetadata; warning: string | null }> {
  const { name } = req;
  const invalid = invalidTopicNameReason(name);
  if (invalid !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, invalid);
  if (ctx.topics.has(name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
  const nulls = req.configs.filter((c) => c.value === null).map((c) => c.name);
  if (nulls.length > 0)
    return fail(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nulls.join(',')}`);
  const explicit = req.assignments.length > 0;
  if (explicit && (req.numPartitions !== NO_DEFAULT || req.replicationFactor !== NO_DEFAULT))
    return fail(
      ErrorCode.INVALID_REQUEST,
      'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
    );

  let replicas: number[][];
  if (explicit) {
    const checked = checkExplicitAssignment(ctx.liveBrokerIds, req);
    if (!checked.ok) return checked;
    replicas = checked.replicas;
  } else {
    const assigned = assignReplicasToBrokers(
      ctx.liveBrokerIds,
      req.numPartitions === NO_DEFAULT ? ctx.defaultNumPartitions : req.numPartitions,
      req.replicationFactor === NO_DEFAULT ? ctx.defaultReplicationFactor : req.replicationFactor,
      ctx.random === undefined ? {} : { random: ctx.random },
    );
    if (!assigned.ok) return assigned;
    replicas = assigned.replicas;
  }

  const configs = replaceTopicConfigs(ctx.configSchema, req.configs);
  if (!configs.ok) return configs;

  if (hasCollisionChars(name)) {
    for (const existing of ctx.topics.keys()) {
      if (topicNamesCollide(name, existing))
        return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${existing}`);
    }
  }

  const live = new Set(ctx.liveBrokerIds);
  const topic: TopicMetadata = freezeTopic({
    name,
    topicId,
    isInternal: isInternalTopic(name),
    partitions: replicas.map((r, p) => initialPartition(p, r, live)),
    configs: configs.configs,
  });
  return { ok: true, topic, warning: collisionWarning(name) };
}

function checkExplicitAssignment(
  liveBrokerIds: readonly number[],
  req: CreateTopicRequest,
): Planned<{ replicas: number[][] }> {
  const live = new Set(liveBrokerIds);
  const byPartition = new Map<number, readonly number[]>();
  for (const { partitionIndex, brokerIds } of req.assignments) {
    if (byPartition.has(partitionIndex))
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence');
    byPartition.set(partitionIndex, brokerIds);
  }
  const sizes = new Set([...byPartition.values()].map((b) => b.length));
  if (sizes.size !== 1)
    return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'All partitions should have the same number of replicas');
  if (sizes.has(0))
    return fail(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      'The manual partition assignment includes an empty replica list.',
    );
  for (const brokerIds of byPartition.values()) {
    if (new Set(brokerIds).size !== brokerIds.length)
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Duplicate replica assignment found: ${formatAssignment(byPartition)}`,
      );
  }
  const replicas: number[][] = [];
  for (let p = 0; p < byPartition.size; p++) {
    const brokerIds = byPartition.get(p);
    if (brokerIds === undefined)
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence');
    replicas.push([...brokerIds]);
  }
  const unknown = unknownBrokers(replicas, live);
  if (unknown.length > 0)
    return fail(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`,
    );
  return { ok: true, replicas };
}

export function planCreatePartitions(
  ctx: TopicCommandContext,
  req: CreatePartitionsRequest,
): Planned<{ topic: TopicMetadata; added: readonly number[] }> {
  const topic = ctx.topics.get(req.name);
  if (topic === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${req.name}' does not exist.`);
  const old = topic.partitions.length;
  if (req.count < old)
    return fail(
      ErrorCode.INVALID_PARTITIONS,
      `Topic currently has ${old} partitions, which is higher than the requested ${req.count}.`,
    );
  if (req.count === old) return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${old} partitions.`);
  const increment = req.count - old;
  const partition0 = topic.partitions[0]?.replicas ?? [];
  const live = new Set(ctx.liveBrokerIds);

  let replicas: number[][];
  if (req.assignments !== null) {
    const unknown = unknownBrokers(req.assignments, live);
    if (unknown.length > 0)
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`,
      );
    if (req.assignments.length !== increment)
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Increasing the number of partitions by ${increment} but ${req.assignments.length} assignments provided.`,
      );
    const bad: [number, number][] = [];
    for (let i = 0; i < increment; i++) {
      const brokerIds = req.assignments[i] as readonly number[];
      const p = old + i;
      if (brokerIds.length === 0)
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Cannot have replication factor of 0 for partition id ${p}.`);
      if (new Set(brokerIds).size !== brokerIds.length)
        return fail(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Duplicate brokers not allowed in replica assignment: ${brokerIds.join(', ')} for partition id ${p}.`,
        );
      if (brokerIds.length !== partition0.length) bad.push([p, brokerIds.length]);
    }
    if (bad.length > 0)
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Inconsistent replication factor between partitions, partition 0 has ${partition0.length} while partitions ` +
          `[${bad.map(([p]) => p).join(', ')}] have replication factors [${bad.map(([, rf]) => rf).join(', ')}], respectively.`,
      );
    replicas = req.assignments.map((r) => [...r]);
  } else {
    const start = startIndexForNewPartitions(ctx.liveBrokerIds, partition0[0] ?? 0);
    const assigned = assignReplicasToBrokers(ctx.liveBrokerIds, increment, partition0.length, {
      startIndex: start,
      replicaShift: start,
      startPartitionId: old,
    });
    if (!assigned.ok) return assigned;
    replicas = assigned.replicas;
  }

  const added = replicas.map((_, i) => old + i);
  const next = freezeTopic({
    ...topic,
    partitions: [...topic.partitions, ...replicas.map((r, i) => initialPartition(old + i, r, live))],
  });
  return { ok: true, topic: next, added };
}

/** A partition state change, refused unless the writer read the current partitionEpoch. */
export function planPartitionStateUpdate(
  topic: TopicMetadata | undefined,
  partition: number,
  update: PartitionStateUpdate,
  expectedPartitionEpoch: number,
): Planned<{ topic: TopicMetadata; partition: PartitionMetadata }> {
  const current = topic?.partitions[partition];
  if (topic === undefined || current === undefined)
    return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
  if (expectedPartitionEpoch !== current.partitionEpoch)
    return fail(
      ErrorCode.INVALID_UPDATE_VERSION,
      `Partition ${topic.name}-${partition} has partition epoch ${current.partitionEpoch}, not ${expectedPartitionEpoch}.`,
    );
  if (update.leaderEpoch < current.leaderEpoch)
    return fail(
      ErrorCode.FENCED_LEADER_EPOCH,
      `Leader epoch ${update.leaderEpoch} is older than the current ${current.leaderEpoch} of ${topic.name}-${partition}.`,
    );
  const replicas = new Set(current.replicas);
  const isrOk = new Set(update.isr).size === update.isr.length && update.isr.every((id) => replicas.has(id));
  const leaderOk = update.leader === -1 || (replicas.has(update.leader) && update.isr.includes(update.leader));
  if (!isrOk || !leaderOk)
    return fail(
      ErrorCode.INVALID_REQUEST,
      `Leader ${update.leader} and ISR [${update.isr.join(',')}] do not fit the replicas ` +
        `[${current.replicas.join(',')}] of ${topic.name}-${partition}.`,
    );
  const next: PartitionMetadata = Object.freeze({
    partition,
    replicas: current.replicas,
    leader: update.leader,
    leaderEpoch: update.leaderEpoch,
    isr: Object.freeze([...update.isr]),
    partitionEpoch: current.partitionEpoch + 1,
  });
  const partitions = [...topic.partitions];
  partitions[partition] = next;
  return { ok: true, topic: freezeTopic({ ...topic, partitions }), partition: next };
}

/** The validateOnly answer for a topic that would be created: no id yet, as Kafka reports it. */
export function withoutTopicId(topic: TopicMetadata): TopicMetadata {
  return freezeTopic({ ...topic, topicId: ZERO_UUID });
}

/**
 * A new partition's state, as Kafka's controller sets it: the first live replica leads, the live
 * replicas form the ISR, both epochs start at 0. No live replica: leader -1 (offline).
 */
function initialPartition(
  partition: number,
  replicas: readonly number[],
  live: ReadonlySet<number>,
): PartitionMetadata {
  const isr = replicas.filter((id) => live.has(id));
  return Object.freeze({
    partition,
    replicas: Object.freeze([...replicas]),
    leader: isr[0] ?? -1,
    leaderEpoch: 0,
    isr: Object.freeze(isr),
    partitionEpoch: 0,
  });
}

export function freezeTopic(topic: TopicMetadata): TopicMetadata {
  return Object.freeze({ ...topic, partitions: Object.freeze([...topic.partitions]) });
}

function unknownBrokers(replicas: readonly (readonly number[])[], live: ReadonlySet<number>): number[] {
  return [...new Set(replicas.flat().filter((id) => !live.has(id)))].sort((a, b) => a - b);
}

function formatAssignment(byPartition: ReadonlyMap<number, readonly number[]>): string {
  return `Map(${[...byPartition].map(([p, r]) => `${p} -> List(${r.join(', ')})`).join(', ')})`;
}

function fail(errorCode: number, errorMessage: string): { ok: false } & ErrorResult {
  return { ok: false, errorCode, errorMessage };
}
