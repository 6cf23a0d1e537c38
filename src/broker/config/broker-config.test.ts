import { describe, expect, it } from 'vitest';
import { BrokerConfig } from './broker-config.js';
import { ConfigError } from './config-error.js';

const parse = (text: string, overrides: readonly string[] = []) => BrokerConfig.parse(text, { overrides });

function problems(text: string, overrides: readonly string[] = []): string[] {
  try {
    parse(text, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.key}=${p.value}: expected ${p.expected}`);
    throw error;
  }
  throw new Error('accepted');
}

describe('BrokerConfig defaults', () => {
  const config = parse('');

  it('has Kafka 3.9’s defaults, typed', () => {
    expect(config.get('num.partitions')).toBe(1);
    expect(config.get('log.segment.bytes')).toBe(1073741824);
    expect(config.get('log.cleanup.policy')).toEqual(['delete']);
    expect(config.get('log.cleaner.min.cleanable.ratio')).toBe(0.5);
    expect(config.get('auto.create.topics.enable')).toBe(true);
    expect(config.get('offsets.topic.replication.factor')).toBe(3);
    expect(config.get('zookeeper.connect')).toBeNull();
    expect(config.get('log.retention.ms')).toBeNull();
    expect(config.text('log.flush.interval.messages')).toBe('9223372036854775807');
  });

  it('derives a standalone broker on PLAINTEXT://:9092 with a generated id', () => {
    expect(config.generateBrokerId).toBe(true);
    expect(config.brokerId).toBe(-1);
    expect(config.zookeeperConnect).toBeNull();
    expect(config.listeners).toEqual([{ name: 'PLAINTEXT', host: '', port: 9092, securityProtocol: 'PLAINTEXT' }]);
    expect(config.advertisedListeners).toEqual(config.listeners);
    expect(config.interBrokerListener.name).toBe('PLAINTEXT');
    expect(config.logDirs).toEqual(['/tmp/kafka-logs']);
    expect(config.logRetentionMs).toBe(604800000);
    expect(config.logRollMs).toBe(604800000);
    expect(config.logRollJitterMs).toBe(0);
    expect(config.logFlushIntervalMs).toBe(2 ** 63);
    expect(config.zookeeperConnectionTimeoutMs).toBe(18000);
    expect(config.warnings).toEqual([]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.values)).toBe(true);
    expect(Object.isFrozen(config.listeners)).toBe(true);
    expect(() => {
      (config.values as Record<string, unknown>)['num.partitions'] = 3;
    }).toThrow(TypeError);
  });
});

describe('overrides', () => {
  it('win over the file and are reported as set', () => {
    const config = parse('num.partitions=2\nbroker.id=0', ['num.partitions=4']);
    expect(config.get('num.partitions')).toBe(4);
    expect(config.isSet('num.partitions')).toBe(true);
    expect(config.origin('num.partitions')).toBe('--override');
    expect(config.isSet('log.dirs')).toBe(false);
    expect(config.warnings).toEqual([]);
  });

  it('warn when the file sets a key twice', () => {
    const config = BrokerConfig.parse('num.partitions=2\nnum.partitions=3', { source: 's.properties' });
    expect(config.get('num.partitions')).toBe(3);
    expect(config.warnings).toEqual([
      's.properties:2: num.partitions is set again; the earlier value (s.properties:1) is replaced',
    ]);
  });
});

describe('listeners', () => {
  it('come from the legacy port and host.name when listeners is absent', () => {
    const config = parse('port=9093\nhost.name=127.0.0.1');
    expect(config.listeners).toEqual([
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 9093, securityProtocol: 'PLAINTEXT' },
    ]);
    expect(config.advertisedListeners).toEqual(config.listeners);
  });

  it('use listeners when set, ignoring port with a warning', () => {
    const config = parse('listeners=PLAINTEXT://0.0.0.0:9095\nport=9093');
    expect(config.listeners.map((l) => [l.host, l.port])).toEqual([['0.0.0.0', 9095]]);
    expect(config.warnings).toContain('port and host.name are ignored because listeners is set');
  });

  it('advertise advertised.host.name and advertised.port over host.name and port', () => {
    expect(parse('port=9093\nadvertised.host.name=kafka1').advertisedListeners).toMatchObject([
      { host: 'kafka1', port: 9093 },
    ]);
    expect(parse('host.name=h\nadvertised.port=19093').advertisedListeners).toMatchObject([{ host: 'h', port: 19093 }]);
  });

  it('advertise advertised.listeners over the legacy keys', () => {
    const config = parse('advertised.listeners=PLAINTEXT://kafka2:9092\nadvertised.host.name=x');
    expect(config.advertisedListeners).toMatchObject([{ host: 'kafka2', port: 9092 }]);
    expect(config.warnings).toContain(
      'advertised.host.name and advertised.port are ignored because advertised.listeners is set',
    );
  });

  it('parse names case-insensitively, IPv6 hosts and several listeners', () => {
    const config = parse(
      'listeners=internal://[::1]:9092, EXTERNAL://:9093\nlistener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT\ninter.broker.listener.name=internal',
    );
    expect(config.listeners).toMatchObject([
      { name: 'INTERNAL', host: '::1', port: 9092 },
      { name: 'EXTERNAL', host: '', port: 9093 },
    ]);
    expect(config.interBrokerListener.name).toBe('INTERNAL');
  });

  it('refuse clashes, unknown names, other protocols and the meta-address', () => {
    expect(problems('listeners=PLAINTEXT://:9092,PLAINTEXT://:9093')).toEqual([
      'listeners=PLAINTEXT://:9092,PLAINTEXT://:9093: expected each listener to have a different name',
    ]);
    expect(problems('listeners=A://:9092,B://:9092\nlistener.security.protocol.map=A:PLAINTEXT,B:PLAINTEXT')).toEqual([
      'listeners=A://:9092,B://:9092: expected each listener to have a different port (A://:9092 and B://:9092)',
    ]);
    expect(problems('listeners=CLIENT://:9092')).toEqual([
      'listeners=CLIENT://:9092: expected a listener name that listener.security.protocol.map maps to a protocol (CLIENT is not in it)',
    ]);
    expect(problems('listeners=SSL://:9093')).toEqual([
      'listeners=SSL://:9093: expected PLAINTEXT listeners only: Samsa does not serve SSL (listener SSL)',
    ]);
    expect(problems('advertised.listeners=PLAINTEXT://0.0.0.0:9092')).toEqual([
      'advertised.listeners=PLAINTEXT://0.0.0.0:9092: expected routable addresses, not the meta-address 0.0.0.0 (PLAINTEXT://0.0.0.0:9092)',
    ]);
    expect(problems('listeners=\n')).toEqual([
      'listeners=: expected a comma-separated list of NAME://host:port (e.g. PLAINTEXT://:9092)',
    ]);
    expect(problems('inter.broker.listener.name=REPLICATION')).toEqual([
      'inter.broker.listener.name=REPLICATION: expected one of the advertised listener names (PLAINTEXT)',
    ]);
  });

  it('allow the same port twice when it is 0 or on different hosts', () => {
    const map = 'listener.security.protocol.map=A:PLAINTEXT,B:PLAINTEXT';
    expect(parse(`listeners=A://:0,B://:0\n${map}`).listeners).toHaveLength(2);
    expect(parse(`listeners=A://127.0.0.1:9092,B://10.0.0.1:9092\n${map}`).listeners).toHaveLength(2);
  });
});

