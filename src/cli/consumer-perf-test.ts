import { JoinGroup } from '../protocol/messages/11-join-group.js';
import { UsageError, intOption, type OptionSpec } from './args.js';
import { Cluster } from '../client/cluster.js';
import { DEFAULT_FETCHER_OPTIONS, Fetcher } from '../client/fetcher.js';
import { DEFAULT_GROUP_OPTIONS, GroupMember } from '../client/group-member.js';
import { ProgressLine, fixed } from './progress.js';
import {
  bootstrapServers,
  clientProperties,
  clientSettings,
  processIO,
  runTool,
  type ToolDefinition,
  type ToolIO,
} from './tool.js';

/**
 * `samsa consumer-perf-test`: Kafka 3.9's kafka-consumer-perf-test.sh (ConsumerPerformance). Consumes
 * --messages records of --topic as a member of --group (from the earliest offset unless --from-latest)
 * and prints Kafka's header and summary:
 *
 *   start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
 *   2024-01-01 10:00:00:000, 2024-01-01 10:00:01:500, 9.5367, 6.3578, 100000, 66666.6667, 120, 1380, 6.9107, 72463.7681
 *
 * (--show-detailed-stats prints a line per --reporting-interval instead). It stops after --timeout ms
 * without a record, with Kafka's warning. A broker without consumer groups is read directly, with a
 * rebalance time of 0. On a terminal a live progress line is drawn.
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description: 'REQUIRED: The server(s) to connect to.',
  },
  {
    name: 'broker-list',
    arg: 'String: broker-list',
    description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.',
  },
  { name: 'topic', arg: 'String: topic', description: 'REQUIRED: The topic to consume from.' },
  {
    name: 'group',
    arg: 'String: gid',
    description: 'The group id to consume on.',
    defaultValue: 'perf-consumer-<random>',
  },
  { name: 'messages', arg: 'Long: count', description: 'REQUIRED: The number of messages to consume.' },
  {
    name: 'fetch-size',
    arg: 'Integer: size',
    description: 'The amount of data to fetch in a single request.',
    defaultValue: '1048576',
  },
  {
    name: 'from-latest',
    description:
      'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.',
  },
  { name: 'consumer.config', arg: 'String: config file', description: 'Consumer config properties file.' },
  {
    name: 'reporting-interval',
    arg: 'Long: interval_ms',
    description: 'Interval in milliseconds at which to print progress info.',
    defaultValue: '5000',
  },
  {
    name: 'show-detailed-stats',
    description: 'If set, stats are reported for each reporting interval as configured by reporting-interval',
  },
  { name: 'hide-header', description: 'If set, skips printing the header for the stats' },
  {
    name: 'date-format',
    arg: 'String: date format',
    description: 'The date format to use for formatting the time field (y, M, d, H, m, s, S as in Java).',
    defaultValue: 'yyyy-MM-dd HH:mm:ss:SSS',
  },
  {
    name: 'timeout',
    arg: 'Long: milliseconds',
    description: 'The maximum allowed time in milliseconds between returned records.',
    defaultValue: '10000',
  },
  { name: 'print-metrics', description: 'Accepted for compatibility; Samsa prints no client metrics.' },
];

const DEF: ToolDefinition = {
  name: 'consumer-perf-test',
  description:
    'This tool is used to verify the consumer performance.\nusage: samsa consumer-perf-test --bootstrap-server <host:port> --topic <topic> --messages <count> [options]',
  options: OPTIONS,
};

/** The subset of Java's SimpleDateFormat the tool needs: yyyy MM dd HH mm ss SSS, in local time. */
export function formatDate(ms: number, pattern: string): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss|SSS/g, (t) => {
    switch (t) {
      case 'yyyy':
        return String(d.getFullYear());
      case 'MM':
        return two(d.getMonth() + 1);
      case 'dd':
        return two(d.getDate());
      case 'HH':
        return two(d.getHours());
      case 'mm':
        return two(d.getMinutes());
      case 'ss':
        return two(d.getSeconds());
      default:
        return String(d.getMilliseconds()).padStart(3, '0');
    }
  });
}

