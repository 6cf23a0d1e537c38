/**
 * The `__consumer_offsets` topic as the coordinator sees it: created on first use, and the set of its
 * partitions this broker leads, each loaded into the GroupMetadataManager when leadership arrives
 * (Kafka's onElection) and unloaded when it leaves (onResignation).
 *
 * - Created with `offsets.topic.num.partitions` partitions, `cleanup.policy=compact`,
 *   `segment.bytes=offsets.topic.segment.bytes` and `compression.type=producer`, as Kafka does. The
 *   replication factor is `offsets.topic.replication.factor` capped at the number of live brokers
 *   (with a warning): Kafka 0.11+ refuses instead, which leaves a fresh single broker with the default
 *   of 3 unable to serve any group (Kafka's own server.properties sets it to 1 for that reason).
 * - Loads run one partition at a time, in the order leadership arrived, off the request path; while
 *   a partition loads, its groups answer COORDINATOR_LOAD_IN_PROGRESS. A load whose leadership ended
 *   meanwhile is discarded.
 * - Standalone, leadership follows the metadata store's events, delivered after the ReplicaManager
 *   (which subscribed first) has applied them, so the partition's log exists when a load starts. In
 *   cluster mode it follows the controller's LeaderAndIsr and StopReplica as the ReplicaManager applies
 *   them (`leadership`), so a group's coordinator moves with its partition's leader and reloads there.
 */
import type { Logger } from '../logger.js';
import type { MetadataEvent } from '../metadata/events.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { GROUP_METADATA_TOPIC_NAME } from '../metadata/topic-name.js';
import type { TopicMetadata } from '../metadata/types.js';
import type { Partition } from '../partition.js';
import type { LeadershipListener } from '../replication/replica-state-changes.js';
import type { CoordinatorLog } from './coordinator-log.js';
import type { GroupConfig } from './group-config.js';
import type { GroupCoordinator } from './group-coordinator.js';
import { loadPartition } from './group-loader.js';

/** Creates `__consumer_offsets` if it does not exist; returns the topic, or undefined if creation failed. */
export async function ensureOffsetsTopic(
  metadata: MetadataStore,
  config: GroupConfig,
  logger: Logger,
): Promise<TopicMetadata | undefined> {
  const existing = metadata.topic(GROUP_METADATA_TOPIC_NAME);
  if (existing !== undefined) return existing;
  const live = metadata.liveBrokers().length;
  const replicationFactor = Math.max(1, Math.min(config.offsetsTopicReplicationFactor, live));
  if (replicationFactor < config.offsetsTopicReplicationFactor) {
    logger.warn(
      `Creating ${GROUP_METADATA_TOPIC_NAME} with replication factor ${replicationFactor}: ` +
        `offsets.topic.replication.factor is ${config.offsetsTopicReplicationFactor} but only ${live} broker(s) are alive`,
    );
  }
  const [result] = await metadata.createTopics([
    {
      name: GROUP_METADATA_TOPIC_NAME,
      numPartitions: config.offsetsTopicNumPartitions,
      replicationFactor,
      assignments: [],
      configs: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'segment.bytes', value: String(config.offsetsTopicSegmentBytes) },
        { name: 'compression.type', value: 'producer' },
      ],
    },
  ]);
  if (result?.topic) {
    logger.info(`Created ${GROUP_METADATA_TOPIC_NAME} with ${result.topic.partitions.length} partitions`);
    return result.topic;
  }
  const again = metadata.topic(GROUP_METADATA_TOPIC_NAME);
  if (again === undefined)
    logger.warn(`Could not create ${GROUP_METADATA_TOPIC_NAME}: error ${result?.errorCode} ${result?.errorMessage}`);
  return again;
}

/** Cluster mode's source of leadership: ReplicaStateChanges.onLeadershipChange. */
export type LeadershipSource = (listener: LeadershipListener) => () => void;

