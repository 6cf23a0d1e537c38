/**
 * Partition reassignment (Kafka's KafkaController.onPartitionReassignment, KIP-455), inside one
 * controller event. With ORS the original replicas, TRS the target, RS = TRS ∪ ORS (target first),
 * AR = RS − ORS being added and RR = ORS − TRS being removed:
 *
 * 1. start: RS with AR/RR is written to /brokers/topics/<t> (`adding_replicas`/`removing_replicas`)
 *    and the context; the leader epoch is bumped and LeaderAndIsr goes to RS (the new replicas start
 *    fetching from the leader);
 * 2. complete, once every TRS member is in the ISR (checked at the start, on every ISR change
 *    notification and after a failover): RS = TRS; a leader outside TRS (or dead) is replaced by the
 *    first live TRS member in the ISR, otherwise the leader epoch is bumped; LeaderAndIsr to TRS; RR
 *    leave the ISR and get StopReplica(delete=true); /brokers/topics/<t> gets RS = TRS with no
 *    adding/removing; the partition leaves /admin/reassign_partitions when it came from there;
 *    UpdateMetadata to every broker.
 *
 * /admin/reassign_partitions (0.8.2's kafka-reassign-partitions.sh and later):
 *   {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}
 */
import { ErrorCode } from '../../protocol/errors.js';
import { ZkPaths, encodeTopicAssignment } from '../metadata/zookeeper/zk-data.js';
import { type Reassignment, type TopicPartition, tpKey } from './controller-context.js';
import { checkedMulti } from './controller-zk.js';
import { removeReplicasFromIsr } from './elections.js';
import { type StateMachineEnv, writeLeadership } from './partition-state-machine.js';

export const REASSIGN_PATH = '/admin/reassign_partitions';

export interface ReassignmentRequest {
  readonly tp: TopicPartition;
  readonly target: readonly number[];
}

export interface ReassignmentError {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

const OK: ReassignmentError = { errorCode: ErrorCode.NONE, errorMessage: null };
const distinct = (ids: Iterable<number>): number[] => [...new Set(ids)];

/** Kafka's validateReassignment; null when the target is acceptable. */
export function validateReassignment(env: StateMachineEnv, tp: TopicPartition, target: readonly number[]) {
  const invalid = (errorMessage: string): ReassignmentError => ({
    errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
    errorMessage,
  });
  if (env.ctx.replicas(tp.topic, tp.partition).length === 0)
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'The partition does not exist.' };
  if (target.length === 0) return invalid('Empty replica list specified in partition reassignment.');
  if (new Set(target).size !== target.length)
    return invalid(`Duplicate replica ids in partition reassignment replica list: [${target.join(',')}]`);
  if (target.some((id) => id < 0)) return invalid(`Invalid broker id in replica list: [${target.join(',')}]`);
  const live = env.ctx.liveBrokerIds();
  const adding = target.filter((id) => !origin(env, tp).includes(id));
  if (!adding.every((id) => live.has(id)))
    return invalid(
      `Replica assignment has brokers that are not alive. Replica list: [${adding.join(',')}], ` +
        `live broker list: [${[...live].join(',')}]`,
    );
  return null;
}

/** ORS: the current replicas less those a reassignment in progress is adding. */
function origin(env: StateMachineEnv, tp: TopicPartition): number[] {
  const current = env.ctx.replicas(tp.topic, tp.partition);
  const r = env.ctx.reassignments.get(tpKey(tp.topic, tp.partition));
  return current.filter((id) => !(r?.adding ?? []).includes(id));
}

/** Starts (or redirects) the reassignment of `tp` to `target`; completes it at once if it can. */
export async function startReassignment(
  env: StateMachineEnv,
  tp: TopicPartition,
  target: readonly number[],
  fromZnode: boolean,
): Promise<ReassignmentError> {
  const invalid = validateReassignment(env, tp, target);
  if (invalid !== null) return invalid;
  const ors = origin(env, tp);
  const before = env.ctx.replicas(tp.topic, tp.partition);
  const full = distinct([...target, ...ors]);
  const reassignment: Reassignment = {
    tp,
    target: [...target],
    adding: full.filter((id) => !ors.includes(id)),
    removing: ors.filter((id) => !target.includes(id)),
    fromZnode,
  };
  env.ctx.reassignments.set(tpKey(tp.topic, tp.partition), reassignment);
  env.ctx.setReplicas(tp.topic, tp.partition, full);
  await writeAssignment(env, tp.topic);
  env.log.info(
    `Reassigning ${tp.topic}-${tp.partition} from [${ors.join(',')}] to [${target.join(',')}] ` +
      `(adding [${reassignment.adding.join(',')}], removing [${reassignment.removing.join(',')}])`,
  );
  const state = env.ctx.state(tp.topic, tp.partition);
  if (state !== undefined && full.join(',') !== before.join(','))
    await writeLeadership(env, tp, state, { ...state, leaderEpoch: state.leaderEpoch + 1 });
  await maybeCompleteReassignment(env, tp);
  return OK;
}