export function consumerPerfTest(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const servers = bootstrapServers(parsed, ['broker-list']);
    const topic = parsed.value('topic');
    if (topic === undefined) throw new UsageError('missing required argument --topic');
    const numMessages = intOption(parsed, 'messages', 1);
    if (numMessages === undefined) throw new UsageError('missing required argument --messages');
    const fetchSize = intOption(parsed, 'fetch-size', 1)!;
    const reportingInterval = intOption(parsed, 'reporting-interval', 1)!;
    const timeoutMs = intOption(parsed, 'timeout', 1)!;
    const dateFormat = parsed.value('date-format')!;
    const detailed = parsed.has('show-detailed-stats');
    const props = await clientProperties(parsed.value('consumer.config'), []);
    const groupId = parsed.has('group')
      ? parsed.value('group')!
      : `perf-consumer-${Math.floor(Math.random() * 100_000)}`;

    const extra = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
    if (!parsed.has('hide-header')) {
      io.out(
        detailed
          ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}\n`
          : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}\n`,
      );
    }
    const cluster = await Cluster.connect(servers, clientSettings(props, 'perf-consumer-client'));
    const progress = new ProgressLine(io);
    try {
      const t = await cluster.topic(topic);
      const fetcher = new Fetcher(cluster, {
        ...DEFAULT_FETCHER_OPTIONS,
        partitionMaxBytes: fetchSize,
        autoOffsetReset: parsed.has('from-latest') ? 'latest' : 'earliest',
      });
      const startMs = Date.now();
      let member: GroupMember | null = null;
      if (cluster.bootstrap.supports(JoinGroup)) {
        member = new GroupMember(cluster, groupId, [topic], fetcher, {
          ...DEFAULT_GROUP_OPTIONS,
          autoCommitIntervalMs: 5_000,
        });
      } else {
        await fetcher.assign(
          t.partitions.map((p) => ({
            topic,
            partition: p.partitionIndex,
            start: parsed.has('from-latest') ? 'latest' : 'earliest',
          })),
        );
      }
      let messages = 0;
      let bytes = 0;
      let lastMessages = 0;
      let lastBytes = 0;
      let lastReport = Date.now();
      let lastConsumed = Date.now();
      let now = Date.now();
      while (messages < numMessages && now - lastConsumed <= timeoutMs && !io.signal.aborted) {
        const records = member !== null ? await member.poll() : await fetcher.poll();
        now = Date.now();
        if (records.length > 0) lastConsumed = now;
        for (const r of records) {
          if (messages >= numMessages) break;
          messages++;
          bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
        }
        if (now - lastReport >= reportingInterval) {
          if (detailed) {
            progress.clear();
            const elapsed = now - lastReport;
            const mb = (bytes - lastBytes) / (1024 * 1024);
            io.out(
              `${formatDate(now, dateFormat)}, 0, ${fixed(bytes / (1024 * 1024), 4)}, ${fixed((1000 * mb) / elapsed, 4)}, ` +
                `${messages}, ${fixed(((messages - lastMessages) / elapsed) * 1000, 4)}, 0, ${elapsed}, ` +
                `${fixed((1000 * mb) / elapsed, 4)}, ${fixed((1000 * (messages - lastMessages)) / elapsed, 4)}\n`,
            );
          }
          lastReport = now;
          lastMessages = messages;
          lastBytes = bytes;
        }
        progress.update(`${messages} messages consumed, ${fixed(bytes / (1024 * 1024), 2)} MB`);
      }
      progress.clear();
      if (messages < numMessages) {
        io.out(
          `WARNING: Exiting before consuming the expected number of messages: timeout (${timeoutMs} ms) exceeded. ` +
            'You can use the --timeout option to increase the timeout.\n',
        );
      }
      const endMs = Date.now();
      if (member !== null) await member.close();
      const joinMs = member !== null && member.joinedAt > 0 ? member.joinedAt - startMs : 0;
      if (!detailed) {
        const elapsedSec = (endMs - startMs) / 1000;
        const fetchMs = endMs - startMs - joinMs;
        const mb = bytes / (1024 * 1024);
        io.out(
          `${formatDate(startMs, dateFormat)}, ${formatDate(endMs, dateFormat)}, ${fixed(mb, 4)}, ${fixed(mb / elapsedSec, 4)}, ` +
            `${messages}, ${fixed(messages / elapsedSec, 4)}, ${joinMs}, ${fetchMs}, ${fixed(mb / (fetchMs / 1000), 4)}, ` +
            `${fixed(messages / (fetchMs / 1000), 4)}\n`,
        );
      }
      return 0;
    } finally {
      progress.clear();
      cluster.close();
    }
  });
}
