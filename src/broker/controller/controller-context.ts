/**
 * The active controller's view of the cluster (Kafka's ControllerContext), owned by the controller's
 * event queue: only an event reads or changes it.
 *
 * - Brokers: every registered broker (`/brokers/ids/<id>`) with its epoch (the czxid of that znode);
 *   those that asked for a controlled shutdown are still registered but no longer "live" for elections.
 * - Topics: assignment per partition (replica lists, preferred first) and topic id.
 * - States: per partition, the state znode's content and data version (zkVersion = partition epoch);
 *   absent while the partition has none yet (NewPartition: no live replica when it was created).
 */
import type { BrokerRegistration } from '../metadata/types.js';
import type { LeaderAndIsr } from './elections.js';

export interface LiveBroker {
  readonly registration: BrokerRegistration;
  /** czxid of /brokers/ids/<id>: Kafka's broker epoch, sent in every control request. */
  readonly epoch: number;
}

export interface ControllerTopic {
  readonly name: string;
  readonly topicId: string;
  /** Indexed by partition. */
  readonly replicas: readonly (readonly number[])[];
}

export interface PartitionLeadership extends LeaderAndIsr {
  readonly controllerEpoch: number;
  /** Data version of the state znode: the partition epoch. */
  readonly zkVersion: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition reassignment in progress (Kafka's ReplicaAssignment with adding/removing replicas). */
export interface Reassignment {
  readonly tp: TopicPartition;
  readonly target: readonly number[];
  readonly adding: readonly number[];
  readonly removing: readonly number[];
  /** Started from /admin/reassign_partitions (removed from it when done), not the API. */
  readonly fromZnode: boolean;
}

export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class ControllerContext {
  readonly brokers = new Map<number, LiveBroker>();
  readonly shuttingDown = new Set<number>();
  readonly topics = new Map<string, ControllerTopic>();
  readonly reassignments = new Map<string, Reassignment>();
  private readonly states = new Map<string, PartitionLeadership>();

  /** Brokers that may lead or join an ISR: registered and not shutting down. */
  liveBrokerIds(): Set<number> {
    return new Set([...this.brokers.keys()].filter((id) => !this.shuttingDown.has(id)));
  }

  isRegistered(id: number): boolean {
    return this.brokers.has(id);
  }

  state(topic: string, partition: number): PartitionLeadership | undefined {
    return this.states.get(tpKey(topic, partition));
  }

  setState(topic: string, partition: number, state: PartitionLeadership): void {
    this.states.set(tpKey(topic, partition), state);
  }

  removeTopic(name: string): void {
    const t = this.topics.get(name);
    if (t === undefined) return;
    for (let p = 0; p < t.replicas.length; p++) {
      this.states.delete(tpKey(name, p));
      this.reassignments.delete(tpKey(name, p));
    }
    this.topics.delete(name);
  }

  replicas(topic: string, partition: number): readonly number[] {
    return this.topics.get(topic)?.replicas[partition] ?? [];
  }

  /** Every partition, topic by topic in name order. */
  *allPartitions(): Generator<TopicPartition> {
    for (const name of [...this.topics.keys()].sort()) {
      const t = this.topics.get(name)!;
      for (let partition = 0; partition < t.replicas.length; partition++) yield { topic: name, partition };
    }
  }

  partitionsOnBroker(id: number): TopicPartition[] {
    return [...this.allPartitions()].filter((tp) => this.replicas(tp.topic, tp.partition).includes(id));
  }

  partitionsLedBy(id: number): TopicPartition[] {
    return [...this.allPartitions()].filter((tp) => this.state(tp.topic, tp.partition)?.leader === id);
  }

  clear(): void {
    this.brokers.clear();
    this.shuttingDown.clear();
    this.topics.clear();
    this.states.clear();
    this.reassignments.clear();
  }

  /** Sets one partition's replica list (a reassignment moving on). */
  setReplicas(topic: string, partition: number, replicas: readonly number[]): void {
    const t = this.topics.get(topic);
    if (t === undefined) return;
    const all = [...t.replicas];
    all[partition] = replicas;
    this.topics.set(topic, { ...t, replicas: all });
  }
}
