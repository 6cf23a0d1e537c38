import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { AlterConfigs } from '../../protocol/messages/33-alter-configs.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start();
});
afterEach(async () => {
  await b.stop();
});

interface Result {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}
type Configs = { name: string; value: string | null }[];

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const CLIENT_METRICS = 16;

async function alter(
  resources: { resourceType: number; resourceName: string; configs: Configs }[],
  validateOnly = false,
  version = 2,
): Promise<Result[]> {
  const r = await b.client.request<{ responses: Result[] }>(AlterConfigs, version, { resources, validateOnly });
  return r.responses;
}

async function alterTopic(name: string, configs: Configs, validateOnly = false): Promise<Result> {
  return (await alter([{ resourceType: TOPIC, resourceName: name, configs }], validateOnly))[0]!;
}

const overrides = (topic: string) => Object.fromEntries(b.server.services.metadata.topic(topic)!.configs);

describe('AlterConfigs', () => {
  it('replaces all of a topic’s overrides', async () => {
    await b.createTopic('t', 1, { 'retention.ms': '1000', 'segment.ms': '60000' });
    expect(await alterTopic('t', [{ name: 'retention.ms', value: '2000' }])).toMatchObject({
      errorCode: 0,
      errorMessage: null,
      resourceType: TOPIC,
      resourceName: 't',
    });
    expect(overrides('t')).toEqual({ 'retention.ms': '2000' });
  });

  it('takes effect on the next produce without a restart, and persists across one', async () => {
    await b.createTopic('t');
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(0);
    expect((await alterTopic('t', [{ name: 'max.message.bytes', value: '200' }])).errorCode).toBe(0);
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect((await b.produce('t', 0, 1, 10)).errorCode).toBe(0);
    await b.restart();
    expect(overrides('t')).toEqual({ 'max.message.bytes': '200' });
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect((await alterTopic('t', [])).errorCode).toBe(0);
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(0);
  });

  it('applies log settings to the open log at once', async () => {
    await b.createTopic('t');
    await alterTopic('t', [{ name: 'segment.bytes', value: '100' }]);
    expect(b.server.services.replicaManager.getPartition('t', 0)!.log.config.segmentBytes).toBe(100);
  });

  it('validate_only checks without changing anything', async () => {
    await b.createTopic('t', 1, { 'retention.ms': '1000' });
    expect((await alterTopic('t', [{ name: 'retention.ms', value: '5' }], true)).errorCode).toBe(0);
    expect((await alterTopic('t', [{ name: 'retention.ms', value: 'x' }], true)).errorCode).toBe(
      ErrorCode.INVALID_CONFIG,
    );
    expect(overrides('t')).toEqual({ 'retention.ms': '1000' });
  });

  it.each([
    [
      'retention.ms',
      'abc',
      "Invalid config value for resource ConfigResource(type=TOPIC, name='t'): Invalid value abc for configuration retention.ms: Not a number of type LONG",
    ],
    ['retention.hours', '1', 'Unknown topic config name: retention.hours'],
  ])('refuses %s=%s with INVALID_CONFIG in Kafka’s words', async (name, value, message) => {
    await b.createTopic('t');
    expect(await alterTopic('t', [{ name, value }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: message,
    });
  });

  it('refuses values that conflict with each other with INVALID_CONFIG', async () => {
    await b.createTopic('t');
    const r = await alterTopic('t', [
      { name: 'min.compaction.lag.ms', value: '5000' },
      { name: 'max.compaction.lag.ms', value: '1000' },
    ]);
    expect(r).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)',
    });
  });

  it('refuses null values and duplicate keys with INVALID_REQUEST', async () => {
    await b.createTopic('t');
    expect(await alterTopic('t', [{ name: 'retention.ms', value: null }])).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Null value not supported for : retention.ms',
    });
    expect(
      await alterTopic('t', [
        { name: 'retention.ms', value: '1' },
        { name: 'retention.ms', value: '2' },
      ]),
    ).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' });
  });

  it('refuses unknown topics and the default topic resource', async () => {
    expect(await alterTopic('nope', [])).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: "The topic 'nope' does not exist.",
    });
    expect(await alterTopic('', [])).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Default topic resources are not allowed.',
    });
  });

  it('refuses a resource named twice, for every copy', async () => {
    await b.createTopic('t');
    const rs = await alter([
      { resourceType: TOPIC, resourceName: 't', configs: [] },
      { resourceType: TOPIC, resourceName: 't', configs: [] },
    ]);
    expect(rs.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
      [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    ]);
  });

  it('refuses changes to broker configs, which are static, and accepts an empty change', async () => {
    const rs = await alter([
      { resourceType: BROKER, resourceName: '0', configs: [{ name: 'log.retention.ms', value: '1000' }] },
      {
        resourceType: BROKER,
        resourceName: '',
        configs: [
          { name: 'log.dirs', value: '/x' },
          { name: 'foo', value: '1' },
        ],
      },
      { resourceType: BROKER, resourceName: '5', configs: [] },
      { resourceType: BROKER, resourceName: 'abc', configs: [] },
    ]);
    expect(rs.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(log.retention.ms)'],
      [ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(log.dirs, foo)'],
      [ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 0, but received 5'],
      [ErrorCode.INVALID_REQUEST, 'Node id must be an integer, but it is: abc'],
    ]);
    const [empty] = await alter([{ resourceType: BROKER, resourceName: '0', configs: [] }]);
    expect(empty).toMatchObject({ errorCode: 0, errorMessage: null });
  });

  it('refuses broker loggers, client metrics and unknown resource types', async () => {
    const rs = await alter([
      { resourceType: BROKER_LOGGER, resourceName: '0', configs: [] },
      { resourceType: CLIENT_METRICS, resourceName: 'sub', configs: [] },
      { resourceType: 99, resourceName: 'x', configs: [] },
    ]);
    expect(rs.map((r) => [r.resourceType, r.errorCode, r.errorMessage])).toEqual([
      [BROKER_LOGGER, ErrorCode.INVALID_REQUEST, 'Unknown resource type 8'],
      [
        CLIENT_METRICS,
        ErrorCode.INVALID_REQUEST,
        'AlterConfigs is only supported for topics and brokers, but resource type is CLIENT_METRICS',
      ],
      [99, ErrorCode.INVALID_REQUEST, 'Unknown resource type 99'],
    ]);
  });

  it('answers every version from v0 to v2', async () => {
    await b.createTopic('t');
    for (let v = 0; v <= 2; v++) {
      const [r] = await alter(
        [{ resourceType: TOPIC, resourceName: 't', configs: [{ name: 'retention.ms', value: `${v + 1}` }] }],
        false,
        v,
      );
      expect(r!.errorCode, `v${v}`).toBe(0);
      expect(overrides('t')['retention.ms']).toBe(`${v + 1}`);
    }
  });
});
