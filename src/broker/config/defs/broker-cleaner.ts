/** The log cleaner, which compacts topics whose cleanup.policy includes compact. */
import type { BrokerKeyDef } from '../types.js';
import { atLeast, between } from '../validators.js';

export const CLEANER_CONFIGS = {
  'log.cleaner.enable': {
    type: 'boolean',
    default: 'true',
    importance: 'medium',
    doc: 'Whether compacted topics (including __consumer_offsets) are cleaned.',
  },
  'log.cleaner.threads': {
    type: 'int',
    default: '1',
    importance: 'medium',
    doc: 'Logs cleaned at the same time.',
    validator: atLeast(0),
  },
  'log.cleaner.dedupe.buffer.size': {
    type: 'long',
    default: '134217728',
    importance: 'medium',
    doc: 'Memory for the key map of all cleaners together; at least 1 MiB per cleaner.',
  },
  'log.cleaner.io.buffer.size': {
    type: 'int',
    default: '524288',
    importance: 'medium',
    doc: 'Read and write buffer memory of all cleaners together.',
    validator: atLeast(0),
  },
  'log.cleaner.io.buffer.load.factor': {
    type: 'double',
    default: '0.9',
    importance: 'medium',
    doc: 'How full the key map may get before a cleaning pass stops.',
  },
  'log.cleaner.io.max.bytes.per.second': {
    type: 'double',
    default: '1.7976931348623157E308',
    importance: 'medium',
    doc: 'Cap on the cleaners’ combined read and write rate.',
  },
  'log.cleaner.backoff.ms': {
    type: 'long',
    default: '15000',
    importance: 'medium',
    doc: 'Pause when there is nothing to clean.',
    validator: atLeast(0),
  },
  'log.cleaner.min.cleanable.ratio': {
    type: 'double',
    default: '0.5',
    importance: 'medium',
    doc: 'Share of a log that must be uncleaned before it is cleaned.',
    validator: between(0, 1),
    topicConfig: 'min.cleanable.dirty.ratio',
  },
  'log.cleaner.delete.retention.ms': {
    type: 'long',
    default: '86400000',
    importance: 'medium',
    doc: 'How long tombstones stay in a compacted log after it was cleaned.',
    validator: atLeast(0),
    topicConfig: 'delete.retention.ms',
  },
  'log.cleaner.min.compaction.lag.ms': {
    type: 'long',
    default: '0',
    importance: 'medium',
    doc: 'Minimum age of a record before compaction may remove it.',
    validator: atLeast(0),
    topicConfig: 'min.compaction.lag.ms',
  },
  'log.cleaner.max.compaction.lag.ms': {
    type: 'long',
    default: '9223372036854775807',
    importance: 'medium',
    doc: 'Maximum age of an uncompacted record before its log is cleaned regardless of the ratio.',
    validator: atLeast(1),
    topicConfig: 'max.compaction.lag.ms',
  },
} as const satisfies Readonly<Record<string, BrokerKeyDef>>;
