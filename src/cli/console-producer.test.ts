import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleConsumer } from './console-consumer.js';
import { consoleProducer } from './console-producer.js';
import { TestBroker, runTool } from './testing/tool-harness.js';
import { topics } from './topics.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await TestBroker.start();
});
afterAll(async () => {
  await broker.stop();
});

const produce = (stdin: string, ...args: string[]) =>
  runTool(consoleProducer, ['--bootstrap-server', broker.bootstrap, ...args], { stdin });
const consume = (...args: string[]) =>
  runTool(consoleConsumer, ['--bootstrap-server', broker.bootstrap, '--timeout-ms', '1500', ...args]);

describe('samsa console-producer and console-consumer', () => {
  it('sends stdin line by line and reads it back from the beginning', async () => {
    expect(await produce('one\ntwo\nthree\n', '--topic', 'lines')).toMatchObject({ code: 0, out: '', err: '' });
    const r = await consume('--topic', 'lines', '--from-beginning', '--max-messages', '3');
    expect(r).toMatchObject({ code: 0, out: 'one\ntwo\nthree\n', err: 'Processed a total of 3 messages\n' });
  });

  it('parses keys and headers as LineMessageReader and prints them as DefaultMessageFormatter', async () => {
    await runTool(topics, [
      '--bootstrap-server',
      broker.bootstrap,
      '--create',
      '--topic',
      'keyed',
      '--partitions',
      '1',
    ]);
    const input = 'h1:x,h2:y|k1|v1\nh3:|k2|v2\n';
    const p = await produce(
      input,
      '--topic',
      'keyed',
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=|',
      '--property',
      'parse.headers=true',
      '--property',
      'headers.delimiter=|',
      '--compression-codec',
      'lz4',
    );
    expect(p.code).toBe(0);
    const r = await consume(
      '--topic',
      'keyed',
      '--from-beginning',
      '--max-messages',
      '2',
      '--property',
      'print.key=true',
      '--property',
      'print.headers=true',
      '--property',
      'print.partition=true',
      '--property',
      'print.offset=true',
      '--property',
      'print.timestamp=true',
    );
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^CreateTime:\d+\tPartition:0\tOffset:0\th1:x,h2:y\tk1\tv1$/);
    expect(lines[1]).toMatch(/^CreateTime:\d+\tPartition:0\tOffset:1\th3:\tk2\tv2$/);
    expect(r.code).toBe(0);
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('produces with --compression-codec %s', async (codec) => {
    const topic = `codec-${codec}`;
    expect((await produce('a\nb\n', '--topic', topic, '--compression-codec', codec, '--sync')).code).toBe(0);
    expect((await consume('--topic', topic, '--from-beginning', '--max-messages', '2')).out).toBe('a\nb\n');
  });

  it("accepts the seed's --broker-list and --request-required-acks", async () => {
    const r = await runTool(
      consoleProducer,
      ['--broker-list', broker.bootstrap, '--topic', 'acks0', '--request-required-acks', '1'],
      { stdin: 'x\n' },
    );
    expect(r.code).toBe(0);
    expect((await consume('--topic', 'acks0', '--from-beginning', '--max-messages', '1')).out).toBe('x\n');
  });

  it('reads one partition from an offset, and stops at --timeout-ms', async () => {
    await produce('r0\nr1\nr2\nr3\n', '--topic', 'offsets');
    const r = await consume('--topic', 'offsets', '--partition', '0', '--offset', '2');
    expect(r).toMatchObject({ code: 0, out: 'r2\nr3\n', err: 'Processed a total of 2 messages\n' });
  });

  it('commits its position in a group, and the group resumes from it', async () => {
    await produce('g1\ng2\ng3\n', '--topic', 'grouped');
    const first = await consume('--topic', 'grouped', '--group', 'readers', '--from-beginning', '--max-messages', '2');
    expect(first.out).toBe('g1\ng2\n');
    const second = await consume('--topic', 'grouped', '--group', 'readers', '--from-beginning');
    expect(second.out).toBe('g3\n');
  });

  it('stops on SIGINT, commits in its group and reports the count', async () => {
    await produce('s1\n', '--topic', 'sigint');
    const abort = new AbortController();
    const running = runTool(
      consoleConsumer,
      ['--bootstrap-server', broker.bootstrap, '--topic', 'sigint', '--group', 'stoppers', '--from-beginning'],
      { abort: abort.signal },
    );
    await new Promise((r) => setTimeout(r, 1500));
    abort.abort();
    expect(await running).toMatchObject({ code: 0, out: 's1\n', err: 'Processed a total of 1 messages\n' });
    const again = await consume('--topic', 'sigint', '--group', 'stoppers', '--from-beginning');
    expect(again.out).toBe('');
  });

  it('fails on a line without the key separator, naming the line', async () => {
    const r = await produce('nokey\n', '--topic', 'lines', '--property', 'parse.key=true');
    expect(r.code).toBe(1);
    expect(r.err).toBe("samsa console-producer: No key separator found on line number 1: 'nokey'\n");
  });

  it.each([
    [['--topic', 't', '--compression-codec', 'brotli'], 'unknown compression codec "brotli"'],
    [['--topic', 't', '--request-required-acks', '2'], 'invalid acks "2"'],
    [['--nope'], 'nope is not a recognized option'],
    [[], 'missing required argument --topic'],
  ])('producer rejects %j', async (args, message) => {
    const r = await produce('', ...args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  it.each([
    [['--partition', '0'], 'exactly one of --include/--topic is required'],
    [['--topic', 't', '--offset', '3'], 'the partition is required when offset is specified'],
    [['--topic', 't', '--partition', '0', '--offset', '-3'], 'offset value is incorrect'],
    [['--topic', 't', '--isolation-level', 'dirty'], 'invalid --isolation-level'],
  ])('consumer rejects %j', async (args, message) => {
    const r = await consume(...args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  it('consumer fails on an unknown topic with one line', async () => {
    const r = await consume('--topic', 'never-created');
    expect(r.code).toBe(1);
    expect(r.err).toContain('samsa console-consumer: topic never-created: UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('reads committed data only with --isolation-level read_committed', async () => {
    await produce('c1\n', '--topic', 'committed');
    const r = await consume(
      '--topic',
      'committed',
      '--from-beginning',
      '--isolation-level',
      'read_committed',
      '--max-messages',
      '1',
    );
    expect(r.out).toBe('c1\n');
  });
});
