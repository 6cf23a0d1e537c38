import { UsageError, type OptionSpec } from './args.js';
import { Cluster } from '../client/cluster.js';
import { CliError, KafkaError } from '../client/errors.js';
import { listOffsets, tpKey, type TopicPartition } from '../client/offsets.js';
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
 * `samsa get-offsets`: Kafka 3.9's kafka-get-offsets.sh (GetOffsetShell). Prints `topic:partition:offset`
 * per partition, sorted as Kafka sorts them (by the string "topic-partition"); a partition with no
 * offset for the time asked (a timestamp after its last record) is left out; a partition that fails is
 * reported on stderr and skipped. --time takes -1/latest, -2/earliest, -3/max-timestamp,
 * -4/earliest-local, -5/latest-tiered or a timestamp in ms.
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: HOST1:PORT1,...,HOST3:PORT3',
    description: 'REQUIRED. The server(s) to connect to.',
  },
  {
    name: 'broker-list',
    arg: 'String: HOST1:PORT1,...,HOST3:PORT3',
    description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.',
  },
  {
    name: 'topic-partitions',
    arg: 'String: topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3',
    description:
      "Comma separated list of topic-partition patterns to get the offsets for, with the format of '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?'. Cannot be used with --topic or --partitions.",
  },
  {
    name: 'topic',
    arg: 'String: topic',
    description:
      'The topic to get the offsets for. It also accepts a regular expression. If not present, all topics are queried.',
  },
  {
    name: 'partitions',
    arg: 'String: partition ids',
    description:
      'Comma separated list of partition ids to get the offsets for. If not present, all partitions are queried.',
  },
  {
    name: 'time',
    arg: 'String: <timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp',
    description:
      'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]',
    defaultValue: 'latest',
  },
  {
    name: 'command-config',
    arg: 'String: config file',
    description: 'Property file containing configs to be passed to the client.',
  },
  {
    name: 'exclude-internal-topics',
    description: 'By default, internal topics are included. If specified, internal topics are excluded.',
  },
];

const DEF: ToolDefinition = {
  name: 'get-offsets',
  description:
    'An interactive shell for getting topic-partition offsets.\nusage: samsa get-offsets --bootstrap-server <host:port> [--topic <topic>] [--time <time>] [options]',
  options: OPTIONS,
};

const NAMED_TIMES: Record<string, number> = {
  earliest: -2,
  latest: -1,
  'max-timestamp': -3,
  'earliest-local': -4,
  'latest-tiered': -5,
};

export function parseTime(raw: string): number {
  const named = NAMED_TIMES[raw];
  if (named !== undefined) return named;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n)) {
    throw new UsageError(
      `Malformed time argument ${raw}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / ` +
        '-4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp',
    );
  }
  return n;
}

type Filter = (topic: string, partition: number) => boolean;

function regex(source: string): RegExp {
  const cleaned = source
    .trim()
    .replaceAll(',', '|')
    .replaceAll(' ', '')
    .replace(/^["']+/, '')
    .replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${cleaned})$`, 'u');
  } catch {
    throw new UsageError(`${cleaned} is an invalid regex.`);
  }
}

/** TopicPattern(:PartitionPattern)? with PartitionPattern NUMBER | NUMBER-(NUMBER)? | -NUMBER. */
function patternList(list: string): Filter {
  const rules = list.split(',').map((spec): Filter => {
    const m = /^([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?$/.exec(spec);
    if (m === null) throw new UsageError(`Invalid rule specification: ${spec}`);
    const [, topicPattern, single, lower, upper] = m;
    const topic = topicPattern === undefined || topicPattern === '' ? /^.*$/ : regex(topicPattern);
    let inRange: (p: number) => boolean = () => true;
    if (single !== undefined && single !== '') inRange = (p) => p === Number(single);
    else if (lower !== undefined || upper !== undefined) {
      const lo = lower === undefined || lower === '' ? 0 : Number(lower);
      const hi = upper === undefined || upper === '' ? Infinity : Number(upper);
      inRange = (p) => p >= lo && p < hi;
    }
    return (t, p) => topic.test(t) && inRange(p);
  });
  return (t, p) => rules.some((r) => r(t, p));
}

function topicAndPartitions(topic: string | undefined, partitions: string | undefined): Filter {
  const topicRe = regex(topic ?? '.*');
  let set: Set<number> | null = null;
  if (partitions !== undefined && partitions !== '') {
    const ids = partitions.split(',').map((s) => Number(s));
    if (ids.some((n) => !Number.isInteger(n))) {
      throw new UsageError(
        `--partitions expects a comma separated list of numeric partition ids, but received: ${partitions}`,
      );
    }
    set = new Set(ids);
  }
  return (t, p) => topicRe.test(t) && (set === null || set.has(p));
}

export function getOffsets(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const servers = bootstrapServers(parsed, ['broker-list']);
    if (parsed.has('topic-partitions') && (parsed.has('topic') || parsed.has('partitions'))) {
      throw new UsageError('--topic-partitions cannot be used with --topic or --partitions');
    }
    const time = parseTime(parsed.value('time')!);
    const filter = parsed.has('topic-partitions')
      ? patternList(parsed.value('topic-partitions')!)
      : topicAndPartitions(parsed.value('topic'), parsed.value('partitions'));
    const props = await clientProperties(parsed.value('command-config'), []);
    const cluster = await Cluster.connect(servers, clientSettings(props, 'GetOffsetShell'));
    try {
      const md = await cluster.metadata(null);
      const exclude = parsed.has('exclude-internal-topics');
      const partitions: TopicPartition[] = [];
      for (const t of md.topics) {
        if (t.errorCode !== 0 || t.name === null || (exclude && t.isInternal)) continue;
        for (const p of t.partitions)
          if (filter(t.name, p.partitionIndex)) partitions.push({ topic: t.name, partition: p.partitionIndex });
      }
      if (partitions.length === 0)
        throw new CliError('Could not match any topic-partitions with the specified filters');
      const lines: [string, string][] = [];
      const add = (tp: TopicPartition, offset: number | undefined) => {
        if (offset !== undefined && offset !== -1)
          lines.push([`${tp.topic}-${tp.partition}`, `${tp.topic}:${tp.partition}:${offset}`]);
      };
      try {
        const found = await listOffsets(cluster, partitions, time);
        for (const tp of partitions) add(tp, found.get(tpKey(tp.topic, tp.partition))?.offset);
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        // Some partition failed: ask one by one, skipping the failures with a note, as Kafka does.
        for (const tp of partitions) {
          try {
            add(tp, (await listOffsets(cluster, [tp], time)).get(tpKey(tp.topic, tp.partition))?.offset);
          } catch (e) {
            if (!(e instanceof KafkaError)) throw e;
            io.err(`Skip getting offsets for topic-partition ${tp.topic}-${tp.partition} due to error: ${e.message}\n`);
          }
        }
      }
      lines.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      io.out(lines.map(([, line]) => `${line}\n`).join(''));
      return 0;
    } finally {
      cluster.close();
    }
  });
}