describe('log.dirs', () => {
  it('falls back to log.dir', () => {
    expect(parse('log.dir=/data/k').logDirs).toEqual(['/data/k']);
  });

  it('wins over log.dir, split on commas', () => {
    const config = parse('log.dir=/x\nlog.dirs=/a, /b,,');
    expect(config.logDirs).toEqual(['/a', '/b']);
    expect(config.warnings).toContain('log.dir is ignored because log.dirs is set');
  });

  it('must name a directory', () => {
    expect(problems('log.dirs= , ')).toEqual(['log.dirs=, : expected at least one directory (e.g. /tmp/kafka-logs)']);
  });
});

describe('time precedence', () => {
  it('takes retention from ms, then minutes, then hours', () => {
    expect(parse('log.retention.hours=1').logRetentionMs).toBe(3_600_000);
    expect(parse('log.retention.hours=1\nlog.retention.minutes=2').logRetentionMs).toBe(120_000);
    const config = parse('log.retention.hours=1\nlog.retention.minutes=2\nlog.retention.ms=3');
    expect(config.logRetentionMs).toBe(3);
    expect(config.warnings).toContain(
      'log.retention.minutes and log.retention.hours ignored because log.retention.ms is set',
    );
  });

  it('treats any negative retention as unlimited and refuses 0', () => {
    expect(parse('log.retention.hours=-1').logRetentionMs).toBe(-1);
    expect(parse('log.retention.ms=-7').topicDefaults['retention.ms']).toBe(-1);
    expect(problems('log.retention.minutes=0')).toEqual([
      'log.retention.minutes=0: expected -1 (unlimited) or a retention of at least 1 ms',
    ]);
  });

  it('takes roll and jitter from ms, then hours', () => {
    expect(parse('log.roll.hours=2').logRollMs).toBe(7_200_000);
    expect(parse('log.roll.hours=2\nlog.roll.ms=5').logRollMs).toBe(5);
    expect(parse('log.roll.jitter.hours=1').logRollJitterMs).toBe(3_600_000);
    expect(parse('log.roll.jitter.hours=1\nlog.roll.jitter.ms=9').logRollJitterMs).toBe(9);
    expect(problems('log.roll.ms=0')).toEqual(['log.roll.ms=0: expected a roll time of at least 1 ms']);
  });

  it('takes the flush interval from log.flush.interval.ms, then the scheduler interval', () => {
    expect(parse('log.flush.scheduler.interval.ms=2000').logFlushIntervalMs).toBe(2000);
    expect(parse('log.flush.scheduler.interval.ms=2000\nlog.flush.interval.ms=10').logFlushIntervalMs).toBe(10);
  });

  it('feeds the derived values into the topic defaults', () => {
    const config = parse(
      'log.retention.minutes=5\nlog.roll.hours=1\nlog.cleanup.policy=compact\nmessage.max.bytes=2000000',
    );
    expect(config.topicDefaults['retention.ms']).toBe(300_000);
    expect(config.topicDefaults['segment.ms']).toBe(3_600_000);
    expect(config.topicDefaults['cleanup.policy']).toEqual(['compact']);
    expect(config.topicDefaults['max.message.bytes']).toBe(2_000_000);
    expect(config.topicDefaults['remote.storage.enable']).toBe(false);
    expect(config.topicDefaultText('flush.ms')).toBe('9223372036854775807');
  });
});

