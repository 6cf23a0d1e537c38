import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configs } from './configs.js';
import { consoleProducer } from './console-producer.js';
import { deleteRecords } from './delete-records.js';
import { getOffsets } from './get-offsets.js';
import { TestBroker, runTool } from './testing/tool-harness.js';
import { topics } from './topics.js';

let broker: TestBroker;
const tmp = mkdtempSync(join(tmpdir(), 'samsa-cli-files-'));
beforeAll(async () => {
  broker = await TestBroker.start();
  const b = ['--bootstrap-server', broker.bootstrap];
  await runTool(topics, [...b, '--create', '--topic', 'data', '--partitions', '2']);
  // Keys chosen so murmur2 spreads them: 3 records on one partition, 2 on the other.
  await runTool(
    consoleProducer,
    [...b, '--topic', 'data', '--property', 'parse.key=true', '--property', 'key.separator=:'],
    {
      stdin: 'a:1\nb:2\nc:3\nd:4\ne:5\n',
    },
  );
});
afterAll(async () => {
  await broker.stop();
});

const bs = () => ['--bootstrap-server', broker.bootstrap];

describe('samsa get-offsets', () => {
  it('prints topic:partition:offset for the latest and earliest offsets', async () => {
    const latest = await runTool(getOffsets, [...bs(), '--topic', 'data']);
    expect(latest.code).toBe(0);
    const lines = latest.out.trimEnd().split('\n');
    expect(lines.map((l) => l.split(':').slice(0, 2).join(':'))).toEqual(['data:0', 'data:1']);
    expect(lines.reduce((n, l) => n + Number(l.split(':')[2]), 0)).toBe(5);
    expect((await runTool(getOffsets, [...bs(), '--topic', 'data', '--time', '-2'])).out).toBe('data:0:0\ndata:1:0\n');
    expect(
      (await runTool(getOffsets, [...bs(), '--topic', 'data', '--partitions', '1', '--time', 'earliest'])).out,
    ).toBe('data:1:0\n');
    expect((await runTool(getOffsets, [...bs(), '--topic-partitions', 'data:0'])).out).toMatch(/^data:0:\d+\n$/);
  });

  it('leaves out partitions without an offset for a future timestamp', async () => {
    const r = await runTool(getOffsets, [...bs(), '--topic', 'data', '--time', String(Date.now() + 3_600_000)]);
    expect(r).toMatchObject({ code: 0, out: '' });
  });

  it.each([
    [['--topic', 'nothing-here'], 'Could not match any topic-partitions with the specified filters'],
    [['--topic', 'data', '--time', 'yesterday'], 'Malformed time argument yesterday'],
    [['--topic', 'data', '--partitions', 'x'], '--partitions expects a comma separated list'],
    [
      ['--topic-partitions', 'data:0', '--topic', 'data'],
      '--topic-partitions cannot be used with --topic or --partitions',
    ],
  ])('rejects %j', async (args, message) => {
    const r = await runTool(getOffsets, [...bs(), ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });
});

describe('samsa configs', () => {
  it('describes, adds and deletes topic configs', async () => {
    const add = await runTool(configs, [
      ...bs(),
      '--alter',
      '--entity-type',
      'topics',
      '--entity-name',
      'data',
      '--add-config',
      'retention.ms=123456,cleanup.policy=[compact,delete]',
    ]);
    expect(add).toMatchObject({ code: 0, out: 'Completed updating config for topic data.\n' });
    const d = await runTool(configs, [...bs(), '--describe', '--topic', 'data']);
    expect(d.out).toContain('Dynamic configs for topic data are:\n');
    expect(d.out).toMatch(
      /\n {2}cleanup\.policy=compact,delete sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:cleanup\.policy=compact,delete/,
    );
    expect(d.out).toContain('  retention.ms=123456 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=123456');
    await runTool(configs, [...bs(), '--alter', '--topic', 'data', '--delete-config', 'retention.ms,cleanup.policy']);
    expect((await runTool(configs, [...bs(), '--describe', '--topic', 'data'])).out).toBe(
      'Dynamic configs for topic data are:\n',
    );
    expect((await runTool(configs, [...bs(), '--describe', '--topic', 'data', '--all'])).out).toMatch(
      /^All configs for topic data are:\n {2}\S+=/,
    );
  });

  it('describes broker configs', async () => {
    const r = await runTool(configs, [...bs(), '--describe', '--entity-type', 'brokers', '--entity-name', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Dynamic configs for broker 0 are:\n/);
    expect((await runTool(configs, [...bs(), '--describe', '--broker-defaults'])).out).toMatch(
      /^Default configs for brokers in the cluster are:\n/,
    );
  });

  it.each([
    [['--describe', '--topic', 'nope'], 'topic nope: UNKNOWN_TOPIC_OR_PARTITION'],
    [['--describe'], 'missing required argument --entity-type'],
    [['--alter', '--topic', 'data'], '--alter needs --add-config'],
    [['--describe', '--entity-type', 'users'], 'supports topics and brokers'],
    [['--alter', '--topic', 'data', '--add-config', 'a=1', '--delete-config', 'a'], 'Invalid config(s): a'],
  ])('rejects %j', async (args, message) => {
    const r = await runTool(configs, [...bs(), ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });
});

describe('samsa delete-records', () => {
  it('deletes records below an offset and reports the low watermark', async () => {
    const file = join(tmp, 'offsets.json');
    writeFileSync(
      file,
      JSON.stringify({
        partitions: [
          { topic: 'data', partition: 0, offset: 1 },
          { topic: 'data', partition: 7, offset: 1 },
        ],
        version: 1,
      }),
    );
    const r = await runTool(deleteRecords, [...bs(), '--offset-json-file', file]);
    expect(r.out).toMatch(
      /^Executing records delete operation\nRecords delete operation completed:\npartition: data-0\tlow_watermark: 1\npartition: data-7\terror: .*UNKNOWN_TOPIC_OR_PARTITION/,
    );
    expect(r.code).toBe(1);
    expect((await runTool(getOffsets, [...bs(), '--topic', 'data', '--partitions', '0', '--time', '-2'])).out).toBe(
      'data:0:1\n',
    );
  });

  it.each([
    ['{"partitions": [', 'The input string is not a valid JSON'],
    ['{"version": 2, "partitions": []}', 'Not supported version field value 2'],
    ['{"version": 1}', 'Missing partitions field'],
    [
      '{"partitions": [{"topic": "t", "partition": 0, "offset": 1}, {"topic": "t", "partition": 0, "offset": 2}]}',
      'duplicate topic partitions: t-0',
    ],
  ])('rejects %s', async (json, message) => {
    const file = join(tmp, `bad-${Math.random()}.json`);
    writeFileSync(file, json);
    const r = await runTool(deleteRecords, [...bs(), '--offset-json-file', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });
});
