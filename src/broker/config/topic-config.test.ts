import { describe, expect, it } from 'vitest';
import { BrokerConfig } from './broker-config.js';
import { ConfigError } from './config-error.js';
import { INVALID_CONFIG, effectiveTopicConfig, validateTopicConfigs } from './topic-config.js';

describe('validateTopicConfigs', () => {
  it('returns the overrides in Kafka’s canonical text', () => {
    const check = validateTopicConfigs([
      ['retention.ms', ' +1000 '],
      ['cleanup.policy', 'compact , delete'],
      ['min.cleanable.dirty.ratio', '1e-1'],
      ['preallocate', 'TRUE'],
    ]);
    expect(check).toEqual({
      ok: true,
      overrides: new Map([
        ['retention.ms', '1000'],
        ['min.cleanable.dirty.ratio', '0.1'],
        ['cleanup.policy', 'compact,delete'],
        ['preallocate', 'true'],
      ]),
    });
  });

  it('reports unknown names before bad values, then relations, with INVALID_CONFIG', () => {
    const check = validateTopicConfigs([
      ['segment.bytes', '1'],
      ['retention.hours', '1'],
    ]);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errorCode).toBe(INVALID_CONFIG);
    expect(check.errorMessage).toBe('Unknown topic config name: retention.hours');
    expect(check.problems.map((p) => p.key)).toEqual(['retention.hours', 'segment.bytes']);
    expect(check.problems[1]?.expected).toBe('an int of at least 14 (e.g. 1073741824)');
  });

  it('refuses null values', () => {
    const check = validateTopicConfigs([['retention.ms', null]]);
    expect(check.ok ? '' : check.errorMessage).toBe('Null value not supported for topic configs: retention.ms');
  });

  it('checks compaction lags against each other, falling back to the broker’s defaults', () => {
    const both = validateTopicConfigs([
      ['min.compaction.lag.ms', '10'],
      ['max.compaction.lag.ms', '5'],
    ]);
    expect(both.ok ? '' : both.errorMessage).toBe(
      'conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)',
    );
    const broker = BrokerConfig.parse('log.cleaner.max.compaction.lag.ms=100');
    const one = validateTopicConfigs([['min.compaction.lag.ms', '200']], broker);
    expect(one.ok ? '' : one.errorMessage).toBe(
      'conflict topic config setting min.compaction.lag.ms (200) > max.compaction.lag.ms (100)',
    );
    expect(validateTopicConfigs([['min.compaction.lag.ms', '200']]).ok).toBe(true);
  });
});

describe('effectiveTopicConfig', () => {
  const broker = BrokerConfig.parse('log.retention.hours=24\nlog.cleanup.policy=compact\ncompression.type=lz4');

  it('takes overrides, then the broker’s defaults', () => {
    const config = effectiveTopicConfig(broker, new Map([['retention.ms', '1000']]));
    expect(config['retention.ms']).toBe(1000);
    expect(config['cleanup.policy']).toEqual(['compact']);
    expect(config['compression.type']).toBe('lz4');
    expect(config['segment.bytes']).toBe(1073741824);
    expect(config['max.compaction.lag.ms']).toBe(2 ** 63);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses the derived retention when there is no override', () => {
    expect(effectiveTopicConfig(broker, new Map())['retention.ms']).toBe(86_400_000);
  });

  it('throws on a stored override that is not valid', () => {
    expect(() => effectiveTopicConfig(broker, new Map([['retention.ms', 'soon']]))).toThrow(ConfigError);
  });
});
