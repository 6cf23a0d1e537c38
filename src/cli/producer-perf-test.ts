import { readFile } from 'node:fs/promises';
import { UsageError, intOption, type OptionSpec } from './args.js';
import { Cluster } from '../client/cluster.js';
import { CliError } from '../client/errors.js';
import { Producer } from '../client/producer.js';
import { producerOptions } from './producer-config.js';
import { ProgressLine, fixed } from './progress.js';
import { clientProperties, clientSettings, processIO, runTool, type ToolDefinition, type ToolIO } from './tool.js';

/**
 * `samsa producer-perf-test`: Kafka 3.9's kafka-producer-perf-test.sh (ProducerPerformance). Sends
 * --num-records records of --record-size random uppercase bytes (or lines of --payload-file) at most
 * --throughput records/s (-1: as fast as possible) and prints Kafka's lines: every 5 s
 *
 *   N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency.
 *
 * and at the end
 *
 *   N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th.
 *
 * Latency is from send() to the acknowledgement. On a terminal a live progress line is drawn between
 * them. --producer-props takes several key=value arguments, as Kafka's does.
 */
const OPTIONS: readonly OptionSpec[] = [
  { name: 'topic', arg: 'TOPIC', description: 'produce messages to this topic' },
  { name: 'num-records', arg: 'NUM-RECORDS', description: 'number of messages to produce' },
  {
    name: 'record-size',
    arg: 'RECORD-SIZE',
    description: 'message size in bytes. Note that you must provide exactly one of --record-size or --payload-file.',
  },
  {
    name: 'payload-file',
    arg: 'PAYLOAD-FILE',
    description:
      'file to read the message payloads from, one per --payload-delimiter; a payload is picked at random for each record.',
  },
  {
    name: 'payload-delimiter',
    arg: 'PAYLOAD-DELIMITER',
    description: 'delimiter of the payloads in --payload-file.',
    defaultValue: '\\n',
  },
  {
    name: 'throughput',
    arg: 'THROUGHPUT',
    description:
      'throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.',
  },
  {
    name: 'producer-props',
    arg: 'PROP-NAME=PROP-VALUE',
    description:
      'kafka producer related configuration properties like bootstrap.servers, client.id etc. These configs take precedence over those passed via --producer.config.',
  },
  { name: 'producer.config', arg: 'CONFIG-FILE', description: 'producer config properties file.' },
  {
    name: 'bootstrap-server',
    arg: 'BOOTSTRAP-SERVERS',
    description: 'The server(s) to connect to (instead of bootstrap.servers in --producer-props).',
  },
  { name: 'print-metrics', description: 'Accepted for compatibility; Samsa prints no client metrics.' },
];

const DEF: ToolDefinition = {
  name: 'producer-perf-test',
  description:
    'This tool is used to verify the producer performance.\nusage: samsa producer-perf-test --topic TOPIC --num-records NUM --throughput T (--record-size SIZE | --payload-file FILE) --producer-props bootstrap.servers=HOST:PORT [PROP=VALUE ...]',
  options: OPTIONS,
};

const REPORTING_INTERVAL_MS = 5_000;

/** argparse's nargs="+": `--producer-props a=1 b=2` → `--producer-props a=1 --producer-props b=2`. */
export function expandMultiValue(args: readonly string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    out.push(args[i]!);
    if (args[i] !== flag) continue;
    let first = true;
    while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) {
      if (!first) out.push(flag);
      out.push(args[++i]!);
      first = false;
    }
  }
  return out;
}

class Stats {
  private readonly start = Date.now();
  private windowStart = Date.now();
  count = 0;
  bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMax = 0;
  private windowTotal = 0;
  private windowBytes = 0;
  private readonly latencies: number[] = [];

  constructor(private readonly sampling: number) {}

  record(index: number, latency: number, bytes: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotal += latency;
    this.windowMax = Math.max(this.windowMax, latency);
    if (index % this.sampling === 0) this.latencies.push(latency);
  }

  windowDue(): boolean {
    return Date.now() - this.windowStart >= REPORTING_INTERVAL_MS;
  }

  windowLine(): string {
    const elapsed = Date.now() - this.windowStart;
    const line =
      `${this.windowCount} records sent, ${fixed((1000 * this.windowCount) / elapsed, 1)} records/sec ` +
      `(${fixed((1000 * this.windowBytes) / elapsed / (1024 * 1024), 2)} MB/sec), ` +
      `${fixed(this.windowTotal / this.windowCount, 1)} ms avg latency, ${fixed(this.windowMax, 1)} ms max latency.`;
    this.windowStart = Date.now();
    this.windowCount = this.windowMax = this.windowTotal = this.windowBytes = 0;
    return line;
  }

