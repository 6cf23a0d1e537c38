/**
 * Kafka's ControllerBrokerRequestBatch: the control requests one controller event produces, collected
 * per target broker and sent together when the event is done (`sendRequests`), built from the context
 * as it then is.
 *
 * - LeaderAndIsr v5 (topic ids, flexible) to the replicas of each changed partition, with the target's
 *   broker epoch; adding one also sends UpdateMetadata for that partition to every registered broker,
 *   as Kafka does. liveLeaders lists the registered leaders of the partitions sent.
 * - UpdateMetadata v7 to the given brokers: every registered broker's endpoints, and the given
 *   partitions (or all); a partition being deleted goes with leader -2 (LeaderDuringDelete).
 * - StopReplica v3: per partition the leader epoch (-2 when deleting) and the delete flag.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { LeaderAndIsr } from '../../protocol/messages/04-leader-and-isr.js';
import { StopReplica } from '../../protocol/messages/05-stop-replica.js';
import { UpdateMetadata } from '../../protocol/messages/06-update-metadata.js';
import type { Logger } from '../logger.js';
import type { ControllerChannelManager } from './channel-manager.js';
import { type ControllerContext, type TopicPartition, tpKey } from './controller-context.js';

export const LEADER_AND_ISR_VERSION = 5;
export const UPDATE_METADATA_VERSION = 7;
export const STOP_REPLICA_VERSION = 3;
/** Kafka's LeaderAndIsr.LeaderDuringDelete and EpochDuringDelete. */
const LEADER_DURING_DELETE = -2;
const STALE_CONTROLLER_EPOCH = ErrorCode.STALE_CONTROLLER_EPOCH;
const EPOCH_DURING_DELETE = -2;

const SECURITY_PROTOCOL_IDS: Readonly<Record<string, number>> = {
  PLAINTEXT: 0,
  SSL: 1,
  SASL_PLAINTEXT: 2,
  SASL_SSL: 3,
};

interface LeaderAndIsrPartitionState {
  readonly partitionIndex: number;
  readonly controllerEpoch: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: number[];
  readonly partitionEpoch: number;
  readonly replicas: number[];
  readonly addingReplicas: number[];
  readonly removingReplicas: number[];
  readonly isNew: boolean;
}

export interface ControllerIdentity {
  readonly controllerId: number;
  readonly controllerEpoch: number;
}

export class ControllerRequestBatch {
  private readonly leaderAndIsr = new Map<number, Map<string, { tp: TopicPartition; isNew: boolean }>>();
  private readonly updateMetadataBrokers = new Set<number>();
  private readonly updateMetadataPartitions = new Map<string, TopicPartition>();
  private updateMetadataAll = false;
  private readonly deleting = new Set<string>();
  private readonly stopReplica = new Map<number, Map<string, { tp: TopicPartition; deletePartition: boolean }>>();

  constructor(private readonly ctx: ControllerContext) {}

  addLeaderAndIsr(brokers: Iterable<number>, tp: TopicPartition, isNew = false): void {
    for (const id of brokers) {
      if (!this.ctx.isRegistered(id)) continue;
      let m = this.leaderAndIsr.get(id);
      if (m === undefined) this.leaderAndIsr.set(id, (m = new Map()));
      const key = tpKey(tp.topic, tp.partition);
      m.set(key, { tp, isNew: isNew || (m.get(key)?.isNew ?? false) });
    }
    this.addUpdateMetadata(this.ctx.brokers.keys(), [tp]);
  }

  /** UpdateMetadata to `brokers` for `partitions` ('all': every partition). */
  addUpdateMetadata(brokers: Iterable<number>, partitions: Iterable<TopicPartition> | 'all'): void {
    for (const id of brokers) this.updateMetadataBrokers.add(id);
    if (partitions === 'all') this.updateMetadataAll = true;
    else for (const tp of partitions) this.updateMetadataPartitions.set(tpKey(tp.topic, tp.partition), tp);
  }

