import { UsageError, intOption, type OptionSpec } from './args.js';
import { Cluster } from '../client/cluster.js';
import { CliError } from '../client/errors.js';
import { DEFAULT_FETCHER_OPTIONS, Fetcher, type ConsumerRecord, type StartOffset } from '../client/fetcher.js';
import { DEFAULT_GROUP_OPTIONS, GroupMember } from '../client/group-member.js';
import { messageFormatter } from './message-formatter.js';
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
 * `samsa console-consumer`: Kafka 3.9's kafka-console-consumer.sh. Prints each record with Kafka's
 * DefaultMessageFormatter layout (message-formatter.ts) and, on exit, "Processed a total of N messages"
 * on stderr. It stops after --max-messages, after --timeout-ms without a record, or on SIGINT; with
 * --group it is a member of that consumer group and commits its positions before leaving.
 *
 * Deliberate difference: without --group, Kafka's tool joins a random "console-consumer-NNNNN" group;
 * ours reads every partition directly (no group, nothing committed), which is what that group amounts to.
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description: 'REQUIRED: The server(s) to connect to.',
  },
  { name: 'topic', arg: 'String: topic', description: 'The topic to consume on.' },
  {
    name: 'include',
    arg: 'String: Java regex (String)',
    description: 'Regular expression of the topics to consume (instead of --topic).',
  },
  {
    name: 'partition',
    arg: 'Integer: partition',
    description:
      'The partition to consume from. Consumption starts from the end of the partition unless --offset is specified.',
  },
  {
    name: 'offset',
    arg: 'String: consume offset',
    description:
      "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end.",
    defaultValue: 'latest',
  },
  {
    name: 'from-beginning',
    description:
      'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.',
  },
  { name: 'group', arg: 'String: consumer group id', description: 'The consumer group id of the consumer.' },
  {
    name: 'max-messages',
    arg: 'Integer: num_messages',
    description: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.',
  },
  {
    name: 'timeout-ms',
    arg: 'Integer: timeout_ms',
    description: 'If specified, exit if no message is available for consumption for the specified interval.',
  },
  {
    name: 'isolation-level',
    arg: 'String',
    description:
      'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.',
    defaultValue: 'read_uncommitted',
  },
  {
    name: 'property',
    arg: 'String: prop',
    description:
      'Formatter properties: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal.',
  },
  {
    name: 'formatter-config',
    arg: 'String: config file',
    description: 'Config properties file to initialize the message formatter. --property takes precedence.',
  },
  {
    name: 'consumer-property',
    arg: 'String: consumer_prop',
    description: 'A consumer property in the form key=value.',
  },
  {
    name: 'consumer.config',
    arg: 'String: config file',
    description: 'Consumer config properties file. --consumer-property takes precedence.',
  },
  {
    name: 'skip-message-on-error',
    description: 'Accepted for compatibility; records are printed as bytes and cannot fail to format.',
  },
];

const DEF: ToolDefinition = {
  name: 'console-consumer',
  description:
    'Consume messages and print them to standard output.\nusage: samsa console-consumer --bootstrap-server <host:port> --topic <topic> [options]',
  options: OPTIONS,
};