/** Cancels a reassignment in progress: back to the original replicas (Kafka reverts the same way). */
export async function cancelReassignment(env: StateMachineEnv, tp: TopicPartition): Promise<ReassignmentError> {
  if (env.ctx.replicas(tp.topic, tp.partition).length === 0)
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'The partition does not exist.' };
  const r = env.ctx.reassignments.get(tpKey(tp.topic, tp.partition));
  if (r === undefined)
    return { errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: 'No reassignment in progress.' };
  const ors = origin(env, tp);
  return startReassignment(env, tp, ors, r.fromZnode);
}

/** Completes `tp`'s reassignment if every target replica is in the ISR. */
export async function maybeCompleteReassignment(env: StateMachineEnv, tp: TopicPartition): Promise<void> {
  const key = tpKey(tp.topic, tp.partition);
  const r = env.ctx.reassignments.get(key);
  const state = env.ctx.state(tp.topic, tp.partition);
  if (r === undefined || state === undefined || !r.target.every((id) => state.isr.includes(id))) return;
  env.ctx.reassignments.delete(key);
  env.ctx.setReplicas(tp.topic, tp.partition, r.target);
  const live = env.ctx.liveBrokerIds();
  let leader = state.leader;
  if (!r.target.includes(leader) || !live.has(leader))
    leader = r.target.find((id) => live.has(id) && state.isr.includes(id)) ?? leader;
  await writeLeadership(env, tp, state, { leader, leaderEpoch: state.leaderEpoch + 1, isr: state.isr });
  if (r.removing.length > 0) {
    for (const id of r.removing) env.batch.addStopReplica(id, tp, true);
    const current = env.ctx.state(tp.topic, tp.partition)!;
    const shrunk = removeReplicasFromIsr(current, r.removing);
    if (shrunk !== null) await writeLeadership(env, tp, current, shrunk);
  }
  await writeAssignment(env, tp.topic);
  if (r.fromZnode) await removeFromReassignZnode(env, tp);
  env.batch.addUpdateMetadata(env.ctx.brokers.keys(), [tp]);
  env.log.info(`Reassignment of ${tp.topic}-${tp.partition} to [${r.target.join(',')}] completed`);
}

/** Rewrites /brokers/topics/<t> from the context: replicas with the adding/removing of reassignments. */
async function writeAssignment(env: StateMachineEnv, topic: string): Promise<void> {
  const t = env.ctx.topics.get(topic);
  if (t === undefined) return;
  const adding = new Map<number, readonly number[]>();
  const removing = new Map<number, readonly number[]>();
  for (let p = 0; p < t.replicas.length; p++) {
    const r = env.ctx.reassignments.get(tpKey(topic, p));
    if (r === undefined) continue;
    adding.set(p, r.adding);
    removing.set(p, r.removing);
  }
  await checkedMulti(env.zk, env.epoch, [
    {
      op: 'set',
      path: ZkPaths.topic(topic),
      data: encodeTopicAssignment(t.replicas, t.topicId, adding, removing),
      version: -1,
    },
  ]);
}

/** The partitions and targets of /admin/reassign_partitions. */
export function decodeReassignZnode(text: string): ReassignmentRequest[] {
  const value = JSON.parse(text) as { partitions?: unknown };
  if (!Array.isArray(value.partitions)) return [];
  return value.partitions.flatMap((p: unknown) => {
    const o = p as { topic?: unknown; partition?: unknown; replicas?: unknown };
    return typeof o.topic === 'string' &&
      Number.isInteger(o.partition) &&
      Array.isArray(o.replicas) &&
      o.replicas.every((r) => Number.isInteger(r))
      ? [{ tp: { topic: o.topic, partition: o.partition as number }, target: o.replicas as number[] }]
      : [];
  });
}

const encodeReassignZnode = (requests: readonly ReassignmentRequest[]): string =>
  JSON.stringify({
    version: 1,
    partitions: requests.map((r) => ({ topic: r.tp.topic, partition: r.tp.partition, replicas: r.target })),
  });

/** Drops `tp` from /admin/reassign_partitions, deleting the znode when nothing is left. */
export async function removeFromReassignZnode(env: StateMachineEnv, ...tps: TopicPartition[]): Promise<void> {
  const node = await env.zk.get(REASSIGN_PATH);
  if (node === null) return;
  let requests: ReassignmentRequest[] = [];
  try {
    requests = decodeReassignZnode(node.data);
  } catch {
    // malformed: delete it
  }
  const left = requests.filter((r) => !tps.some((tp) => tp.topic === r.tp.topic && tp.partition === r.tp.partition));
  if (left.length === 0) await env.zk.remove(REASSIGN_PATH);
  else await env.zk.set(REASSIGN_PATH, encodeReassignZnode(left), node.version).catch(() => {});
}
