import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeConfigs } from '../../protocol/messages/32-describe-configs.js';
import { ConfigSource } from '../config/config-source.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start('log.retention.hours=24\nlog.segment.bytes=2000000\n');
});
afterEach(async () => {
  await b.stop();
});

interface Entry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  configType: number;
  documentation: string | null;
}
interface Result {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: Entry[];
}

async function describeConfigs(
  resources: { resourceType: number; resourceName: string; configurationKeys?: string[] | null }[],
  opts: { version?: number; includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
): Promise<Result[]> {
  const r = await b.client.request<{ results: Result[] }>(DescribeConfigs, opts.version ?? 4, {
    resources: resources.map((r) => ({ ...r, configurationKeys: r.configurationKeys ?? null })),
    includeSynonyms: opts.includeSynonyms ?? false,
    includeDocumentation: opts.includeDocumentation ?? false,
  });
  return r.results;
}

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const CLIENT_METRICS = 16;

describe('DescribeConfigs', () => {
  it('describes every topic config with its source; overrides are TOPIC_CONFIG', async () => {
    await b.createTopic('t', 1, { 'retention.ms': '1000' });
    const [r] = await describeConfigs([{ resourceType: TOPIC, resourceName: 't' }]);
    expect(r).toMatchObject({ errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 't' });
    const byName = new Map(r!.configs.map((c) => [c.name, c]));
    expect(byName.size).toBeGreaterThan(30);
    expect(byName.get('retention.ms')).toMatchObject({
      value: '1000',
      configSource: ConfigSource.TOPIC_CONFIG,
      readOnly: false,
      synonyms: [],
      documentation: null,
    });
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: ConfigSource.DEFAULT_CONFIG });
    // Kafka drops synonyms before the primary broker key: log.retention.hours alone reads as a default.
    expect(byName.get('segment.bytes')).toMatchObject({
      value: '2000000',
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
    });
  });

  it('lists synonyms (v1+) and documentation and types (v3+) when asked', async () => {
    await b.createTopic('t', 1, { 'segment.bytes': '1000000' });
    const [r] = await describeConfigs(
      [{ resourceType: TOPIC, resourceName: 't', configurationKeys: ['segment.bytes'] }],
      {
        includeSynonyms: true,
        includeDocumentation: true,
      },
    );
    expect(r!.configs).toHaveLength(1);
    const c = r!.configs[0]!;
    expect(c.synonyms.map((s) => [s.name, s.value, s.source])).toEqual([
      ['segment.bytes', '1000000', ConfigSource.TOPIC_CONFIG],
      ['log.segment.bytes', '2000000', ConfigSource.STATIC_BROKER_CONFIG],
      ['log.segment.bytes', '1073741824', ConfigSource.DEFAULT_CONFIG],
    ]);
    expect(c.configType).toBe(3); // INT
    expect(c.documentation).toEqual(expect.any(String));
  });

  it('answers v0 with is_default', async () => {
    await b.createTopic('t', 1, { 'retention.ms': '1000' });
    const [r] = await describeConfigs(
      [{ resourceType: TOPIC, resourceName: 't', configurationKeys: ['retention.ms', 'cleanup.policy'] }],
      { version: 0 },
    );
    const isDefault = Object.fromEntries(r!.configs.map((c) => [c.name, c.isDefault]));
    expect(isDefault).toEqual({ 'retention.ms': false, 'cleanup.policy': true });
  });

  it('answers every version from v0 to v4', async () => {
    await b.createTopic('t');
    for (let v = 0; v <= 4; v++) {
      const [r] = await describeConfigs([{ resourceType: TOPIC, resourceName: 't' }], { version: v });
      expect(r!.errorCode, `v${v}`).toBe(0);
      expect(r!.configs.length, `v${v}`).toBeGreaterThan(30);
    }
  });

  it('describes this broker: every config, read-only, with static and default sources', async () => {
    const [r] = await describeConfigs([{ resourceType: BROKER, resourceName: '0' }], { includeSynonyms: true });
    expect(r!.errorCode).toBe(0);
    const byName = new Map(r!.configs.map((c) => [c.name, c]));
    expect(byName.get('log.retention.hours')).toMatchObject({
      value: '24',
      readOnly: true,
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
    });
    expect(byName.get('num.partitions')).toMatchObject({ value: '1', configSource: ConfigSource.DEFAULT_CONFIG });
    expect(r!.configs.every((c) => c.readOnly)).toBe(true);
  });

  it('describes the cluster default broker resource as empty (no dynamic defaults)', async () => {
    const [r] = await describeConfigs([{ resourceType: BROKER, resourceName: '' }]);
    expect(r).toMatchObject({ errorCode: 0, configs: [] });
  });

  it('refuses another broker id or a non-numeric one with INVALID_REQUEST', async () => {
    const [other, text] = await describeConfigs([
      { resourceType: BROKER, resourceName: '5' },
      { resourceType: BROKER, resourceName: 'x' },
    ]);
    expect(other).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unexpected broker id, expected 0 or empty string, but received 5',
      configs: [],
    });
    expect(text).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Broker id must be an integer, but it is: x',
    });
  });

  it('answers unknown and illegal topics', async () => {
    const [unknown, illegal] = await describeConfigs([
      { resourceType: TOPIC, resourceName: 'nope' },
      { resourceType: TOPIC, resourceName: 'bad/name' },
    ]);
    expect(unknown).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, configs: [] });
    expect(illegal!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('describes broker loggers as none, and refuses a missing or foreign broker id for them', async () => {
    const [ours, empty, other] = await describeConfigs([
      { resourceType: BROKER_LOGGER, resourceName: '0' },
      { resourceType: BROKER_LOGGER, resourceName: '' },
      { resourceType: BROKER_LOGGER, resourceName: '3' },
    ]);
    expect(ours).toMatchObject({ errorCode: 0, configs: [] });
    expect(empty).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Broker id must not be empty' });
    expect(other).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unexpected broker id, expected 0 but received 3',
    });
  });

  it('describes a client metrics subscription as empty', async () => {
    const [named, empty] = await describeConfigs([
      { resourceType: CLIENT_METRICS, resourceName: 'sub' },
      { resourceType: CLIENT_METRICS, resourceName: '' },
    ]);
    expect(named).toMatchObject({ errorCode: 0, configs: [] });
    expect(empty!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('fails every resource of a request naming an unknown resource type', async () => {
    await b.createTopic('t');
    const rs = await describeConfigs([
      { resourceType: TOPIC, resourceName: 't' },
      { resourceType: 3, resourceName: 'x' },
    ]);
    expect(rs.map((r) => [r.resourceType, r.errorCode, r.configs.length])).toEqual([
      [TOPIC, ErrorCode.INVALID_REQUEST, 0],
      [3, ErrorCode.INVALID_REQUEST, 0],
    ]);
  });
});
