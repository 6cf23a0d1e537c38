import type { LogManager } from '../log/log-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import type { GroupCoordinator } from './group/group-coordinator.js';
import type { Logger } from './logger.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import type { ProducerIdManager } from './producer/producer-id-manager.js';
import type { ReplicaManager } from './replica-manager.js';
import type { KafkaController } from './controller/kafka-controller.js';

/** What handlers are built from: the broker's owners of state, each the single writer of its part. */
export interface BrokerServices {
  readonly brokerId: number;
  readonly config: BrokerConfig;
  readonly metadata: MetadataStore;
  readonly replicaManager: ReplicaManager;
  readonly logManager: LogManager;
  readonly log: Logger;
  /** Allocates producer ids (InitProducerId; later the transaction coordinator). */
  readonly producerIdManager: ProducerIdManager;
  /** Consumer groups and committed offsets (src/broker/group/). */
  readonly groupCoordinator: GroupCoordinator;
  /** Cluster mode only: this broker's ZooKeeper-mode controller (active on one broker at a time). */
  readonly controller?: KafkaController;
}
