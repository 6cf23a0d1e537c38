import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { IncrementalAlterConfigs } from '../../protocol/messages/44-incremental-alter-configs.js';
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
type Ops = { name: string; configOperation: number; value: string | null }[];

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const CLIENT_METRICS = 16;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

async function alter(
  resources: { resourceType: number; resourceName: string; configs: Ops }[],
  validateOnly = false,
  version = 1,
): Promise<Result[]> {
  const r = await b.client.request<{ responses: Result[] }>(IncrementalAlterConfigs, version, {
    resources,
    validateOnly,
  });
  return r.responses;
}

async function alterTopic(name: string, configs: Ops, validateOnly = false): Promise<Result> {
  return (await alter([{ resourceType: TOPIC, resourceName: name, configs }], validateOnly))[0]!;
}

async function alterOne(resourceType: number, resourceName: string, configs: Ops): Promise<Result> {
  return (await alter([{ resourceType, resourceName, configs }]))[0]!;
}

const overrides = (topic: string) => Object.fromEntries(b.server.services.metadata.topic(topic)!.configs);

describe('IncrementalAlterConfigs', () => {
  it('sets and deletes single overrides, keeping the others', async () => {
    await b.createTopic('t', 1, { 'retention.ms': '1000', 'segment.ms': '60000' });
    const r = await alterTopic('t', [
      { name: 'retention.ms', configOperation: SET, value: '2000' },
      { name: 'segment.ms', configOperation: DELETE, value: null },
      { name: 'max.message.bytes', configOperation: SET, value: '300' },
    ]);
    expect(r).toMatchObject({ errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 't' });
    expect(overrides('t')).toEqual({ 'retention.ms': '2000', 'max.message.bytes': '300' });
  });

  it('appends to and subtracts from list configs, starting from the default', async () => {
    await b.createTopic('t');
    expect(
      (await alterTopic('t', [{ name: 'cleanup.policy', configOperation: APPEND, value: 'compact' }])).errorCode,
    ).toBe(0);
    expect(overrides('t')['cleanup.policy']).toBe('delete,compact');
    expect(
      (await alterTopic('t', [{ name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' }])).errorCode,
    ).toBe(0);
    expect(overrides('t')['cleanup.policy']).toBe('compact');
  });

  it('refuses APPEND and SUBTRACT on a non-list config', async () => {
    await b.createTopic('t');
    expect(await alterTopic('t', [{ name: 'retention.ms', configOperation: APPEND, value: '1' }])).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Config value append is not allowed for config key: retention.ms',
    });
  });

  it('takes effect on the next produce and persists across a restart', async () => {
    await b.createTopic('t');
    await alterTopic('t', [{ name: 'max.message.bytes', configOperation: SET, value: '200' }]);
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    await b.restart();
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    await alterTopic('t', [{ name: 'max.message.bytes', configOperation: DELETE, value: null }]);
    expect((await b.produce('t', 0, 1, 500)).errorCode).toBe(0);
  });

  it('validate_only changes nothing', async () => {
    await b.createTopic('t');
    expect((await alterTopic('t', [{ name: 'retention.ms', configOperation: SET, value: '5' }], true)).errorCode).toBe(
      0,
    );
    expect(overrides('t')).toEqual({});
  });

  it('refuses bad values, unknown names, nulls, duplicates and unknown operations', async () => {
    await b.createTopic('t');
    const cases: [Ops, number, string][] = [
      [
        [{ name: 'retention.ms', configOperation: SET, value: 'x' }],
        ErrorCode.INVALID_CONFIG,
        "Invalid config value for resource ConfigResource(type=TOPIC, name='t'): Invalid value x for configuration retention.ms: Not a number of type LONG",
      ],
      [
        [{ name: 'nope', configOperation: SET, value: '1' }],
        ErrorCode.INVALID_CONFIG,
        'Unknown topic config name: nope',
      ],
      [
        [{ name: 'retention.ms', configOperation: SET, value: null }],
        ErrorCode.INVALID_REQUEST,
        'Null value not supported for : retention.ms',
      ],
      [
        [
          { name: 'retention.ms', configOperation: SET, value: '1' },
          { name: 'retention.ms', configOperation: DELETE, value: null },
        ],
        ErrorCode.INVALID_REQUEST,
        'Error due to duplicate config keys',
      ],
      [
        [{ name: 'retention.ms', configOperation: 9, value: '1' }],
        ErrorCode.INVALID_REQUEST,
        'Unknown operations type 9',
      ],
    ];
    for (const [ops, code, message] of cases) {
      expect(await alterTopic('t', ops), JSON.stringify(ops)).toMatchObject({ errorCode: code, errorMessage: message });
    }
    expect(overrides('t')).toEqual({});
  });

  it('refuses unknown topics, the default topic resource and a resource named twice', async () => {
    expect((await alterTopic('nope', [])).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await alterTopic('', [])).errorMessage).toBe('Default topic resources are not allowed.');
    await b.createTopic('t');
    const rs = await alter([
      { resourceType: TOPIC, resourceName: 't', configs: [] },
      { resourceType: TOPIC, resourceName: 't', configs: [] },
    ]);
    expect(rs.map((r) => r.errorMessage)).toEqual([
      'Each resource must appear at most once.',
      'Each resource must appear at most once.',
    ]);
  });

  it('refuses to set broker configs, which are static; DELETE and empty changes succeed', async () => {
    expect(await alterOne(BROKER, '0', [{ name: 'log.retention.ms', configOperation: SET, value: '1' }])).toMatchObject(
      {
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: 'Cannot update these configs dynamically: Set(log.retention.ms)',
      },
    );
    expect(
      await alterOne(BROKER, '', [{ name: 'log.cleanup.policy', configOperation: APPEND, value: 'compact' }]),
    ).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Cannot update these configs dynamically: Set(log.cleanup.policy)',
    });
    expect(
      await alterOne(BROKER, '0', [{ name: 'num.partitions', configOperation: APPEND, value: '1' }]),
    ).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Config value append is not allowed for config key: num.partitions',
    });
    expect(
      await alterOne(BROKER, '0', [{ name: 'log.retention.ms', configOperation: DELETE, value: null }]),
    ).toMatchObject({
      errorCode: 0,
    });
    expect((await alterOne(BROKER, '0', [])).errorCode).toBe(0);
    expect(await alterOne(BROKER, '2', [])).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unexpected broker id, expected 0, but received 2',
    });
    expect((await alterOne(BROKER, '0', [{ name: 'x', configOperation: 7, value: '1' }])).errorMessage).toBe(
      'Unknown operations type 7',
    );
  });

  it('answers broker logger changes as Kafka does for loggers that do not exist', async () => {
    expect(await alterOne(BROKER_LOGGER, '0', [{ name: 'kafka', configOperation: SET, value: 'DEBUG' }])).toMatchObject(
      {
        errorCode: ErrorCode.INVALID_CONFIG,
        errorMessage: 'Logger kafka does not exist!',
      },
    );
    expect(
      await alterOne(BROKER_LOGGER, '0', [{ name: 'kafka', configOperation: APPEND, value: 'DEBUG' }]),
    ).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'APPEND operation is not allowed for the BROKER_LOGGER resource',
    });
    expect((await alterOne(BROKER_LOGGER, '', [])).errorMessage).toBe('Node id must be an integer, but it is: ');
    expect((await alterOne(BROKER_LOGGER, '4', [])).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await alterOne(BROKER_LOGGER, '0', [])).errorCode).toBe(0);
  });

  it('refuses client metrics and unknown resource types', async () => {
    expect((await alterOne(CLIENT_METRICS, 'sub', [])).errorMessage).toBe(
      'AlterConfigs is only supported for topics and brokers, but resource type is CLIENT_METRICS',
    );
    expect(await alterOne(1, 'x', [])).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unknown resource type 1',
    });
  });

  it('answers v0', async () => {
    await b.createTopic('t');
    const [r] = await alter(
      [
        {
          resourceType: TOPIC,
          resourceName: 't',
          configs: [{ name: 'retention.ms', configOperation: SET, value: '9' }],
        },
      ],
      false,
      0,
    );
    expect(r!.errorCode).toBe(0);
    expect(overrides('t')).toEqual({ 'retention.ms': '9' });
  });
});
