/**
 * The controller's orders to this broker's replicas (Kafka's ReplicaManager.becomeLeaderOrFollower,
 * makeLeaders, makeFollowers, stopReplicas and the controller-epoch fence), applied synchronously: no
 * await between reading a partition's epochs and changing its role.
 *
 * LeaderAndIsr, per partition (after the request-wide fence: an epoch below the highest seen answers
 * STALE_CONTROLLER_EPOCH for every partition and changes nothing):
 * - a partition this broker does not host is created (log included) if the replica set names it;
 * - a topic id differing from the hosted partition's is INCONSISTENT_TOPIC_ID;
 * - a newer leader epoch, or the same epoch with a newer partition epoch (an ISR change), is applied:
 *   if the replica set does not name this broker, UNKNOWN_TOPIC_OR_PARTITION; the leader makes
 *   itself leader (its fetcher stops), others follow: fetcher removed, delayed requests woken, fetcher
 *   added for the new leader starting Truncating at the high watermark. A follower whose leader has no
 *   known endpoint only gets its log (Kafka: the leader must be alive).
 * - an older leader epoch, or the same epochs again, is STALE_CONTROLLER_EPOCH.
 * StopReplica: a leader epoch -2 (deletion), -1 (none given) or >= the hosted one stops the fetcher
 * and, with deletePartition, removes the partition and deletes its log (also a log not hosted);
 * an older epoch is FENCED_LEADER_EPOCH.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { errorCodeOf } from '../error-codes.js';
import type { Logger } from '../logger.js';
import type { LeaderAndIsrState, Partition } from '../partition.js';
import type { BrokerEndpoints } from './broker-endpoints.js';
import { ControllerEpochFence } from './controller-epoch-fence.js';
import { tpKey } from './leader-endpoint.js';
import type { ReplicaFetcherManager } from './replica-fetcher-manager.js';
import type { BrokerEndPoint, InitialFetchState } from './types.js';

export interface LeaderAndIsrPartitionState extends LeaderAndIsrState {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
}

export interface ControllerRequestResult {
  readonly errorCode: number;
  readonly partitions: readonly PartitionResult[];
}

export interface StopReplicaPartitionState {
  readonly topic: string;
  readonly partition: number;
  /** -2: the topic is being deleted; -1: not given (StopReplica < v3). */
  readonly leaderEpoch: number;
  readonly deletePartition: boolean;
}

/** What the state changes need of the ReplicaManager that owns the partitions. */
export interface ReplicaHost {
  readonly brokerId: number;
  getPartition(topic: string, partition: number): Partition | undefined;
  /** Creates the partition and its log, with no role yet (leader -1, epochs -1). */
  createPartition(topic: string, partition: number, topicId: string, replicas: readonly number[]): Partition;
  /** Forgets the partition (if hosted) and deletes its log (if any). */
  deletePartition(topic: string, partition: number): void;
  /** Wakes the delayed fetches and produces watching the partition. */
  completeDelayedRequests(topic: string, partition: number): void;
}

/**
 * Kafka's onLeadershipChange: the partitions a LeaderAndIsr made this broker lead (new leader or new
 * epoch), and those it no longer leads: made follower (new leader or epoch) by a LeaderAndIsr, or
 * stopped by a StopReplica (Kafka's onResignation). Called after the change is applied. For
 * coordinators that load their state from the partitions they lead (__consumer_offsets).
 */
export type LeadershipListener = (
  becameLeader: readonly Partition[],
  resigned: readonly { readonly topic: string; readonly partition: number }[],
) => void;

const EPOCH_DURING_DELETE = -2;
const NO_EPOCH = -1;

export class ReplicaStateChanges {
  readonly fence = new ControllerEpochFence();
  private readonly leadershipListeners = new Set<LeadershipListener>();

  constructor(
    private readonly host: ReplicaHost,
    private readonly fetchers: ReplicaFetcherManager,
    private readonly endpoints: BrokerEndpoints,
    private readonly log: Logger,
  ) {}