export function consoleConsumer(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const servers = bootstrapServers(parsed);
    if (parsed.has('topic') === parsed.has('include'))
      throw new UsageError('exactly one of --include/--topic is required');
    const partition = intOption(parsed, 'partition', 0);
    if (partition !== undefined && !parsed.has('topic'))
      throw new UsageError('the topic is required when partition is specified');
    if (partition === undefined && parsed.has('offset'))
      throw new UsageError('the partition is required when offset is specified');
    if (parsed.has('from-beginning') && parsed.has('offset')) {
      throw new UsageError('options from-beginning and offset cannot be specified together');
    }
    const start = parseStart(parsed.has('from-beginning') ? 'earliest' : parsed.value('offset')!);
    const maxMessages = intOption(parsed, 'max-messages', 1);
    const timeoutMs = intOption(parsed, 'timeout-ms', 0);
    const isolation = parsed.value('isolation-level')!;
    if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
      throw new UsageError(`invalid --isolation-level "${isolation}" (read_committed or read_uncommitted)`);
    }
    const props = await clientProperties(parsed.value('consumer.config'), parsed.values('consumer-property'));
    const groupId = parsed.value('group') ?? props.get('group.id');
    if (parsed.has('group') && props.has('group.id') && props.get('group.id') !== parsed.value('group')) {
      throw new UsageError(`the group ids given with --group and group.id do not match`);
    }
    const format = messageFormatter(
      await clientProperties(parsed.value('formatter-config'), parsed.values('property')),
    );
    const include = parsed.has('include') ? new RegExp(`^(?:${parsed.value('include')})$`, 'u') : null;

    const cluster = await Cluster.connect(servers, clientSettings(props, 'console-consumer'));
    const fetcher = new Fetcher(cluster, {
      ...DEFAULT_FETCHER_OPTIONS,
      isolationLevel: isolation === 'read_committed' ? 1 : 0,
      autoOffsetReset: parsed.has('from-beginning') ? 'earliest' : start === 'earliest' ? 'earliest' : 'latest',
    });
    let member: GroupMember | null = null;
    let count = 0;
    try {
      const topics = include === null ? [parsed.value('topic')!] : await matching(cluster, include);
      for (const t of topics) await cluster.topic(t);
      if (partition !== undefined) {
        const t = await cluster.topic(topics[0]!);
        if (!t.partitions.some((p) => p.partitionIndex === partition)) {
          throw new CliError(
            `partition ${partition} of topic ${topics[0]} does not exist (it has ${t.partitions.length})`,
          );
        }
        await fetcher.assign([{ topic: topics[0]!, partition, start }]);
      } else if (groupId === undefined) {
        const all = [];
        for (const topic of topics) {
          const t = await cluster.topic(topic);
          for (const p of t.partitions) all.push({ topic, partition: p.partitionIndex, start });
        }
        await fetcher.assign(all);
      } else {
        member = new GroupMember(cluster, groupId, topics, fetcher, DEFAULT_GROUP_OPTIONS);
      }
      let lastRecordAt = Date.now();
      while (!io.signal.aborted && (maxMessages === undefined || count < maxMessages)) {
        const records: ConsumerRecord[] = member !== null ? await member.poll() : await fetcher.poll();
        if (io.signal.aborted) break;
        if (records.length > 0) lastRecordAt = Date.now();
        else if (timeoutMs !== undefined && Date.now() - lastRecordAt >= timeoutMs) break;
        let text = '';
        let printed = 0;
        for (const r of records) {
          if (maxMessages !== undefined && count >= maxMessages) break;
          text += format(r);
          count++;
          printed++;
        }
        if (text !== '') io.out(text);
        if (printed < records.length) rewind(fetcher, records.slice(printed));
      }
      if (member !== null) await member.close();
    } finally {
      cluster.close();
      io.err(`Processed a total of ${count} messages\n`);
    }
    return 0;
  });
}

/** After --max-messages, each partition goes back to its first record not printed, so commits match. */
function rewind(fetcher: Fetcher, unprinted: readonly ConsumerRecord[]): void {
  const seen = new Set<string>();
  for (const r of unprinted) {
    const key = `${r.topic}:${r.partition}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fetcher.seek(r.topic, r.partition, r.offset);
  }
}

function parseStart(raw: string): StartOffset {
  if (raw === 'earliest' || raw === 'latest') return raw;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(
      "the provided offset value is incorrect. Valid values are 'earliest', 'latest', or a non-negative long",
    );
  }
  return n;
}

async function matching(cluster: Cluster, include: RegExp): Promise<string[]> {
  const md = await cluster.metadata(null);
  const names = md.topics.filter((t) => t.name !== null && !t.isInternal && include.test(t.name)).map((t) => t.name!);
  if (names.length === 0) throw new CliError(`no topic matches --include ${include.source}`);
  return names.sort();
}
