import { describe, expect, it } from 'vitest';
import { BrokerConfig } from './broker-config.js';
import { ConfigSource } from './config-source.js';
import { brokerConfigSynonyms, describeBrokerConfigs, describeTopicConfigs, type DescribedConfig } from './describe.js';

const { TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG } = ConfigSource;

// The broker and expectations mirror what Kafka 3.9.2 answered for the same settings.
const broker = BrokerConfig.parse(
  [
    'broker.id=1',
    'log.retention.hours=24',
    'log.roll.ms=3600000',
    'compression.type=gzip',
    'listeners=PLAINTEXT://127.0.0.1:29192',
    'advertised.listeners=PLAINTEXT://127.0.0.1:29192',
  ].join('\n'),
);

function byName(entries: readonly DescribedConfig[]): Map<string, DescribedConfig> {
  return new Map(entries.map((e) => [e.name, e]));
}

const summary = (e: DescribedConfig | undefined) =>
  e === undefined ? undefined : [e.value, e.source, e.synonyms.map((s) => [s.name, s.value, s.source])];

describe('describeTopicConfigs', () => {
  const overrides = new Map([
    ['retention.ms', '1000'],
    ['cleanup.policy', 'compact'],
  ]);
  const entries = byName(describeTopicConfigs(broker, overrides, { includeSynonyms: true }));

  it('lists every topic config', () => {
    expect(entries.size).toBe(36);
  });

  it('reports an override with its source, and the broker synonyms that Kafka keeps', () => {
    expect(summary(entries.get('retention.ms'))).toEqual([
      '1000',
      TOPIC_CONFIG,
      [['retention.ms', '1000', TOPIC_CONFIG]],
    ]);
    expect(summary(entries.get('cleanup.policy'))).toEqual([
      'compact',
      TOPIC_CONFIG,
      [
        ['cleanup.policy', 'compact', TOPIC_CONFIG],
        ['log.cleanup.policy', 'delete', DEFAULT_CONFIG],
      ],
    ]);
  });

  it('reports a static broker value with the defaults behind it', () => {
    expect(summary(entries.get('segment.ms'))).toEqual([
      '3600000',
      STATIC_BROKER_CONFIG,
      [
        ['log.roll.ms', '3600000', STATIC_BROKER_CONFIG],
        ['log.roll.hours', '168', DEFAULT_CONFIG],
      ],
    ]);
    expect(summary(entries.get('compression.type'))).toEqual([
      'gzip',
      STATIC_BROKER_CONFIG,
      [
        ['compression.type', 'gzip', STATIC_BROKER_CONFIG],
        ['compression.type', 'producer', DEFAULT_CONFIG],
      ],
    ]);
    expect(entries.get('segment.ms')?.isDefault).toBe(false);
  });

  it('drops synonyms before the primary broker key, as Kafka does', () => {
    const topic = byName(describeTopicConfigs(broker, new Map(), { includeSynonyms: true }));
    expect(summary(topic.get('retention.ms'))).toEqual(['86400000', DEFAULT_CONFIG, []]);
    expect(summary(topic.get('flush.ms'))).toEqual(['9223372036854775807', DEFAULT_CONFIG, []]);
    expect(summary(topic.get('segment.jitter.ms'))).toEqual(['0', DEFAULT_CONFIG, []]);
    expect(summary(topic.get('leader.replication.throttled.replicas'))).toEqual(['', DEFAULT_CONFIG, []]);
    expect(summary(topic.get('max.message.bytes'))).toEqual([
      '1048588',
      DEFAULT_CONFIG,
      [['message.max.bytes', '1048588', DEFAULT_CONFIG]],
    ]);
    expect(topic.get('retention.ms')?.isDefault).toBe(true);
  });

  it('reports type, documentation and flags', () => {
    const [entry] = describeTopicConfigs(broker, new Map(), {
      names: ['min.cleanable.dirty.ratio'],
      includeDocumentation: true,
    });
    expect(entry).toMatchObject({
      name: 'min.cleanable.dirty.ratio',
      value: '0.5',
      configType: 6,
      readOnly: false,
      isSensitive: false,
      synonyms: [],
    });
    expect(entry?.documentation).toMatch(/uncleaned/);
    expect(describeTopicConfigs(broker, new Map(), { names: ['retention.ms'] })[0]?.documentation).toBeNull();
  });

  it('returns only the names asked for, skipping unknown ones', () => {
    const names = describeTopicConfigs(broker, new Map(), { names: ['segment.bytes', 'nope', 'retention.ms'] }).map(
      (e) => e.name,
    );
    expect(names).toEqual(['segment.bytes', 'retention.ms']);
  });
});

describe('describeBrokerConfigs', () => {
  const entries = byName(describeBrokerConfigs(broker, { includeSynonyms: true }));

  it('reports set keys as static with their defaults as synonyms', () => {
    expect(summary(entries.get('broker.id'))).toEqual([
      '1',
      STATIC_BROKER_CONFIG,
      [
        ['broker.id', '1', STATIC_BROKER_CONFIG],
        ['broker.id', '-1', DEFAULT_CONFIG],
      ],
    ]);
    expect(summary(entries.get('log.retention.hours'))).toEqual([
      '24',
      STATIC_BROKER_CONFIG,
      [
        ['log.retention.hours', '24', STATIC_BROKER_CONFIG],
        ['log.retention.hours', '168', DEFAULT_CONFIG],
      ],
    ]);
    expect(summary(entries.get('advertised.listeners'))).toEqual([
      'PLAINTEXT://127.0.0.1:29192',
      STATIC_BROKER_CONFIG,
      [['advertised.listeners', 'PLAINTEXT://127.0.0.1:29192', STATIC_BROKER_CONFIG]],
    ]);
  });

  it('reports null values of unset keys as defaults without synonyms', () => {
    expect(summary(entries.get('log.retention.ms'))).toEqual([null, DEFAULT_CONFIG, []]);
    expect(summary(entries.get('zookeeper.connect'))).toEqual([null, DEFAULT_CONFIG, []]);
    expect(summary(entries.get('log.flush.interval.ms'))).toEqual([null, DEFAULT_CONFIG, []]);
  });

  it('marks every broker config read-only, as Samsa’s is frozen', () => {
    expect([...entries.values()].every((e) => e.readOnly)).toBe(true);
  });

  it('keeps the raw file text in static synonyms and Kafka’s text in the value', () => {
    const config = BrokerConfig.parse('log.cleanup.policy=compact , delete');
    const [entry] = describeBrokerConfigs(config, { names: ['log.cleanup.policy'], includeSynonyms: true });
    expect(entry?.value).toBe('compact,delete');
    expect(entry?.synonyms[0]?.value).toBe('compact , delete');
  });
});

describe('brokerConfigSynonyms', () => {
  it('groups the keys Kafka treats as one value', () => {
    expect(brokerConfigSynonyms('log.retention.hours')).toEqual([
      'log.retention.ms',
      'log.retention.minutes',
      'log.retention.hours',
    ]);
    expect(brokerConfigSynonyms('log.roll.hours')).toEqual(['log.roll.ms', 'log.roll.hours']);
    expect(brokerConfigSynonyms('log.flush.interval.ms')).toEqual([
      'log.flush.interval.ms',
      'log.flush.scheduler.interval.ms',
    ]);
    expect(brokerConfigSynonyms('log.flush.scheduler.interval.ms')).toEqual(['log.flush.scheduler.interval.ms']);
    expect(brokerConfigSynonyms('num.partitions')).toEqual(['num.partitions']);
  });
});
