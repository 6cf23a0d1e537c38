import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBroker, runTool } from './testing/tool-harness.js';
import { topics } from './topics.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await TestBroker.start();
});
afterAll(async () => {
  await broker.stop();
});

const run = (...args: string[]) => runTool(topics, ['--bootstrap-server', broker.bootstrap, ...args]);

describe('samsa topics', () => {
  it('creates, lists and describes a topic in Kafka 3.9 layout', async () => {
    const created = await run(
      '--create',
      '--topic',
      'orders',
      '--partitions',
      '3',
      '--replication-factor',
      '1',
      '--config',
      'retention.ms=1000000',
    );
    expect(created).toMatchObject({ code: 0, out: 'Created topic orders.\n', err: '' });

    const listed = await run('--list');
    expect(listed.out.split('\n')).toContain('orders');

    const described = await run('--describe', '--topic', 'orders');
    expect(described.code).toBe(0);
    const lines = described.out.slice(0, -1).split('\n');
    expect(lines[0]).toMatch(
      /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention\.ms=1000000$/,
    );
    expect(lines.slice(1)).toEqual(
      [0, 1, 2].map((p) => `\tTopic: orders\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: \tLastKnownElr: `),
    );
  });

  it('answers an existing topic with an error, or silently with --if-not-exists', async () => {
    await run('--create', '--topic', 'dup');
    const again = await run('--create', '--topic', 'dup');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^samsa topics: creating topic dup: TOPIC_ALREADY_EXISTS/);
    expect(again.err.trimEnd().split('\n')).toHaveLength(1);
    expect(await run('--create', '--topic', 'dup', '--if-not-exists')).toMatchObject({ code: 0, out: '' });
  });

  it('adds partitions with --alter and deletes with --delete', async () => {
    await run('--create', '--topic', 'grow', '--partitions', '1');
    expect((await run('--alter', '--topic', 'grow', '--partitions', '4')).code).toBe(0);
    expect((await run('--describe', '--topic', 'grow')).out).toContain('PartitionCount: 4');
    expect((await run('--delete', '--topic', 'grow')).code).toBe(0);
    expect((await run('--list')).out.split('\n')).not.toContain('grow');
  });

  it('matches --topic as a regular expression, and filters partitions', async () => {
    await run('--create', '--topic', 'logs.a');
    await run('--create', '--topic', 'logs.b');
    expect((await run('--list', '--topic', 'logs\\..*')).out).toBe('logs.a\nlogs.b\n');
    // One broker, every replica in sync: no partition is under-replicated or unavailable.
    expect((await run('--describe', '--topic', 'logs.a', '--under-replicated-partitions')).out).toBe('');
    expect((await run('--describe', '--topic', 'logs.a', '--unavailable-partitions')).out).toBe('');
  });

  it('warns about topic names with a period or underscore, as Kafka does', async () => {
    const r = await run('--create', '--topic', 'a_b');
    expect(r.out).toMatch(/^WARNING: Due to limitations in metric names/);
  });

  it('fails on an unknown topic unless --if-exists', async () => {
    const r = await run('--describe', '--topic', 'missing');
    expect(r).toMatchObject({ code: 1, out: '', err: "samsa topics: Topic 'missing' does not exist as expected\n" });
    expect(await run('--describe', '--topic', 'missing', '--if-exists')).toMatchObject({ code: 0, out: '' });
    expect((await run('--delete', '--topic', 'missing')).code).toBe(1);
  });

  it.each([
    [['--list', '--bogus'], 'bogus is not a recognized option'],
    [['--list', '--create'], 'exactly one action'],
    [['--create'], 'missing required argument --topic'],
    [['--create', '--topic', 'x', '--partitions', '0'], 'The partitions must be greater than 0'],
    [['--create', '--topic', 'x', '--replication-factor', '0'], 'The replication factor must be between 1 and 32767'],
    [['--create', '--topic', 'x', '--config', 'nokey'], 'Invalid topic config'],
    [['--alter', '--topic', 'x'], '--alter needs --partitions'],
    [['--describe', '--if-not-exists'], '--if-not-exists can only be used with --create'],
  ])('rejects %j with one line and exit code 1', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints its options with --help', async () => {
    const r = await runTool(topics, ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--bootstrap-server <String: server to connect to>');
  });

  it('names the address when no broker answers, after the connection timeout', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'samsa-cfg-')), 'client.properties');
    writeFileSync(file, 'socket.connection.setup.timeout.ms=300\n');
    const started = Date.now();
    const r = await runTool(topics, ['--bootstrap-server', '127.0.0.1:1', '--command-config', file, '--list']);
    expect(r).toMatchObject({
      code: 1,
      out: '',
      err: 'samsa topics: cannot connect to 127.0.0.1:1 (connection refused)\n',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
