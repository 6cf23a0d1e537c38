/**
 * The controller's partition and replica state changes (Kafka's PartitionStateMachine and the
 * ISR side of its ReplicaStateMachine), run inside one controller event: compute with elections.ts,
 * write the state znode (controller-zk.ts: versioned, fenced by the controller epoch), update the
 * context, and collect LeaderAndIsr/UpdateMetadata/StopReplica in the event's batch.
 *
 * A write that loses the znode version race (someone else, e.g. the leader shrinking its ISR, wrote
 * first) re-reads that partition into the context and asks for one retry in a later event
 * (`retryLater`); a fenced write throws ControllerMovedError out of the event.
 */
import type { ZkClient } from '../metadata/zookeeper/zk-client.js';
import { ZkPaths, decodeTopicConfig } from '../metadata/zookeeper/zk-data.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import type { ControllerContext, PartitionLeadership, TopicPartition } from './controller-context.js';
import {
  type ControllerEpoch,
  createPartitionState,
  readPartitionState,
  updatePartitionState,
} from './controller-zk.js';
import {
  type LeaderAndIsr,
  NO_LEADER,
  controlledShutdownElection,
  initialLeaderAndIsr,
  offlinePartitionElection,
  preferredReplicaElection,
  removeReplicasFromIsr,
} from './elections.js';
import type { ControllerRequestBatch } from './request-batch.js';

export interface StateMachineEnv {
  readonly ctx: ControllerContext;
  readonly zk: ZkClient;
  readonly epoch: ControllerEpoch;
  readonly batch: ControllerRequestBatch;
  readonly log: Logger;
  /** unclean.leader.election.enable of the broker config (a topic override wins). */
  readonly uncleanDefault: boolean;
  /** Partitions whose write lost a version race, for one more try in a later event. */
  retryLater(tps: readonly TopicPartition[]): void;
}

const name = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;

/**
 * Writes `next` over `current` and tells the registered replicas (less `exclude`). False when the
 * znode had moved: the context then holds what it is now.
 */
export async function writeLeadership(
  env: StateMachineEnv,
  tp: TopicPartition,
  current: PartitionLeadership,
  next: LeaderAndIsr,
  exclude?: number,
): Promise<boolean> {
  const written = await updatePartitionState(env.zk, env.epoch, tp, current, next);
  if (written === null) {
    const now = await readPartitionState(env.zk, tp.topic, tp.partition);
    if (now !== null) env.ctx.setState(tp.topic, tp.partition, now);
    env.log.info(`Partition ${name(tp)} changed under the controller (zkVersion ${current.zkVersion}); retrying`);
    env.retryLater([tp]);
    return false;
  }
  env.ctx.setState(tp.topic, tp.partition, written);
  const replicas = env.ctx.replicas(tp.topic, tp.partition).filter((r) => r !== exclude);
  env.batch.addLeaderAndIsr(replicas, tp);
  return true;
}

/** NewPartition → OnlinePartition for partitions without a state znode; those without a live replica wait. */
export async function initializeNewPartitions(env: StateMachineEnv, tps: readonly TopicPartition[]): Promise<void> {
  const live = env.ctx.liveBrokerIds();
  for (const tp of tps) {
    if (env.ctx.state(tp.topic, tp.partition) !== undefined) continue;
    const replicas = env.ctx.replicas(tp.topic, tp.partition);
    const initial = initialLeaderAndIsr(replicas, live);
    if (initial === null) {
      env.log.error(
        `Controller failed to initialize partition ${name(tp)}: none of its replicas [${replicas.join(',')}] is alive`,
      );
      continue;
    }
    const written = await createPartitionState(env.zk, env.epoch, tp, initial);
    const state = written ?? (await readPartitionState(env.zk, tp.topic, tp.partition));
    if (state === null) continue;
    env.ctx.setState(tp.topic, tp.partition, state);
    env.batch.addLeaderAndIsr(replicas, tp, written !== null);
  }
}

async function uncleanAllowed(env: StateMachineEnv, topic: string): Promise<boolean> {
  const node = await env.zk.get(ZkPaths.topicConfig(topic));
  const value = node === null ? undefined : decodeTopicConfig(node.data).get('unclean.leader.election.enable');
  return value === undefined ? env.uncleanDefault : value.trim().toLowerCase() === 'true';
}

/**
 * OfflinePartition → OnlinePartition: every partition whose leader is none or not registered (a
 * shutting-down leader still serves) gets one elected; a failed election leaves it as it is.
 */
export async function electOfflinePartitions(env: StateMachineEnv, only?: readonly TopicPartition[]): Promise<void> {
  const live = env.ctx.liveBrokerIds();
  for (const tp of only ?? [...env.ctx.allPartitions()]) {
    const current = env.ctx.state(tp.topic, tp.partition);
    if (current === undefined) continue;
    if (current.leader !== NO_LEADER && env.ctx.isRegistered(current.leader)) continue;
    const replicas = env.ctx.replicas(tp.topic, tp.partition);
    let next = offlinePartitionElection(replicas, current, live, false);
    if (next === null && (await uncleanAllowed(env, tp.topic))) {
      next = offlinePartitionElection(replicas, current, live, true);
      if (next !== null)
        env.log.warn(`Unclean leader election for ${name(tp)}: broker ${next.leader} leads; data may be lost`);
    }
    if (next === null) {
      env.log.error(
        `Controller failed to elect a leader for ${name(tp)}: no live replica of [${replicas.join(',')}] ` +
          `is in the ISR [${current.isr.join(',')}]`,
      );
      continue;
    }
    await writeLeadership(env, tp, current, next);
  }
}

