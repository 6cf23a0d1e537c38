/**
 * The topic config table (Kafka's TopicConfig names, LogConfig's types and validators). A topic's
 * default for a key comes from the broker keys in `synonyms`, in that order (Kafka's
 * ServerTopicConfigSynonyms); `default` is the value when the broker keys are at their own defaults.
 */
import { metadataVersion } from './metadata-version.js';
import type { TopicKeyDef, ValuesOf } from './types.js';
import { atLeast, between, gzipLevel, listOf, oneOf, throttledReplicas } from './validators.js';

const LONG_MAX = '9223372036854775807';
const NO_TIERED_STORAGE = 'Samsa has no tiered storage.';

export const TOPIC_CONFIGS = {
  'segment.bytes': {
    type: 'int',
    default: '1073741824',
    importance: 'medium',
    doc: 'Size at which a segment file is closed and a new one started.',
    validator: atLeast(14),
    synonyms: ['log.segment.bytes'],
  },
  'segment.ms': {
    type: 'long',
    default: '604800000',
    importance: 'medium',
    doc: 'Age at which a segment is rolled even if not full, so that retention can delete it.',
    validator: atLeast(1),
    synonyms: ['log.roll.ms', 'log.roll.hours'],
  },
  'segment.jitter.ms': {
    type: 'long',
    default: '0',
    importance: 'medium',
    doc: 'Random amount up to which segment.ms is brought forward, so partitions do not roll together.',
    validator: atLeast(0),
    synonyms: ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
  },
  'segment.index.bytes': {
    type: 'int',
    default: '10485760',
    importance: 'medium',
    doc: 'Largest offset or time index file of a segment.',
    validator: atLeast(4),
    synonyms: ['log.index.size.max.bytes'],
  },
  'flush.messages': {
    type: 'long',
    default: LONG_MAX,
    importance: 'medium',
    doc: 'Messages appended before the partition is fsynced; the default leaves it to the OS.',
    validator: atLeast(1),
    synonyms: ['log.flush.interval.messages'],
  },
  'flush.ms': {
    type: 'long',
    default: LONG_MAX,
    importance: 'medium',
    doc: 'Age of unflushed data that forces an fsync; the default leaves it to the OS.',
    validator: atLeast(0),
    synonyms: ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
  },
  'retention.bytes': {
    type: 'long',
    default: '-1',
    importance: 'medium',
    doc: 'Size a partition may reach before its oldest segments are deleted; -1 means no limit.',
    synonyms: ['log.retention.bytes'],
  },
  'retention.ms': {
    type: 'long',
    default: '604800000',
    importance: 'medium',
    doc: 'Age after which segments are deleted (policy delete); -1 keeps them forever.',
    validator: atLeast(-1),
    synonyms: ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  },
  'max.message.bytes': {
    type: 'int',
    default: '1048588',
    importance: 'medium',
    doc: 'Largest record batch (after compression) the topic accepts.',
    validator: atLeast(0),
    synonyms: ['message.max.bytes'],
  },
  'index.interval.bytes': {
    type: 'int',
    default: '4096',
    importance: 'medium',
    doc: 'Bytes of log between two offset index entries.',
    validator: atLeast(0),
    synonyms: ['log.index.interval.bytes'],
  },
  'delete.retention.ms': {
    type: 'long',
    default: '86400000',
    importance: 'medium',
    doc: 'How long tombstones stay in a compacted topic, so consumers can see the deletion.',
    validator: atLeast(0),
    synonyms: ['log.cleaner.delete.retention.ms'],
  },
  'min.compaction.lag.ms': {
    type: 'long',
    default: '0',
    importance: 'medium',
    doc: 'Minimum age of a record before compaction may remove it.',
    validator: atLeast(0),
    synonyms: ['log.cleaner.min.compaction.lag.ms'],
  },
  'max.compaction.lag.ms': {
    type: 'long',
    default: LONG_MAX,
    importance: 'medium',
    doc: 'Maximum age of an uncompacted record before the log is cleaned regardless of the ratio.',
    validator: atLeast(1),
    synonyms: ['log.cleaner.max.compaction.lag.ms'],
  },
  'file.delete.delay.ms': {
    type: 'long',
    default: '60000',
    importance: 'medium',
    doc: 'How long a deleted segment’s files linger before they are removed.',
    validator: atLeast(0),
    synonyms: ['log.segment.delete.delay.ms'],
  },
  'min.cleanable.dirty.ratio': {
    type: 'double',
    default: '0.5',
    importance: 'medium',
    doc: 'Share of the log that must be uncleaned before compaction runs.',
    validator: between(0, 1),
    synonyms: ['log.cleaner.min.cleanable.ratio'],
  },
  'cleanup.policy': {
    type: 'list',
    default: 'delete',
    importance: 'medium',
    doc: 'delete old segments, compact to the last value per key, or both.',
    validator: listOf('compact', 'delete'),
    synonyms: ['log.cleanup.policy'],
  },
  'unclean.leader.election.enable': {
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'Whether a replica outside the ISR may become leader (may lose data).',
    synonyms: ['unclean.leader.election.enable'],
  },
  'min.insync.replicas': {
    type: 'int',
    default: '1',
    importance: 'medium',
    doc: 'In-sync replicas an acks=all produce needs.',
    validator: atLeast(1),
    synonyms: ['min.insync.replicas'],
  },
  'compression.type': {
    type: 'string',
    default: 'producer',
    importance: 'medium',
    doc: 'Codec of stored batches; producer keeps whatever the producer used.',
    validator: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'),
    synonyms: ['compression.type'],
  },
  'compression.gzip.level': {
    type: 'int',
    default: '-1',
    importance: 'medium',
    doc: 'gzip level when the broker compresses for this topic.',
    validator: gzipLevel,
    synonyms: ['compression.gzip.level'],
  },
  'compression.lz4.level': {
    type: 'int',
    default: '9',
    importance: 'medium',
    doc: 'lz4 level when the broker compresses for this topic.',
    validator: between(1, 17),
    synonyms: ['compression.lz4.level'],
  },
  'compression.zstd.level': {
    type: 'int',
    default: '3',
    importance: 'medium',
    doc: 'zstd level when the broker compresses for this topic.',
    validator: between(-131072, 22),
    synonyms: ['compression.zstd.level'],
  },
  preallocate: {
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'Whether new segment files are allocated at full size up front.',
    synonyms: ['log.preallocate'],
  },
  'message.format.version': {
    type: 'string',
    default: '3.0-IV1',
    importance: 'medium',
    doc: 'Deprecated: the record format of the topic.',
    validator: metadataVersion,
    synonyms: ['log.message.format.version'],
    noEffect: 'Ignored, as by Kafka since 3.0: records are stored in the newest format.',
  },
  'message.timestamp.type': {
    type: 'string',
    default: 'CreateTime',
    importance: 'medium',
    doc: 'Whether records keep the producer’s timestamp (CreateTime) or get the broker’s (LogAppendTime).',
    validator: oneOf('CreateTime', 'LogAppendTime'),
    synonyms: ['log.message.timestamp.type'],
  },
  'message.timestamp.difference.max.ms': {
    type: 'long',
    default: LONG_MAX,
    importance: 'medium',
    doc: 'Deprecated: largest distance between a CreateTime timestamp and the broker’s clock.',
    validator: atLeast(0),
    synonyms: ['log.message.timestamp.difference.max.ms'],
  },
  'message.timestamp.before.max.ms': {
    type: 'long',
    default: LONG_MAX,
    importance: 'medium',
    doc: 'How far in the past a CreateTime timestamp may be.',
    validator: atLeast(0),
    synonyms: ['log.message.timestamp.before.max.ms'],
  },
  'message.timestamp.after.max.ms': {
    type: 'long',
    default: LONG_MAX,
    importance: 'medium',
    doc: 'How far in the future a CreateTime timestamp may be.',
    validator: atLeast(0),
    synonyms: ['log.message.timestamp.after.max.ms'],
  },
  'leader.replication.throttled.replicas': {
    type: 'list',
    default: '',
    importance: 'medium',
    doc: 'Replicas whose leader-side replication traffic is throttled, partition:broker or *.',
    validator: throttledReplicas('leader.replication.throttled.replicas'),
    synonyms: [],
    noEffect: 'Samsa does not throttle replication.',
  },
  'follower.replication.throttled.replicas': {
    type: 'list',
    default: '',
    importance: 'medium',
    doc: 'Replicas whose follower-side replication traffic is throttled, partition:broker or *.',
    validator: throttledReplicas('follower.replication.throttled.replicas'),
    synonyms: [],
    noEffect: 'Samsa does not throttle replication.',
  },
  'message.downconversion.enable': {
    type: 'boolean',
    default: 'true',
    importance: 'low',
    doc: 'Whether fetches from old clients get records converted to their older format.',
    synonyms: ['log.message.downconversion.enable'],
  },
  'remote.storage.enable': {
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'Tiered storage: whether old segments move to remote storage.',
    synonyms: [],
    noEffect: NO_TIERED_STORAGE,
  },
  'local.retention.ms': {
    type: 'long',
    default: '-2',
    importance: 'medium',
    doc: 'Tiered storage: how long segments stay on local disk; -2 means retention.ms.',
    validator: atLeast(-2),
    synonyms: ['log.local.retention.ms'],
    noEffect: NO_TIERED_STORAGE,
  },
  'local.retention.bytes': {
    type: 'long',
    default: '-2',
    importance: 'medium',
    doc: 'Tiered storage: how many bytes stay on local disk; -2 means retention.bytes.',
    validator: atLeast(-2),
    synonyms: ['log.local.retention.bytes'],
    noEffect: NO_TIERED_STORAGE,
  },
  'remote.log.copy.disable': {
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'Tiered storage: stop copying segments to remote storage.',
    synonyms: [],
    noEffect: NO_TIERED_STORAGE,
  },
  'remote.log.delete.on.disable': {
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'Tiered storage: delete remote data when tiered storage is turned off for the topic.',
    synonyms: [],
    noEffect: NO_TIERED_STORAGE,
  },
} as const satisfies Readonly<Record<string, TopicKeyDef>>;

export type TopicConfigName = keyof typeof TOPIC_CONFIGS;
export type TopicConfigValues = ValuesOf<typeof TOPIC_CONFIGS>;

const TABLE: Readonly<Record<string, TopicKeyDef>> = TOPIC_CONFIGS;

export function topicKeyDef(name: string): TopicKeyDef | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.hasOwn(TABLE, name);
}

export const TOPIC_CONFIG_NAMES = Object.keys(TABLE) as readonly TopicConfigName[];

/** The table's entries, widened to the definition type, in table order. */
export const TOPIC_KEY_DEFS = Object.entries(TABLE) as ReadonlyArray<readonly [TopicConfigName, TopicKeyDef]>;
