import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerPerfTest, formatDate } from './consumer-perf-test.js';
import { expandMultiValue, producerPerfTest } from './producer-perf-test.js';
import { TestBroker, runTool } from './testing/tool-harness.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await TestBroker.start();
});
afterAll(async () => {
  await broker.stop();
});

const NUM = '[0-9.]+';

describe('samsa producer-perf-test and consumer-perf-test', () => {
  it("produces N records and prints Kafka's summary line", async () => {
    const r = await runTool(producerPerfTest, [
      '--topic',
      'perf',
      '--num-records',
      '2000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${broker.bootstrap}`,
      'acks=1',
      'linger.ms=1',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^2000 records sent, ${NUM} records/sec \\(${NUM} MB/sec\\), ${NUM} ms avg latency, ${NUM} ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99\\.9th\\.\\n$`,
      ),
    );
  });

  it("consumes them and prints Kafka's header and summary", async () => {
    const r = await runTool(consumerPerfTest, [
      '--bootstrap-server',
      broker.bootstrap,
      '--topic',
      'perf',
      '--messages',
      '2000',
      '--timeout',
      '5000',
    ]);
    expect(r.code).toBe(0);
    const [header, line] = r.out.split('\n');
    expect(header).toBe(
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
    );
    const cells = line!.split(', ');
    expect(cells).toHaveLength(10);
    expect(cells[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3}$/);
    expect(cells[2]).toBe('0.1907');
    expect(cells[4]).toBe('2000');
  });

  it('warns when the timeout passes before --messages', async () => {
    const r = await runTool(consumerPerfTest, [
      '--bootstrap-server',
      broker.bootstrap,
      '--topic',
      'perf',
      '--messages',
      '5000',
      '--timeout',
      '500',
      '--hide-header',
    ]);
    expect(r.out).toMatch(
      /^WARNING: Exiting before consuming the expected number of messages: timeout \(500 ms\) exceeded\./,
    );
  });

  it('draws a live progress line only on a terminal', async () => {
    const args = [
      '--topic',
      'perf',
      '--num-records',
      '500',
      '--record-size',
      '10',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${broker.bootstrap}`,
    ];
    const tty = await runTool(producerPerfTest, args, { isTTY: true });
    expect(tty.out).toContain('\r');
    const plain = await runTool(producerPerfTest, args, { isTTY: false });
    expect(plain.out).not.toContain('\r');
    const noColor = await runTool(producerPerfTest, args, { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.out).not.toContain('\x1b[2m');
  });

  it.each([
    [['--num-records', '1', '--throughput', '-1', '--record-size', '1'], 'missing required argument --topic'],
    [['--topic', 't', '--num-records', '1', '--throughput', '-1'], 'exactly one of --record-size or --payload-file'],
    [['--topic', 't', '--num-records', '1', '--throughput', '-1', '--record-size', '1'], 'give bootstrap.servers'],
  ])('producer-perf-test rejects %j', async (args, message) => {
    const r = await runTool(producerPerfTest, args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  it('consumer-perf-test fails on an unknown topic', async () => {
    const r = await runTool(consumerPerfTest, [
      '--bootstrap-server',
      broker.bootstrap,
      '--topic',
      'none',
      '--messages',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('expands nargs-style --producer-props and formats Java dates', () => {
    expect(expandMultiValue(['--producer-props', 'a=1', 'b=2', '--topic', 't'], '--producer-props')).toEqual([
      '--producer-props',
      'a=1',
      '--producer-props',
      'b=2',
      '--topic',
      't',
    ]);
    expect(formatDate(new Date(2024, 0, 2, 3, 4, 5, 6).getTime(), 'yyyy-MM-dd HH:mm:ss:SSS')).toBe(
      '2024-01-02 03:04:05:006',
    );
  });
});
