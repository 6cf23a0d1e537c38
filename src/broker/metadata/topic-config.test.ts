import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { applyConfigOps, replaceTopicConfigs, topicConfigSchema } from './topic-config.js';

const schema = topicConfigSchema();

describe('topicConfigSchema (the broker config table)', () => {
  it('checks whole sets with Kafka messages and canonical texts', () => {
    expect(schema.validate(new Map([['retention.ms', ' 1000 ']]))).toEqual({
      ok: true,
      overrides: new Map([['retention.ms', '1000']]),
    });
    expect(schema.validate(new Map([['foo.bar', '1']]))).toEqual({
      ok: false,
      errorMessage: 'Unknown topic config name: foo.bar',
    });
    expect(
      schema.validate(
        new Map([
          ['min.compaction.lag.ms', '10'],
          ['max.compaction.lag.ms', '5'],
        ]),
      ),
    ).toMatchObject({ ok: false, errorMessage: expect.stringContaining('min.compaction.lag.ms') });
  });

  it('knows list keys and defaults', () => {
    expect(schema.isList('cleanup.policy')).toBe(true);
    expect(schema.isList('retention.ms')).toBe(false);
    expect(schema.defaultValue('cleanup.policy')).toBe('delete');
    expect(schema.defaultValue('no.such.key')).toBeNull();
  });
});

describe('replaceTopicConfigs (CreateTopics, AlterConfigs)', () => {
  it('validates the set and lets a later duplicate win', () => {
    const r = replaceTopicConfigs(schema, [
      { name: 'retention.ms', value: '1' },
      { name: 'retention.ms', value: '2' },
    ]);
    expect(r.ok && [...r.configs]).toEqual([['retention.ms', '2']]);
  });

  it('refuses null values and bad values with INVALID_CONFIG', () => {
    expect(replaceTopicConfigs(schema, [{ name: 'retention.ms', value: null }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Null value not supported for topic configs: retention.ms',
    });
    expect(replaceTopicConfigs(schema, [{ name: 'retention.ms', value: 'soon' }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Invalid value soon for configuration retention.ms: Not a number of type LONG',
    });
  });
});

describe('applyConfigOps (IncrementalAlterConfigs)', () => {
  const current = new Map([
    ['retention.ms', '1000'],
    ['cleanup.policy', 'compact'],
  ]);

  it('sets and deletes without touching the current map', () => {
    const r = applyConfigOps(schema, current, [
      { name: 'retention.ms', op: 'DELETE', value: null },
      { name: 'segment.ms', op: 'SET', value: '5000' },
      { name: 'flush.ms', op: 'DELETE', value: null },
    ]);
    expect(r.ok && Object.fromEntries(r.configs)).toEqual({ 'cleanup.policy': 'compact', 'segment.ms': '5000' });
    expect([...current.keys()]).toEqual(['retention.ms', 'cleanup.policy']);
  });

  it('appends to and subtracts from lists, starting from the default without an override', () => {
    const appended = applyConfigOps(schema, new Map(), [{ name: 'cleanup.policy', op: 'APPEND', value: 'compact' }]);
    expect(appended.ok && appended.configs.get('cleanup.policy')).toBe('delete,compact');
    const again = applyConfigOps(schema, current, [{ name: 'cleanup.policy', op: 'APPEND', value: 'compact,delete' }]);
    expect(again.ok && again.configs.get('cleanup.policy')).toBe('compact,delete');
    const subtracted = applyConfigOps(schema, new Map([['cleanup.policy', 'compact,delete']]), [
      { name: 'cleanup.policy', op: 'SUBTRACT', value: 'delete' },
    ]);
    expect(subtracted.ok && subtracted.configs.get('cleanup.policy')).toBe('compact');
  });

  it('starts APPEND from the schema default, which a broker config may set', () => {
    const brokerish = { ...schema, defaultValue: () => 'compact' };
    const r = applyConfigOps(brokerish, new Map(), [{ name: 'cleanup.policy', op: 'APPEND', value: 'delete' }]);
    expect(r.ok && r.configs.get('cleanup.policy')).toBe('compact,delete');
  });

  it('refuses APPEND on a non-list, duplicate keys, null SET values and bad values', () => {
    expect(applyConfigOps(schema, current, [{ name: 'retention.ms', op: 'APPEND', value: '1' }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Config value append is not allowed for config key: retention.ms',
    });
    expect(applyConfigOps(schema, current, [{ name: 'retention.ms', op: 'SUBTRACT', value: '1' }])).toMatchObject({
      errorMessage: 'Config value subtract is not allowed for config key: retention.ms',
    });
    expect(
      applyConfigOps(schema, current, [
        { name: 'retention.ms', op: 'SET', value: '1' },
        { name: 'retention.ms', op: 'DELETE', value: null },
      ]),
    ).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' });
    expect(applyConfigOps(schema, current, [{ name: 'retention.ms', op: 'SET', value: null }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
    });
    expect(applyConfigOps(schema, current, [{ name: 'retention.ms', op: 'SET', value: 'x' }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
    });
  });
});
