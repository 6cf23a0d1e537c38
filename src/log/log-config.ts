/**
 * Per-topic log configuration: Kafka's topic-level keys as camelCase fields, with Kafka's defaults.
 * The broker builds one from its config table (broker defaults `log.segment.bytes`, `log.roll.ms`, ...
 * overridden by the topic's own keys) and passes it in; the log never reads properties itself.
 *
 * | field                  | Kafka key               | Kafka default           | broker-level default key            |
 * |------------------------|-------------------------|-------------------------|-------------------------------------|
 * | segmentBytes           | segment.bytes           | 1073741824 (1 GiB)      | log.segment.bytes                   |
 * | segmentMs              | segment.ms              | 604800000 (7 days)      | log.roll.ms / log.roll.hours        |
 * | segmentJitterMs        | segment.jitter.ms       | 0                       | log.roll.jitter.ms                  |
 * | segmentIndexBytes      | segment.index.bytes     | 10485760 (10 MiB)       | log.index.size.max.bytes            |
 * | indexIntervalBytes     | index.interval.bytes    | 4096                    | log.index.interval.bytes            |
 * | flushMessages          | flush.messages          | Long.MAX_VALUE          | log.flush.interval.messages         |
 * | flushMs                | flush.ms                | Long.MAX_VALUE          | log.flush.interval.ms               |
 * | fileDeleteDelayMs      | file.delete.delay.ms    | 60000                   | log.segment.delete.delay.ms         |
 * | messageTimestampType   | message.timestamp.type  | CreateTime              | log.message.timestamp.type          |
 * | maxMessageBytes        | max.message.bytes       | 1048588                 | message.max.bytes                   |
 * | retentionMs            | retention.ms            | 604800000 (7 days)      | log.retention.ms / .minutes / .hours|
 * | retentionBytes         | retention.bytes         | -1 (no limit)           | log.retention.bytes                 |
 * | cleanupPolicy          | cleanup.policy          | delete                  | log.cleanup.policy                  |
 * | deleteRetentionMs      | delete.retention.ms     | 86400000 (1 day)        | log.cleaner.delete.retention.ms     |
 * | minCleanableDirtyRatio | min.cleanable.dirty.ratio | 0.5                   | log.cleaner.min.cleanable.ratio     |
 * | minCompactionLagMs     | min.compaction.lag.ms   | 0                       | log.cleaner.min.compaction.lag.ms   |
 * | maxCompactionLagMs     | max.compaction.lag.ms   | Long.MAX_VALUE          | log.cleaner.max.compaction.lag.ms   |
 *
 * Long.MAX_VALUE is carried as INT64_MAX (2^63, see src/protocol/primitives/int64.ts): "never". With
 * the flush defaults the log never forces a flush on its own except when it rolls a segment, leaving
 * durability to the page cache and replication as Kafka does. retentionMs and retentionBytes are read
 * by retention (retention.ts); cleanupPolicy by both retention and the cleaner (cleaner/). The four
 * cleaner fields are optional so that configs built before they existed keep compiling: an absent one
 * means Kafka's default (`cleanerSetting`).
 */
import { INT64_MAX } from '../protocol/primitives/int64.js';

export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';
export type CleanupPolicy = 'delete' | 'compact';

export interface LogConfig {
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly segmentJitterMs: number;
  readonly segmentIndexBytes: number;
  readonly indexIntervalBytes: number;
  readonly flushMessages: number;
  readonly flushMs: number;
  readonly fileDeleteDelayMs: number;
  readonly messageTimestampType: MessageTimestampType;
  readonly maxMessageBytes: number;
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly cleanupPolicy: readonly CleanupPolicy[];
  readonly deleteRetentionMs?: number;
  readonly minCleanableDirtyRatio?: number;
  readonly minCompactionLagMs?: number;
  readonly maxCompactionLagMs?: number;
}

type CleanerSettingKey = 'deleteRetentionMs' | 'minCleanableDirtyRatio' | 'minCompactionLagMs' | 'maxCompactionLagMs';

export const DEFAULT_LOG_CONFIG: Required<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  segmentJitterMs: 0,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  flushMessages: INT64_MAX,
  flushMs: INT64_MAX,
  fileDeleteDelayMs: 60_000,
  messageTimestampType: 'CreateTime',
  maxMessageBytes: 1024 * 1024 + 12,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: Object.freeze(['delete'] as const),
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: INT64_MAX,
});

/** A cleaner setting of `config`, or Kafka's default when the config does not carry it. */
export function cleanerSetting(config: LogConfig, key: CleanerSettingKey): number {
  return config[key] ?? DEFAULT_LOG_CONFIG[key];
}

/** cleanup.policy includes delete (retention applies in full). */
export function isDeletePolicy(config: LogConfig): boolean {
  return config.cleanupPolicy.includes('delete');
}

/** cleanup.policy includes compact (the cleaner works on the log). */
export function isCompactPolicy(config: LogConfig): boolean {
  return config.cleanupPolicy.includes('compact');
}

/** Kafka's key for each field, for error messages and the broker's DescribeConfigs. */
export const LOG_CONFIG_KEYS: Readonly<Record<keyof LogConfig, string>> = Object.freeze({
  segmentBytes: 'segment.bytes',
  segmentMs: 'segment.ms',
  segmentJitterMs: 'segment.jitter.ms',
  segmentIndexBytes: 'segment.index.bytes',
  indexIntervalBytes: 'index.interval.bytes',
  flushMessages: 'flush.messages',
  flushMs: 'flush.ms',
  fileDeleteDelayMs: 'file.delete.delay.ms',
  messageTimestampType: 'message.timestamp.type',
  maxMessageBytes: 'max.message.bytes',
  retentionMs: 'retention.ms',
  retentionBytes: 'retention.bytes',
  cleanupPolicy: 'cleanup.policy',
  deleteRetentionMs: 'delete.retention.ms',
  minCleanableDirtyRatio: 'min.cleanable.dirty.ratio',
  minCompactionLagMs: 'min.compaction.lag.ms',
  maxCompactionLagMs: 'max.compaction.lag.ms',
});

/** Kafka's lower bounds (LogConfig's `atLeast` validators) for the fields the log depends on. */
const MINIMUMS: Partial<Record<keyof LogConfig, number>> = {
  segmentBytes: 14,
  segmentMs: 1,
  segmentJitterMs: 0,
  segmentIndexBytes: 4,
  indexIntervalBytes: 0,
  flushMessages: 1,
  flushMs: 0,
  fileDeleteDelayMs: 0,
  maxMessageBytes: 0,
  deleteRetentionMs: 0,
  minCleanableDirtyRatio: 0,
  minCompactionLagMs: 0,
  maxCompactionLagMs: 1,
};

/** DEFAULT_LOG_CONFIG with `overrides` applied, checked against Kafka's bounds; frozen. */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  for (const [field, min] of Object.entries(MINIMUMS) as [keyof LogConfig, number][]) {
    const value = config[field];
    if (typeof value !== 'number' || !(value >= min)) {
      throw new RangeError(`${LOG_CONFIG_KEYS[field]} must be at least ${min}, got ${String(value)}`);
    }
  }
  return Object.freeze(config);
}