  /** UpdateMetadata to every registered broker announcing `partitions` with leader -2 (being deleted). */
  addUpdateMetadataDeleting(partitions: Iterable<TopicPartition>): void {
    const list = [...partitions];
    for (const tp of list) this.deleting.add(tpKey(tp.topic, tp.partition));
    this.addUpdateMetadata(this.ctx.brokers.keys(), list);
  }

  addStopReplica(brokerId: number, tp: TopicPartition, deletePartition: boolean): void {
    if (!this.ctx.isRegistered(brokerId)) return;
    let m = this.stopReplica.get(brokerId);
    if (m === undefined) this.stopReplica.set(brokerId, (m = new Map()));
    m.set(tpKey(tp.topic, tp.partition), { tp, deletePartition });
  }

  get isEmpty(): boolean {
    return this.leaderAndIsr.size === 0 && this.updateMetadataBrokers.size === 0 && this.stopReplica.size === 0;
  }

  /**
   * Queues every collected request on the channels: LeaderAndIsr, then UpdateMetadata, then
   * StopReplica, as Kafka's sendRequestsToBrokers; except that a full UpdateMetadata (failover, new
   * brokers) goes first, as Kafka sends it before the replicas' LeaderAndIsr there.
   */
  sendRequests(id: ControllerIdentity, channels: ControllerChannelManager, log: Logger): void {
    if (this.updateMetadataAll) this.sendUpdateMetadata(id, channels);
    for (const [brokerId, partitions] of this.leaderAndIsr) {
      const body = this.leaderAndIsrBody(id, brokerId, [...partitions.values()]);
      channels.send(brokerId, LeaderAndIsr, LEADER_AND_ISR_VERSION, body, (r) => {
        // STALE_CONTROLLER_EPOCH per partition is a broker already at that leader epoch (a failover
        // re-sends every state): expected, as in Kafka.
        const failed = r.topics.flatMap((t) =>
          t.partitionErrors.filter((p) => p.errorCode !== 0 && p.errorCode !== STALE_CONTROLLER_EPOCH),
        );
        if (r.errorCode !== 0 || failed.length > 0)
          log.warn(
            `LeaderAndIsr to broker ${brokerId}: error ${r.errorCode}, partition errors ` +
              failed.map((p) => `${p.topicName}-${p.partitionIndex}:${p.errorCode}`).join(','),
          );
      });
    }
    if (!this.updateMetadataAll) this.sendUpdateMetadata(id, channels);
    for (const [brokerId, partitions] of this.stopReplica) {
      const byTopic = new Map<string, { partitionIndex: number; leaderEpoch: number; deletePartition: boolean }[]>();
      for (const { tp, deletePartition } of partitions.values()) {
        const list = byTopic.get(tp.topic) ?? [];
        list.push({
          partitionIndex: tp.partition,
          leaderEpoch: deletePartition
            ? EPOCH_DURING_DELETE
            : (this.ctx.state(tp.topic, tp.partition)?.leaderEpoch ?? -1),
          deletePartition,
        });
        byTopic.set(tp.topic, list);
      }
      channels.send(brokerId, StopReplica, STOP_REPLICA_VERSION, {
        controllerId: id.controllerId,
        controllerEpoch: id.controllerEpoch,
        brokerEpoch: this.ctx.brokers.get(brokerId)?.epoch ?? -1,
        topicStates: [...byTopic].map(([topicName, partitionStates]) => ({ topicName, partitionStates })),
      });
    }
  }

  private sendUpdateMetadata(id: ControllerIdentity, channels: ControllerChannelManager): void {
    if (this.updateMetadataBrokers.size === 0) return;
    const partitions = this.updateMetadataAll
      ? [...this.ctx.allPartitions()]
      : [...this.updateMetadataPartitions.values()];
    for (const brokerId of this.updateMetadataBrokers) {
      if (!this.ctx.isRegistered(brokerId)) continue;
      channels.send(
        brokerId,
        UpdateMetadata,
        UPDATE_METADATA_VERSION,
        this.updateMetadataBody(id, brokerId, partitions),
      );
    }
  }