describe('broker.id', () => {
  it('accepts 0..reserved.broker.max.id and -1', () => {
    expect(parse('broker.id=1000').brokerId).toBe(1000);
    expect(parse('broker.id=0').generateBrokerId).toBe(false);
    expect(problems('broker.id=1001')).toEqual([
      'broker.id=1001: expected -1 (generate one) or an id from 0 to reserved.broker.max.id (1000)',
    ]);
    expect(problems('broker.id=-2')).toHaveLength(1);
  });

  it('refuses -1 when generation is disabled', () => {
    expect(problems('broker.id.generation.enable=false')).toEqual([
      'broker.id=-1: expected an id of at least 0, as broker.id.generation.enable is false',
    ]);
  });
});

describe('relations between keys', () => {
  it.each([
    [
      'log.cleaner.dedupe.buffer.size=1048576',
      'log.cleaner.dedupe.buffer.size=1048576: expected more than 1 MiB per cleaner thread (log.cleaner.threads=1)',
    ],
    [
      'replica.fetch.wait.max.ms=40000\nreplica.lag.time.max.ms=60000',
      'replica.fetch.wait.max.ms=40000: expected at most replica.socket.timeout.ms (30000)',
    ],
    [
      'replica.fetch.wait.max.ms=500\nreplica.lag.time.max.ms=100',
      'replica.fetch.wait.max.ms=500: expected at most replica.lag.time.max.ms (100)',
    ],
    [
      'offsets.commit.required.acks=4',
      'offsets.commit.required.acks=4: expected -1 or 0 to offsets.topic.replication.factor (3)',
    ],
    [
      'log.cleaner.min.compaction.lag.ms=10\nlog.cleaner.max.compaction.lag.ms=5',
      'log.cleaner.min.compaction.lag.ms=10: expected at most log.cleaner.max.compaction.lag.ms (5)',
    ],
    [
      'group.min.session.timeout.ms=60000\ngroup.max.session.timeout.ms=30000',
      'group.min.session.timeout.ms=60000: expected at most group.max.session.timeout.ms (30000)',
    ],
  ])('%s', (text, message) => {
    expect(problems(text)).toEqual([message]);
  });
});

describe('errors and warnings', () => {
  it('collects every bad value, in the order given, with its origin', () => {
    let error: unknown;
    try {
      BrokerConfig.parse('num.partitions=x\nfoo=1\nlog.retention.ms=abc', {
        source: 'server.properties',
        overrides: ['port=-1'],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG_INVALID');
    expect(configError.message).toBe(
      [
        'Invalid configuration (3 problems):',
        '  server.properties:1: num.partitions=x: expected an int of at least 1 (e.g. 1)',
        '  server.properties:3: log.retention.ms=abc: expected a long (e.g. 604800000)',
        '  --override: port=-1: expected an int between 0 and 65535 (e.g. 9092)',
      ].join('\n'),
    );
    expect(configError.warnings).toEqual(['server.properties:2: unknown config foo is ignored']);
  });

  it('warns about unknown keys, suggesting the one probably meant', () => {
    const config = BrokerConfig.parse('log.retension.hours=1\nretention.ms=5\nremote.storage.enable=true\nzzz=1', {
      source: 'f',
    });
    expect(config.warnings).toEqual([
      'f:1: unknown config log.retension.hours is ignored (did you mean log.retention.hours?)',
      'f:2: retention.ms is a topic config and is ignored here; set it per topic, or log.retention.ms for the broker-wide default',
      'f:3: remote.storage.enable is a topic config and is ignored here; set it per topic',
      'f:4: unknown config zzz is ignored',
    ]);
    expect(config.originals.get('zzz')).toBe('1');
  });

  it('notes keys that are accepted but have no effect', () => {
    const config = BrokerConfig.parse('num.network.threads=3', { source: 'f' });
    expect(config.warnings).toEqual([
      'f:1: num.network.threads has no effect in Samsa: Node runs the network and request work on its event loop; there is no thread pool to size.',
    ]);
  });
});
