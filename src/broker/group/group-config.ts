/**
 * The coordinator's settings, read once from the broker config (Kafka's GroupConfig and
 * OffsetConfig). Names are Kafka's keys in camelCase.
 */
import type { BrokerConfig } from '../config/broker-config.js';
import { CompressionType } from '../../protocol/records/index.js';

export interface GroupConfig {
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly groupMaxSize: number;
  readonly offsetMetadataMaxBytes: number;
  readonly offsetsLoadBufferSize: number;
  readonly offsetsRetentionMs: number;
  readonly offsetsRetentionCheckIntervalMs: number;
  readonly offsetsTopicNumPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsTopicSegmentBytes: number;
  readonly offsetsTopicCompressionCodec: CompressionType;
  /** KIP-848 consumer groups: heartbeat interval and session timeout given to every member. */
  readonly groupConsumerHeartbeatIntervalMs: number;
  readonly groupConsumerSessionTimeoutMs: number;
  /** Server-side assignor names; the first is the default. */
  readonly groupConsumerAssignors: readonly string[];
  readonly groupConsumerMaxSize: number;
}

/** How long a new member may sit in a JoinGroup that never completes (Kafka's NewMemberJoinTimeoutMs). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export const DEFAULT_GROUP_CONFIG: GroupConfig = Object.freeze({
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3000,
  groupMaxSize: 2147483647,
  offsetMetadataMaxBytes: 4096,
  offsetsLoadBufferSize: 5 * 1024 * 1024,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetsTopicNumPartitions: 50,
  offsetsTopicReplicationFactor: 3,
  offsetsTopicSegmentBytes: 104_857_600,
  offsetsTopicCompressionCodec: CompressionType.NONE,
  groupConsumerHeartbeatIntervalMs: 5000,
  groupConsumerSessionTimeoutMs: 45_000,
  groupConsumerAssignors: ['uniform', 'range'],
  groupConsumerMaxSize: 2147483647,
});

export function groupConfigOf(config: BrokerConfig): GroupConfig {
  const codec = config.get('offsets.topic.compression.codec');
  return Object.freeze({
    groupMinSessionTimeoutMs: config.get('group.min.session.timeout.ms'),
    groupMaxSessionTimeoutMs: config.get('group.max.session.timeout.ms'),
    groupInitialRebalanceDelayMs: config.get('group.initial.rebalance.delay.ms'),
    groupMaxSize: config.get('group.max.size'),
    offsetMetadataMaxBytes: config.get('offset.metadata.max.bytes'),
    offsetsLoadBufferSize: config.get('offsets.load.buffer.size'),
    offsetsRetentionMs: config.get('offsets.retention.minutes') * 60_000,
    offsetsRetentionCheckIntervalMs: config.get('offsets.retention.check.interval.ms'),
    offsetsTopicNumPartitions: config.get('offsets.topic.num.partitions'),
    offsetsTopicReplicationFactor: config.get('offsets.topic.replication.factor'),
    offsetsTopicSegmentBytes: config.get('offsets.topic.segment.bytes'),
    offsetsTopicCompressionCodec: codec >= 0 && codec <= 4 ? (codec as CompressionType) : CompressionType.NONE,
    groupConsumerHeartbeatIntervalMs: config.get('group.consumer.heartbeat.interval.ms'),
    groupConsumerSessionTimeoutMs: config.get('group.consumer.session.timeout.ms'),
    groupConsumerAssignors: config.get('group.consumer.assignors'),
    groupConsumerMaxSize: config.get('group.consumer.max.size'),
  });
}
