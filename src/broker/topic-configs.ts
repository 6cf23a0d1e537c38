import type { BrokerConfig } from './config/broker-config.js';
import { effectiveTopicConfig } from './config/topic-config.js';
import type { TopicConfigValues } from './config/topic-defs.js';
import type { CleanupPolicy, LogConfig, MessageTimestampType } from '../log/log-config.js';
import { resolveTimestampBounds, type BrokerCompressionType, type ValidatorConfig } from './produce/types.js';

/**
 * A topic's effective settings, as the parts of the broker need them: the log's LogConfig and the
 * produce validator's ValidatorConfig, both from the broker's topic defaults overridden by the topic's
 * own configs. Computed when a topic appears or its configs change, never per request.
 */
export interface TopicSettings {
  readonly values: TopicConfigValues;
  readonly log: LogConfig;
  readonly validator: ValidatorConfig;
  readonly minInsyncReplicas: number;
}

export function topicSettings(broker: BrokerConfig, overrides: ReadonlyMap<string, string>): TopicSettings {
  const v = effectiveTopicConfig(broker, overrides);
  const cleanupPolicy = v['cleanup.policy'] as readonly string[];
  const log: LogConfig = Object.freeze({
    segmentBytes: v['segment.bytes'],
    segmentMs: v['segment.ms'],
    segmentJitterMs: v['segment.jitter.ms'],
    segmentIndexBytes: v['segment.index.bytes'],
    indexIntervalBytes: v['index.interval.bytes'],
    flushMessages: v['flush.messages'],
    flushMs: v['flush.ms'],
    fileDeleteDelayMs: v['file.delete.delay.ms'],
    messageTimestampType: v['message.timestamp.type'] as MessageTimestampType,
    maxMessageBytes: v['max.message.bytes'],
    retentionMs: v['retention.ms'],
    retentionBytes: v['retention.bytes'],
    cleanupPolicy: Object.freeze(cleanupPolicy.map((p) => p.trim() as CleanupPolicy)),
    deleteRetentionMs: v['delete.retention.ms'],
    minCleanableDirtyRatio: v['min.cleanable.dirty.ratio'],
    minCompactionLagMs: v['min.compaction.lag.ms'],
    maxCompactionLagMs: v['max.compaction.lag.ms'],
  });
  const validator: ValidatorConfig = Object.freeze({
    compressionType: v['compression.type'] as BrokerCompressionType,
    messageTimestampType: log.messageTimestampType,
    ...resolveTimestampBounds(
      v['message.timestamp.before.max.ms'],
      v['message.timestamp.after.max.ms'],
      v['message.timestamp.difference.max.ms'],
    ),
    maxMessageBytes: log.maxMessageBytes,
    compact: log.cleanupPolicy.includes('compact'),
    segmentBytes: log.segmentBytes,
  });
  return Object.freeze({ values: v, log, validator, minInsyncReplicas: v['min.insync.replicas'] });
}