/**
 * OfflineReplica for every replica whose broker is not registered: out of the ISRs (Kafka's
 * removeReplicasFromIsr; a dead leader leaves leader -1, the last ISR member stays).
 */
export async function removeDeadReplicasFromIsr(env: StateMachineEnv): Promise<void> {
  for (const tp of env.ctx.allPartitions()) {
    const current = env.ctx.state(tp.topic, tp.partition);
    if (current === undefined) continue;
    const dead = current.isr.filter((r) => !env.ctx.isRegistered(r));
    if (dead.length === 0) continue;
    const next = removeReplicasFromIsr(current, dead);
    if (next !== null) await writeLeadership(env, tp, current, next);
  }
}

/** Brings every partition in line with the registered brokers: initial states, elections, ISR shrinks. */
export async function reconcile(env: StateMachineEnv): Promise<void> {
  const stateless = [...env.ctx.allPartitions()].filter((tp) => env.ctx.state(tp.topic, tp.partition) === undefined);
  await initializeNewPartitions(env, stateless);
  await electOfflinePartitions(env);
  await removeDeadReplicasFromIsr(env);
}

/**
 * Kafka's doControlledShutdown moves for broker `id` (already marked shutting down): partitions with
 * more than one replica that it leads get a new leader among the other ISR members; partitions it
 * follows drop it from the ISR and it gets StopReplica(delete=false). Returns the replicated
 * partitions it still leads.
 */
export async function controlledShutdownMoves(env: StateMachineEnv, id: number): Promise<TopicPartition[]> {
  const live = env.ctx.liveBrokerIds();
  const shuttingDown = env.ctx.shuttingDown;
  for (const tp of env.ctx.partitionsOnBroker(id)) {
    const replicas = env.ctx.replicas(tp.topic, tp.partition);
    const current = env.ctx.state(tp.topic, tp.partition);
    if (replicas.length <= 1 || current === undefined || current.leader === NO_LEADER) continue;
    if (current.leader === id) {
      const next = controlledShutdownElection(replicas, current, live, shuttingDown);
      if (next !== null) await writeLeadership(env, tp, current, next);
    } else {
      env.batch.addStopReplica(id, tp, false);
      const next = removeReplicasFromIsr(current, [id]);
      if (next !== null) await writeLeadership(env, tp, current, next, id);
    }
  }
  return env.ctx.partitionsLedBy(id).filter((tp) => env.ctx.replicas(tp.topic, tp.partition).length > 1);
}

/** Preferred replica election for `tps`; the partitions whose preferred replica now leads. */
export async function electPreferredReplicas(
  env: StateMachineEnv,
  tps: readonly TopicPartition[],
): Promise<TopicPartition[]> {
  const live = env.ctx.liveBrokerIds();
  const elected: TopicPartition[] = [];
  for (const tp of tps) {
    const current = env.ctx.state(tp.topic, tp.partition);
    const replicas = env.ctx.replicas(tp.topic, tp.partition);
    if (current === undefined) continue;
    if (current.leader === replicas[0]) {
      elected.push(tp);
      continue;
    }
    const next = preferredReplicaElection(replicas, current, live);
    if (next !== null && (await writeLeadership(env, tp, current, next))) elected.push(tp);
  }
  return elected;
}

export type ElectionType = 'preferred' | 'unclean';

export interface ElectionOutcome {
  readonly tp: TopicPartition;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/**
 * ElectLeaders (key 43) as Kafka's processReplicaLeaderElection: per partition UNKNOWN_TOPIC_OR_PARTITION,
 * ELECTION_NOT_NEEDED (preferred: it already leads; unclean: a leader is registered),
 * PREFERRED_LEADER_NOT_AVAILABLE / ELIGIBLE_LEADERS_NOT_AVAILABLE when no leader could be elected, or
 * NONE once written.
 */
export async function electLeadersForAdmin(
  env: StateMachineEnv,
  tps: readonly TopicPartition[],
  type: ElectionType,
): Promise<ElectionOutcome[]> {
  const live = env.ctx.liveBrokerIds();
  const out: ElectionOutcome[] = [];
  const result = (tp: TopicPartition, errorCode: number, errorMessage: string | null = null) =>
    out.push({ tp, errorCode, errorMessage });
  for (const tp of tps) {
    const current = env.ctx.state(tp.topic, tp.partition);
    const replicas = env.ctx.replicas(tp.topic, tp.partition);
    if (current === undefined || replicas.length === 0) {
      result(tp, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.');
      continue;
    }
    const needed =
      type === 'preferred'
        ? current.leader !== replicas[0]
        : current.leader === NO_LEADER || !env.ctx.isRegistered(current.leader);
    if (!needed) {
      result(tp, ErrorCode.ELECTION_NOT_NEEDED, 'Leader election not needed for topic partition.');
      continue;
    }
    const next =
      type === 'preferred'
        ? preferredReplicaElection(replicas, current, live)
        : offlinePartitionElection(replicas, current, live, true);
    if (next === null || !(await writeLeadership(env, tp, current, next))) {
      result(
        tp,
        type === 'preferred' ? ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE : ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE,
        `Failed to elect leader for partition ${name(tp)} under strategy ` +
          (type === 'preferred'
            ? 'PreferredReplicaPartitionLeaderElectionStrategy'
            : 'OfflinePartitionLeaderElectionStrategy(true)'),
      );
      continue;
    }
    if (type === 'unclean' && !current.isr.includes(next.leader))
      env.log.warn(`Unclean leader election for ${name(tp)}: broker ${next.leader} leads; data may be lost`);
    result(tp, ErrorCode.NONE);
  }
  return out;
}