  progress(): string {
    const elapsed = Math.max(Date.now() - this.start, 1);
    return `${this.count} records sent, ${fixed((1000 * this.count) / elapsed, 1)} records/sec`;
  }

  totalLine(): string {
    const elapsed = Math.max(Date.now() - this.start, 1);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) => Math.round(sorted[Math.floor(p * sorted.length)] ?? 0);
    return (
      `${this.count} records sent, ${fixed((1000 * this.count) / elapsed, 6)} records/sec ` +
      `(${fixed((1000 * this.bytes) / elapsed / (1024 * 1024), 2)} MB/sec), ` +
      `${fixed(this.count === 0 ? 0 : this.totalLatency / this.count, 2)} ms avg latency, ${fixed(this.maxLatency, 2)} ms max latency, ` +
      `${pct(0.5)} ms 50th, ${pct(0.95)} ms 95th, ${pct(0.99)} ms 99th, ${pct(0.999)} ms 99.9th.`
    );
  }
}

function randomPayload(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = 65 + Math.floor(Math.random() * 26);
  return b;
}

export function producerPerfTest(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, expandMultiValue(args, '--producer-props'), io, async (parsed) => {
    const topic = parsed.value('topic');
    if (topic === undefined) throw new UsageError('missing required argument --topic');
    const numRecords = intOption(parsed, 'num-records', 1);
    if (numRecords === undefined) throw new UsageError('missing required argument --num-records');
    const throughput = intOption(parsed, 'throughput');
    if (throughput === undefined) throw new UsageError('missing required argument --throughput');
    if (parsed.has('record-size') === parsed.has('payload-file')) {
      throw new UsageError('exactly one of --record-size or --payload-file is required');
    }
    const recordSize = intOption(parsed, 'record-size', 0);
    let payloads: Buffer[] = [];
    if (parsed.has('payload-file')) {
      const file = parsed.value('payload-file')!;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const delimiter = parsed.value('payload-delimiter')!.replace(/\\n/g, '\n');
      payloads = text
        .split(delimiter)
        .filter((s) => s !== '')
        .map((s) => Buffer.from(s, 'utf8'));
      io.out(`Reading payloads from: ${file}\nNumber of messages read: ${payloads.length}\n`);
      if (payloads.length === 0) throw new CliError(`File is empty: ${file}`);
    }
    const props = await clientProperties(parsed.value('producer.config'), parsed.values('producer-props'));
    const servers = parsed.value('bootstrap-server') ?? props.get('bootstrap.servers');
    if (servers === undefined)
      throw new UsageError('give bootstrap.servers in --producer-props (or --bootstrap-server)');
    const options = producerOptions(props);
    const cluster = await Cluster.connect(servers, clientSettings(props, 'perf-producer-client'));
    cluster.allowAutoTopicCreation = true;
    const progress = new ProgressLine(io);
    try {
      await cluster.topic(topic);
      const producer = new Producer(cluster, options);
      const stats = new Stats(Math.max(1, Math.floor(numRecords / Math.min(numRecords, 500_000))));
      const fixedPayload = recordSize !== undefined ? randomPayload(recordSize) : null;
      const startMs = Date.now();
      let failure: Error | null = null;
      let lastDraw = 0;
      for (let i = 0; i < numRecords && failure === null && !io.signal.aborted; i++) {
        const value = fixedPayload ?? payloads[Math.floor(Math.random() * payloads.length)]!;
        const sentAt = performance.now();
        if (producer.full) await producer.waitForSpace();
        producer.send({ topic, key: null, value }).then(
          () => {
            stats.record(i, performance.now() - sentAt, value.length);
            if (stats.windowDue()) {
              progress.clear();
              io.out(`${stats.windowLine()}\n`);
            }
          },
          (err: Error) => {
            failure ??= err;
          },
        );
        if (throughput > 0) {
          const ahead = startMs + ((i + 1) * 1000) / throughput - Date.now();
          if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
        } else if (i % 1000 === 0) {
          await new Promise((r) => setImmediate(r));
        }
        if (Date.now() - lastDraw >= 250) {
          progress.update(stats.progress());
          lastDraw = Date.now();
        }
      }
      await producer.flush();
      progress.clear();
      if (failure !== null) throw failure;
      io.out(`${stats.totalLine()}\n`);
      return 0;
    } finally {
      progress.clear();
      cluster.close();
    }
  });
}