  becomeLeaderOrFollower(
    controllerId: number,
    controllerEpoch: number,
    states: readonly LeaderAndIsrPartitionState[],
    topicIds: ReadonlyMap<string, string>,
    liveLeaders: readonly BrokerEndPoint[],
  ): ControllerRequestResult {
    if (this.fence.isStale(controllerEpoch)) {
      this.log.warn(
        `Ignoring LeaderAndIsr from controller ${controllerId} with epoch ${controllerEpoch}: ` +
          `the latest known controller epoch is ${this.fence.controllerEpoch}`,
      );
      return allFailed(states, ErrorCode.STALE_CONTROLLER_EPOCH);
    }
    this.fence.accept(controllerEpoch);
    this.endpoints.updateLiveLeaders(liveLeaders);
    const results = new Map<string, PartitionResult>();
    const toLead: [Partition, LeaderAndIsrPartitionState][] = [];
    const toFollow: [Partition, LeaderAndIsrPartitionState][] = [];
    const me = this.host.brokerId;
    for (const s of states) {
      const answer = (errorCode: number) =>
        results.set(tpKey(s.topic, s.partition), { topic: s.topic, partition: s.partition, errorCode });
      const requestTopicId = nonZero(topicIds.get(s.topic));
      let partition = this.host.getPartition(s.topic, s.partition);
      if (partition !== undefined && requestTopicId !== null && partition.topicId !== ZERO_UUID) {
        if (partition.topicId !== requestTopicId) {
          this.log.error(
            `Topic id ${requestTopicId} in LeaderAndIsr for ${s.topic}-${s.partition} differs from ` +
              `the hosted partition's ${partition.topicId}`,
          );
          answer(ErrorCode.INCONSISTENT_TOPIC_ID);
          continue;
        }
      }
      const currentEpoch = partition?.leaderEpoch ?? NO_EPOCH;
      const newer =
        partition === undefined ||
        s.leaderEpoch > currentEpoch ||
        (s.leaderEpoch === currentEpoch && s.partitionEpoch > partition.partitionEpoch);
      if (!newer) {
        this.log.info(
          `Ignoring LeaderAndIsr for ${s.topic}-${s.partition}: leader epoch ${s.leaderEpoch} ` +
            `(partition epoch ${s.partitionEpoch}) is not newer than the current ${currentEpoch}`,
        );
        answer(ErrorCode.STALE_CONTROLLER_EPOCH);
        continue;
      }
      if (!s.replicas.includes(me)) {
        this.log.warn(
          `Ignoring LeaderAndIsr for ${s.topic}-${s.partition}: this broker is not in the replica ` +
            `list [${s.replicas.join(',')}]`,
        );
        answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        continue;
      }
      try {
        partition ??= this.host.createPartition(s.topic, s.partition, requestTopicId ?? ZERO_UUID, s.replicas);
      } catch (err) {
        this.log.error(`Cannot create the log of ${s.topic}-${s.partition}: ${String(err)}`);
        answer(ErrorCode.KAFKA_STORAGE_ERROR);
        continue;
      }
      answer(ErrorCode.NONE);
      (s.leader === me ? toLead : toFollow).push([partition, s]);
    }
    const led = this.makeLeaders(toLead, results);
    const followed = this.makeFollowers(toFollow, results);
    this.fetchers.shutdownIdleFetchers();
    this.notifyLeadership(led, followed);
    return { errorCode: ErrorCode.NONE, partitions: [...results.values()] };
  }

  private notifyLeadership(
    led: readonly Partition[],
    resigned: readonly { readonly topic: string; readonly partition: number }[],
  ): void {
    if (led.length + resigned.length === 0) return;
    for (const listener of [...this.leadershipListeners]) {
      try {
        listener(led, resigned);
      } catch (err) {
        this.log.error(`A leadership listener failed: ${String(err)}`);
      }
    }
  }

