/**
 * The group coordinator, wired: its parts are described in README.md beside this file.
 */
import type { ReplicaManager } from '../replica-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { Logger } from '../logger.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { GROUP_METADATA_TOPIC_NAME } from '../metadata/topic-name.js';
import { ReplicaCoordinatorLog } from './coordinator-log.js';
import { groupConfigOf } from './group-config.js';
import { GroupCoordinator } from './group-coordinator.js';
import type { TopicView } from './consumer/consumer-group-coordinator.js';
import { GroupMetadataManager } from './group-metadata-manager.js';
import { OffsetsTopicPartitions } from './offsets-topic.js';
import { SystemScheduler, type Scheduler, type TimerHandle } from './scheduler.js';

export { GroupCoordinator } from './group-coordinator.js';
export { ensureOffsetsTopic } from './offsets-topic.js';

export interface GroupCoordinatorDeps {
  readonly brokerId: number;
  readonly config: BrokerConfig;
  readonly metadata: MetadataStore;
  readonly replicaManager: ReplicaManager;
  readonly log: Logger;
  readonly scheduler?: Scheduler;
}

/**
 * Builds the coordinator and starts following `__consumer_offsets`: partitions this broker leads are
 * loaded (asynchronously), and offset expiration runs every offsets.retention.check.interval.ms.
 * `GroupCoordinator.shutdown()` undoes all of it.
 */
export function startGroupCoordinator(deps: GroupCoordinatorDeps): GroupCoordinator {
  const config = groupConfigOf(deps.config);
  const scheduler = deps.scheduler ?? new SystemScheduler();
  const logger = deps.log.child('GroupCoordinator');
  const coordinatorLog = new ReplicaCoordinatorLog(deps.replicaManager, config.offsetsTopicCompressionCodec, logger);
  const partitionCount = () =>
    deps.metadata.topic(GROUP_METADATA_TOPIC_NAME)?.partitions.length ?? config.offsetsTopicNumPartitions;
  const manager = new GroupMetadataManager(config, coordinatorLog, scheduler, logger, partitionCount);
  const topics: TopicView = {
    topic: (name) => {
      const t = deps.metadata.topic(name);
      return t === undefined ? undefined : { topicId: t.topicId, partitionCount: t.partitions.length };
    },
    topicById: (id) => {
      const t = deps.metadata.topicById(id);
      return t === undefined ? undefined : { name: t.name, partitionCount: t.partitions.length };
    },
    // Every topic, internal ones too: Kafka 4 resolves a broker-side regex over all of them.
    topicNames: () => deps.metadata.topics().map((t) => t.name),
  };
  const coordinator = new GroupCoordinator(manager, logger, topics);
  // Cluster mode: __consumer_offsets leadership comes from the controller, through the ReplicaManager.
  const stateChanges = deps.replicaManager.stateChanges;
  const leadership = deps.config.zookeeperConnect === null ? null : stateChanges.onLeadershipChange.bind(stateChanges);
  const partitions = new OffsetsTopicPartitions(
    deps.brokerId,
    deps.metadata,
    coordinatorLog,
    coordinator,
    logger,
    leadership,
  );
  partitions.startup();
  let cleanup: TimerHandle | null = null;
  const scheduleCleanup = () => {
    cleanup = scheduler.schedule(config.offsetsRetentionCheckIntervalMs, () => {
      manager.cleanupGroupMetadata();
      scheduleCleanup();
    });
  };
  scheduleCleanup();
  coordinator.addShutdownHook(() => {
    cleanup?.cancel();
    partitions.shutdown();
  });
  coordinator.setLoadTracker(() => partitions.whenLoaded());
  return coordinator;
}