  private leaderAndIsrBody(
    id: ControllerIdentity,
    brokerId: number,
    partitions: readonly { tp: TopicPartition; isNew: boolean }[],
  ) {
    const byTopic = new Map<string, LeaderAndIsrPartitionState[]>();
    const leaders = new Set<number>();
    for (const { tp, isNew } of partitions) {
      const state = this.leaderAndIsrPartition(tp, isNew);
      if (state === null) continue;
      leaders.add(state.leader);
      const list = byTopic.get(tp.topic) ?? [];
      list.push(state);
      byTopic.set(tp.topic, list);
    }
    return {
      controllerId: id.controllerId,
      controllerEpoch: id.controllerEpoch,
      brokerEpoch: this.ctx.brokers.get(brokerId)?.epoch ?? -1,
      type: 0,
      topicStates: [...byTopic].map(([topicName, partitionStates]) => ({
        topicName,
        topicId: this.ctx.topics.get(topicName)!.topicId,
        partitionStates,
      })),
      liveLeaders: [...leaders].flatMap((leader) => {
        const b = this.ctx.brokers.get(leader);
        return b === undefined ? [] : [{ brokerId: leader, hostName: b.registration.host, port: b.registration.port }];
      }),
    };
  }

  private leaderAndIsrPartition(tp: TopicPartition, isNew: boolean): LeaderAndIsrPartitionState | null {
    const state = this.ctx.state(tp.topic, tp.partition);
    if (state === undefined || !this.ctx.topics.has(tp.topic)) return null;
    return {
      partitionIndex: tp.partition,
      controllerEpoch: state.controllerEpoch,
      leader: state.leader,
      leaderEpoch: state.leaderEpoch,
      isr: [...state.isr],
      partitionEpoch: state.zkVersion,
      replicas: [...this.ctx.replicas(tp.topic, tp.partition)],
      addingReplicas: [],
      removingReplicas: [],
      isNew,
    };
  }

  private updateMetadataBody(id: ControllerIdentity, brokerId: number, partitions: readonly TopicPartition[]) {
    const byTopic = new Map<string, object[]>();
    for (const tp of partitions) {
      const state = this.ctx.state(tp.topic, tp.partition);
      if (state === undefined || !this.ctx.topics.has(tp.topic)) continue;
      const replicas = this.ctx.replicas(tp.topic, tp.partition);
      const deleting = this.deleting.has(tpKey(tp.topic, tp.partition));
      const list = byTopic.get(tp.topic) ?? [];
      list.push({
        partitionIndex: tp.partition,
        controllerEpoch: state.controllerEpoch,
        leader: deleting ? LEADER_DURING_DELETE : state.leader,
        leaderEpoch: state.leaderEpoch,
        isr: [...state.isr],
        zkVersion: state.zkVersion,
        replicas: [...replicas],
        offlineReplicas: replicas.filter((r) => !this.ctx.isRegistered(r)),
      });
      byTopic.set(tp.topic, list);
    }
    return {
      controllerId: id.controllerId,
      controllerEpoch: id.controllerEpoch,
      brokerEpoch: this.ctx.brokers.get(brokerId)?.epoch ?? -1,
      topicStates: [...byTopic].map(([topicName, partitionStates]) => ({
        topicName,
        topicId: this.ctx.topics.get(topicName)!.topicId,
        partitionStates,
      })),
      liveBrokers: [...this.ctx.brokers.values()]
        .sort((a, b) => a.registration.brokerId - b.registration.brokerId)
        .map((b) => ({
          id: b.registration.brokerId,
          endpoints: b.registration.endpoints.map((e) => ({
            port: e.port,
            host: e.host,
            listener: e.listenerName,
            securityProtocol: SECURITY_PROTOCOL_IDS[e.securityProtocol] ?? 0,
          })),
          rack: b.registration.rack,
        })),
    };
  }
}