  /** Subscribes to leadership changes made by LeaderAndIsr; returns the unsubscribe. */
  onLeadershipChange(listener: LeadershipListener): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }

  private makeLeaders(
    toLead: readonly [Partition, LeaderAndIsrPartitionState][],
    results: Map<string, PartitionResult>,
  ): Partition[] {
    const led: Partition[] = [];
    if (toLead.length === 0) return led;
    this.fetchers.removeFetcherForPartitions(toLead.map(([p]) => tpKey(p.topic, p.partition)));
    for (const [partition, s] of toLead) {
      try {
        if (partition.makeLeader(s)) {
          this.log.info(`Leader ${s.topic}-${s.partition} at leader epoch ${s.leaderEpoch}`);
          led.push(partition);
        }
      } catch (err) {
        this.storageError(results, s, 'become leader', err);
      }
      this.host.completeDelayedRequests(s.topic, s.partition);
    }
    return led;
  }

  private makeFollowers(
    toFollow: readonly [Partition, LeaderAndIsrPartitionState][],
    results: Map<string, PartitionResult>,
  ): Partition[] {
    if (toFollow.length === 0) return [];
    const started: { partition: Partition; leader: BrokerEndPoint }[] = [];
    for (const [partition, s] of toFollow) {
      const leader = s.leader >= 0 ? this.endpoints.endpointOf(s.leader) : undefined;
      if (leader === undefined) {
        this.log.error(
          `Cannot follow ${s.topic}-${s.partition}: leader ${s.leader} has no known endpoint; ` +
            `the log stays, without a fetcher`,
        );
        continue;
      }
      try {
        if (partition.makeFollower(s)) started.push({ partition, leader });
      } catch (err) {
        this.storageError(results, s, 'become follower', err);
      }
    }
    const keys = started.map(({ partition: p }) => tpKey(p.topic, p.partition));
    this.fetchers.removeFetcherForPartitions(keys);
    for (const { partition: p } of started) this.host.completeDelayedRequests(p.topic, p.partition);
    const initial: InitialFetchState[] = started.map(({ partition: p, leader }) => ({
      topic: p.topic,
      partition: p.partition,
      topicId: p.topicId,
      leader,
      currentLeaderEpoch: p.leaderEpoch,
      initOffset: p.log.highWatermark,
      replica: p,
    }));
    if (initial.length > 0) this.fetchers.addFetcherForPartitions(initial);
    return started.map(({ partition }) => partition);
  }

  private storageError(
    results: Map<string, PartitionResult>,
    s: LeaderAndIsrPartitionState,
    what: string,
    err: unknown,
  ): void {
    this.log.error(`${s.topic}-${s.partition} could not ${what}: ${String(err)}`);
    const code = errorCodeOf(err);
    results.set(tpKey(s.topic, s.partition), {
      topic: s.topic,
      partition: s.partition,
      errorCode: code === ErrorCode.UNKNOWN_SERVER_ERROR ? ErrorCode.KAFKA_STORAGE_ERROR : code,
    });
  }

  stopReplicas(
    controllerId: number,
    controllerEpoch: number,
    states: readonly StopReplicaPartitionState[],
  ): ControllerRequestResult {
    if (this.fence.isStale(controllerEpoch)) {
      this.log.warn(
        `Ignoring StopReplica from controller ${controllerId} with epoch ${controllerEpoch}: ` +
          `the latest known controller epoch is ${this.fence.controllerEpoch}`,
      );
      return allFailed(states, ErrorCode.STALE_CONTROLLER_EPOCH);
    }
    this.fence.accept(controllerEpoch);
    const results: PartitionResult[] = [];
    const stopped: StopReplicaPartitionState[] = [];
    for (const s of states) {
      const hosted = this.host.getPartition(s.topic, s.partition);
      const e = s.leaderEpoch;
      if (hosted === undefined || e === EPOCH_DURING_DELETE || e === NO_EPOCH || e >= hosted.leaderEpoch) {
        stopped.push(s);
      } else {
        this.log.warn(
          `Ignoring StopReplica for ${s.topic}-${s.partition}: leader epoch ${e} is older than ${hosted.leaderEpoch}`,
        );
        results.push({ topic: s.topic, partition: s.partition, errorCode: ErrorCode.FENCED_LEADER_EPOCH });
      }
    }
    this.fetchers.removeFetcherForPartitions(stopped.map((s) => tpKey(s.topic, s.partition)));
    for (const s of stopped) {
      let errorCode: number = ErrorCode.NONE;
      if (s.deletePartition) {
        try {
          this.host.deletePartition(s.topic, s.partition);
        } catch (err) {
          this.log.error(`Cannot delete the log of ${s.topic}-${s.partition}: ${String(err)}`);
          errorCode = ErrorCode.KAFKA_STORAGE_ERROR;
        }
      }
      this.host.completeDelayedRequests(s.topic, s.partition);
      results.push({ topic: s.topic, partition: s.partition, errorCode });
    }
    this.fetchers.shutdownIdleFetchers();
    this.notifyLeadership([], stopped);
    return { errorCode: ErrorCode.NONE, partitions: results };
  }
}

function allFailed(
  states: readonly { readonly topic: string; readonly partition: number }[],
  errorCode: number,
): ControllerRequestResult {
  return { errorCode, partitions: states.map((s) => ({ topic: s.topic, partition: s.partition, errorCode })) };
}

function nonZero(topicId: string | undefined): string | null {
  return topicId === undefined || topicId === ZERO_UUID ? null : topicId;
}