export class OffsetsTopicPartitions {
  /** Partitions whose load has been requested and not undone, with the leader epoch it was for. */
  private readonly led = new Map<number, number>();
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly brokerId: number,
    private readonly metadata: MetadataStore,
    private readonly log: CoordinatorLog,
    private readonly coordinator: GroupCoordinator,
    private readonly logger: Logger,
    private readonly leadership: LeadershipSource | null = null,
  ) {}

  startup(): void {
    if (this.leadership !== null) {
      this.unsubscribe = this.leadership((led, resigned) => this.onLeadershipChange(led, resigned));
      return;
    }
    const topic = this.metadata.topic(GROUP_METADATA_TOPIC_NAME);
    if (topic !== undefined) this.follow(topic);
    this.unsubscribe = this.metadata.subscribe((event) => this.onMetadata(event));
  }

  shutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Resolves once every load requested so far has finished (tests, and startup logging). */
  whenLoaded(): Promise<void> {
    return this.queue;
  }

  private onMetadata(event: MetadataEvent): void {
    switch (event.type) {
      case 'topicCreated':
      case 'partitionsCreated':
      case 'partitionStateChanged':
        if (event.topic.name === GROUP_METADATA_TOPIC_NAME) this.follow(event.topic);
        break;
      case 'topicDeleted':
        if (event.topic.name === GROUP_METADATA_TOPIC_NAME) for (const p of [...this.led.keys()]) this.resign(p);
        break;
      default:
        break;
    }
  }

  private onLeadershipChange(led: readonly Partition[], resigned: Parameters<LeadershipListener>[1]): void {
    for (const p of led) if (p.topic === GROUP_METADATA_TOPIC_NAME) this.elect(p.partition, p.leaderEpoch);
    for (const p of resigned)
      if (p.topic === GROUP_METADATA_TOPIC_NAME && this.led.has(p.partition)) this.resign(p.partition);
  }

  private follow(topic: TopicMetadata): void {
    for (const p of topic.partitions) {
      const leads = p.leader === this.brokerId;
      const current = this.led.get(p.partition);
      if (leads && current !== p.leaderEpoch) this.elect(p.partition, p.leaderEpoch);
      else if (!leads && current !== undefined) this.resign(p.partition);
    }
  }

  private elect(partition: number, leaderEpoch: number): void {
    const manager = this.coordinator.manager;
    if (this.led.has(partition)) this.resign(partition);
    this.led.set(partition, leaderEpoch);
    manager.markLoading(partition);
    const wanted = () => !this.stopped && this.led.get(partition) === leaderEpoch;
    this.queue = this.queue.then(async () => {
      if (!wanted()) return;
      const leader = this.log.leaderLog(partition);
      if (leader === undefined) {
        this.logger.warn(`${GROUP_METADATA_TOPIC_NAME}-${partition} has no local leader log to load`);
        manager.unloadPartition(partition);
        return;
      }
      const started = Date.now();
      try {
        const loaded = await loadPartition(leader.log, manager.config.offsetsLoadBufferSize, this.logger, wanted);
        if (loaded === null || !wanted()) return;
        const groups = manager.completeLoad(partition, loaded);
        this.coordinator.onGroupsLoaded(groups);
        if (loaded.records > 0 || groups.length > 0) {
          this.logger.info(
            `Finished loading offsets and group metadata from ${leader.log.name} in ${Date.now() - started} ms ` +
              `for epoch ${leaderEpoch}: ${groups.length} groups, ${loaded.records} records` +
              (loaded.skipped > 0 ? `, ${loaded.skipped} unreadable records skipped` : ''),
          );
        }
      } catch (err) {
        // Groups of this partition answer NOT_COORDINATOR rather than loading forever.
        this.logger.error(`Loading ${leader.log.name} failed: ${String(err)}`);
        if (wanted()) manager.unloadPartition(partition);
      }
    });
  }

  private resign(partition: number): void {
    this.led.delete(partition);
    const groups = this.coordinator.manager.unloadPartition(partition);
    this.coordinator.onGroupsUnloaded(groups);
    if (groups.length > 0)
      this.logger.info(`Unloaded ${groups.length} groups of ${GROUP_METADATA_TOPIC_NAME}-${partition}`);
  }
}
