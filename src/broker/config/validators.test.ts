import { describe, expect, it } from 'vitest';
import { BrokerConfig } from './broker-config.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { isMetadataVersion } from './metadata-version.js';
import { validateTopicConfigs } from './topic-config.js';

/** The single problem a one-line broker config produces. */
function brokerProblem(line: string): ConfigProblem {
  try {
    BrokerConfig.parse(line, { source: 'server.properties' });
  } catch (error) {
    if (error instanceof ConfigError && error.problems.length === 1 && error.problems[0] !== undefined) {
      return error.problems[0];
    }
    throw error;
  }
  throw new Error(`${line} was accepted`);
}

/** Kafka's INVALID_CONFIG message for one topic override. */
function topicMessage(key: string, value: string): string {
  const check = validateTopicConfigs([[key, value]]);
  if (check.ok) throw new Error(`${key}=${value} was accepted`);
  return check.errorMessage;
}

describe('broker value errors name the key, the value and the expected form', () => {
  it.each([
    ['log.retention.ms=abc', 'server.properties:1: log.retention.ms=abc: expected a long (e.g. 604800000)'],
    ['num.partitions=0', 'server.properties:1: num.partitions=0: expected an int of at least 1 (e.g. 1)'],
    ['port=70000', 'server.properties:1: port=70000: expected an int between 0 and 65535 (e.g. 9092)'],
    [
      'log.cleaner.min.cleanable.ratio=1.5',
      'server.properties:1: log.cleaner.min.cleanable.ratio=1.5: expected a double between 0 and 1 (e.g. 0.5)',
    ],
    ['auto.create.topics.enable=yes', 'server.properties:1: auto.create.topics.enable=yes: expected true or false'],
    [
      'log.cleanup.policy=compact,archive',
      'server.properties:1: log.cleanup.policy=compact,archive: expected a comma-separated list of compact, delete',
    ],
    [
      'log.message.timestamp.type=NowTime',
      'server.properties:1: log.message.timestamp.type=NowTime: expected one of CreateTime, LogAppendTime',
    ],
    [
      'compression.type=brotli',
      'server.properties:1: compression.type=brotli: expected one of uncompressed, zstd, lz4, snappy, gzip, producer',
    ],
    [
      'compression.gzip.level=0',
      'server.properties:1: compression.gzip.level=0: expected an int between 1 and 9, or -1 (e.g. -1)',
    ],
    [
      'offsets.topic.replication.factor=40000',
      'server.properties:1: offsets.topic.replication.factor=40000: expected a short of at least 1 (e.g. 3)',
    ],
    [
      'listeners=localhost:9092',
      'server.properties:1: listeners=localhost:9092: expected a comma-separated list of NAME://host:port (e.g. PLAINTEXT://:9092)',
    ],
    [
      'listener.security.protocol.map=PLAINTEXT',
      'server.properties:1: listener.security.protocol.map=PLAINTEXT: expected a comma-separated list of NAME:PROTOCOL with PROTOCOL one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (e.g. SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT)',
    ],
    [
      'inter.broker.protocol.version=9.9',
      'server.properties:1: inter.broker.protocol.version=9.9: expected a Kafka version such as 3.9, 2.1-IV2 or 0.10.2 (e.g. 3.9-IV0)',
    ],
  ])('%s', (line, message) => {
    const problem = brokerProblem(line);
    const [key, value] = line.split('=');
    expect(problem.key).toBe(key);
    expect(problem.value).toBe(value);
    expect(`${problem.origin}: ${problem.key}=${problem.value}: expected ${problem.expected}`).toBe(message);
  });
});

describe('topic value errors carry Kafka’s INVALID_CONFIG message', () => {
  it.each([
    ['retention.ms', 'abc', 'Invalid value abc for configuration retention.ms: Not a number of type LONG'],
    ['retention.ms', '-5', 'Invalid value -5 for configuration retention.ms: Value must be at least -1'],
    ['retention.ms', '0x10', 'Invalid value 0x10 for configuration retention.ms: Not a number of type LONG'],
    ['segment.bytes', '5', 'Invalid value 5 for configuration segment.bytes: Value must be at least 14'],
    [
      'segment.bytes',
      '99999999999',
      'Invalid value 99999999999 for configuration segment.bytes: Not a number of type INT',
    ],
    [
      'cleanup.policy',
      'foo',
      'Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete',
    ],
    [
      'cleanup.policy',
      'compact,,delete',
      'Invalid value  for configuration cleanup.policy: String must be one of: compact, delete',
    ],
    [
      'preallocate',
      'yes',
      'Invalid value yes for configuration preallocate: Expected value to be either true or false',
    ],
    [
      'min.cleanable.dirty.ratio',
      '2',
      'Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1',
    ],
    [
      'compression.type',
      'GZIP',
      'Invalid value GZIP for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer',
    ],
    [
      'compression.gzip.level',
      '10',
      'Invalid value 10 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1',
    ],
    [
      'message.timestamp.type',
      'foo',
      'Invalid value foo for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime',
    ],
    [
      'message.format.version',
      '9.9',
      'Invalid value 9.9 for configuration message.format.version: Version 9.9 is not a valid version',
    ],
    [
      'leader.replication.throttled.replicas',
      '0:1,x',
      "Invalid value [0:1, x] for configuration leader.replication.throttled.replicas: leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
    ],
    ['no.such', '1', 'Unknown topic config name: no.such'],
  ])('%s=%s', (key, value, message) => {
    expect(topicMessage(key, value)).toBe(message);
  });

  it('accepts what Kafka 3.9 accepts', () => {
    for (const [key, value] of [
      ['retention.ms', ' 1000 '],
      ['max.message.bytes', '+5'],
      ['cleanup.policy', 'compact, delete'],
      ['cleanup.policy', ''],
      ['preallocate', 'TRUE'],
      ['min.cleanable.dirty.ratio', '1e0'],
      ['leader.replication.throttled.replicas', '*'],
      ['leader.replication.throttled.replicas', '0:1, 1:2'],
      ['message.format.version', '0.8.2'],
      ['compression.gzip.level', '-1'],
    ] as const) {
      expect(validateTopicConfigs([[key, value]]).ok, `${key}=${value}`).toBe(true);
    }
  });
});

describe('isMetadataVersion', () => {
  it('accepts full versions and releases, as MetadataVersion.fromVersionString does', () => {
    for (const ok of [
      '3.9-IV0',
      '3.9',
      '3.9.0',
      '2.1-IV2',
      '2.1.1',
      '0.10.2',
      '0.10.2.1',
      '0.10.0-IV1',
      '0.8.2',
      '0.8.2.1',
    ]) {
      expect(isMetadataVersion(ok), ok).toBe(true);
    }
    for (const bad of ['9.9', '3.9-IV5', '0.10', '0.7.0', '', 'latest'])
      expect(isMetadataVersion(bad), bad).toBe(false);
  });
});
