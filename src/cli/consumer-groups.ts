import { UsageError, intOption, type OptionSpec, type ParsedArgs } from './args.js';
import { Cluster } from '../client/cluster.js';
import { CliError, KafkaError } from '../client/errors.js';
import { commitOffsets, fetchCommittedOffsets } from '../client/group-offsets.js';
import { deleteGroups, describeGroup, listGroups, type GroupDescription } from '../client/groups.js';
import { EARLIEST, LATEST, listOffsets, tpKey, type TopicPartition } from '../client/offsets.js';
import { errorInfo } from '../protocol/errors.js';
import { describeOffsets, describeMembers, describeState } from './consumer-groups-describe.js';
import { parseDateTime } from './datetime.js';
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
 * `samsa consumer-groups`: Kafka 3.9's kafka-consumer-groups.sh (ConsumerGroupCommand) for classic
 * groups: --list, --describe (offsets by default; --members [--verbose]; --state), --reset-offsets and
 * --delete, with Kafka's columns and widths (consumer-groups-describe.ts).
 *
 * Deliberate differences: a group that does not exist, or one whose offsets cannot be reset because it
 * is active, is a one-line error on stderr with exit code 1 (Kafka prints "Error: ..." on stdout and
 * exits 0); --reset-offsets prints one row per line (Kafka 3.9.2 prints the rows on one line, a bug).
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description: 'REQUIRED: The server(s) to connect to.',
  },
  {
    name: 'command-config',
    arg: 'String: command config property file',
    description: 'Property file containing configs to be passed to the client.',
  },
  { name: 'list', description: 'List all consumer groups.' },
  {
    name: 'describe',
    description:
      'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.',
  },
  {
    name: 'delete',
    description:
      'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group.',
  },
  {
    name: 'reset-offsets',
    description:
      'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive. Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets.',
  },
  {
    name: 'group',
    arg: 'String: consumer group',
    description: 'The consumer group we wish to act on. May be repeated.',
  },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  {
    name: 'topic',
    arg: 'String: topic',
    description:
      'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`.',
  },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'to-offset', arg: 'Long: offset', description: 'Reset offsets to a specific offset.' },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  {
    name: 'to-datetime',
    arg: 'String: datetime',
    description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'",
  },
  {
    name: 'shift-by',
    arg: 'Long: number-of-offsets',
    description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.",
  },
  {
    name: 'dry-run',
    description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.',
  },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  {
    name: 'members',
    description:
      'Describe members of the group. This option may be used with --describe and --bootstrap-server options only.',
  },
  {
    name: 'offsets',
    description:
      'Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action.',
  },
  {
    name: 'state',
    arg: 'String',
    optionalArg: true,
    implied: '',
    description: 'When specified with --describe, includes the state of the group.',
  },
  { name: 'verbose', description: 'Provide additional information, if any, when describing the group.' },
];

const DEF: ToolDefinition = {
  name: 'consumer-groups',
  description:
    'List all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.\nusage: samsa consumer-groups --bootstrap-server <host:port> [--list | --describe | --delete | --reset-offsets] [options]',
  options: OPTIONS,
};

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets'];
const SCENARIOS = ['to-offset', 'to-earliest', 'to-latest', 'to-current', 'to-datetime', 'shift-by'];

export function consumerGroups(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const given = ACTIONS.filter((a) => parsed.has(a));
    if (given.length !== 1) {
      throw new UsageError('command must include exactly one action: --list, --describe, --delete, --reset-offsets');
    }
    const action = given[0]!;
    if (action !== 'list' && !parsed.has('group') && !parsed.has('all-groups')) {
      throw new UsageError(`option --${action} needs --group or --all-groups`);
    }
    if (action === 'reset-offsets') checkResetArgs(parsed);
    const props = await clientProperties(parsed.value('command-config'), []);
    const cluster = await Cluster.connect(bootstrapServers(parsed), clientSettings(props, 'samsa-consumer-groups'));
    try {
      const groups = async () =>
        parsed.has('all-groups') ? (await listGroups(cluster)).map((g) => g.groupId).sort() : parsed.values('group');
      switch (action) {
        case 'list':
          io.out((await listGroups(cluster)).map((g) => `${g.groupId}\n`).join(''));
          return 0;
        case 'describe':
          return await describe(cluster, await groups(), parsed, io);
        case 'delete':
          return await remove(cluster, await groups(), io);
        default:
          return await reset(cluster, await groups(), parsed, io);
      }
    } finally {
      cluster.close();
    }
  });
}

async function describe(cluster: Cluster, groupIds: string[], parsed: ParsedArgs, io: ToolIO): Promise<number> {
  for (const groupId of groupIds) {
    const group = await describeGroup(cluster, groupId);
    if (group.state === 'Dead') throw new CliError(`Consumer group '${groupId}' does not exist.`);
    if (group.state === 'Empty') io.err(`\nConsumer group '${groupId}' has no active members.\n`);
    else if (group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance') {
      io.err(`\nWarning: Consumer group '${groupId}' is rebalancing.\n`);
    }
    if (parsed.has('members')) io.out(describeMembers(group, parsed.has('verbose')));
    else if (parsed.has('state')) io.out(describeState(group));
    else io.out(await describeOffsets(cluster, group));
  }
  return 0;
}

async function remove(cluster: Cluster, groupIds: string[], io: ToolIO): Promise<number> {
  const results = await deleteGroups(cluster, groupIds);
  const failed = [...results].filter(([, code]) => code !== 0);
  const ok = [...results].filter(([, code]) => code === 0).map(([g]) => g);
  if (failed.length === 0) {
    io.out(`Deletion of requested consumer groups (${ok.map((g) => `'${g}'`).join(', ')}) was successful.\n`);
    return 0;
  }
  if (ok.length > 0) io.out(`These consumer groups were deleted successfully: ${ok.map((g) => `'${g}'`).join(', ')}\n`);
  const describeError = (code: number) => {
    const info = errorInfo(code);
    return `${info?.name ?? code} (${info?.message ?? 'unknown error'})`;
  };
  const lines = failed.map(([g, code]) => `Group '${g}' could not be deleted due to: ${describeError(code)}`);
  throw new CliError(lines.join('; '));
}

function checkResetArgs(parsed: ParsedArgs): void {
  const scenarios = SCENARIOS.filter((s) => parsed.has(s));
  if (scenarios.length !== 1) {
    throw new UsageError(`option --reset-offsets needs exactly one of ${SCENARIOS.map((s) => `--${s}`).join(', ')}`);
  }
  if (parsed.has('topic') === parsed.has('all-topics')) {
    throw new UsageError('one of the reset scopes should be defined: --all-topics, --topic');
  }
  if (parsed.has('to-datetime')) parseDateTime(parsed.value('to-datetime')!);
  if (parsed.has('dry-run') && parsed.has('execute'))
    throw new UsageError('options --dry-run and --execute cannot be used together');
}

/** "t" (every partition) or "t:0,1,2" (those). */
async function partitionsOf(cluster: Cluster, arg: string): Promise<TopicPartition[]> {
  const colon = arg.indexOf(':');
  if (colon < 0) {
    const t = await cluster.topic(arg);
    return t.partitions
      .map((p) => ({ topic: arg, partition: p.partitionIndex }))
      .sort((a, b) => a.partition - b.partition);
  }
  const topic = arg.slice(0, colon);
  return arg
    .slice(colon + 1)
    .split(',')
    .map((p) => {
      const n = Number(p.trim());
      if (p.trim() === '' || !Number.isInteger(n) || n < 0) {
        throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}'`);
      }
      return { topic, partition: n };
    });
}

async function reset(cluster: Cluster, groupIds: string[], parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const execute = parsed.has('execute');
  const rows: string[] = [];
  for (const groupId of groupIds) {
    const group: GroupDescription = await describeGroup(cluster, groupId);
    if (group.state !== 'Empty' && group.state !== 'Dead') {
      throw new CliError(
        `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${group.state}.`,
      );
    }
    const coordinator = await cluster.coordinator(groupId);
    const committed = await fetchCommittedOffsets(coordinator, groupId, null);
    let partitions: TopicPartition[] = [];
    if (parsed.has('all-topics'))
      partitions = [...committed.values()].map(({ topic, partition }) => ({ topic, partition }));
    else for (const arg of parsed.values('topic')) partitions.push(...(await partitionsOf(cluster, arg)));
    const target = await plan(cluster, partitions, committed, parsed);
    if (execute) await commitOffsets(coordinator, groupId, target);
    for (const t of target) {
      rows.push(
        `${groupId.padEnd(30)} ${t.topic.padEnd(30)} ${String(t.partition).padEnd(10)} ${String(t.offset).padEnd(15)}`,
      );
    }
  }
  if (rows.length > 0) {
    io.out(`\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n`);
    io.out(rows.map((r) => `${r}\n`).join(''));
  }
  return 0;
}

/** The new offset of each partition for the chosen scenario, kept within [log start, log end]. */
async function plan(
  cluster: Cluster,
  partitions: readonly TopicPartition[],
  committed: ReadonlyMap<string, TopicPartition & { offset: number }>,
  parsed: ParsedArgs,
): Promise<(TopicPartition & { offset: number })[]> {
  if (partitions.length === 0) return [];
  const starts = await listOffsets(cluster, partitions, EARLIEST);
  const ends = await listOffsets(cluster, partitions, LATEST);
  const bounds = (tp: TopicPartition) => ({
    start: starts.get(tpKey(tp.topic, tp.partition))!.offset,
    end: ends.get(tpKey(tp.topic, tp.partition))!.offset,
  });
  const clamp = (tp: TopicPartition, offset: number) => {
    const { start, end } = bounds(tp);
    return Math.min(Math.max(offset, start), end);
  };
  const current = (tp: TopicPartition): number | undefined => {
    const c = committed.get(tpKey(tp.topic, tp.partition))?.offset;
    return c === undefined || c < 0 ? undefined : c;
  };
  let byTime: Map<string, { offset: number }> | null = null;
  if (parsed.has('to-datetime'))
    byTime = await listOffsets(cluster, partitions, parseDateTime(parsed.value('to-datetime')!));
  return partitions.map((tp) => {
    let offset: number;
    if (parsed.has('to-earliest')) offset = bounds(tp).start;
    else if (parsed.has('to-latest')) offset = bounds(tp).end;
    else if (parsed.has('to-offset')) offset = clamp(tp, intOption(parsed, 'to-offset')!);
    else if (parsed.has('shift-by')) {
      const c = current(tp);
      if (c === undefined) {
        throw new CliError(
          `Cannot shift offset for partition ${tp.topic}-${tp.partition} since there is no current committed offset`,
        );
      }
      offset = clamp(tp, c + intOption(parsed, 'shift-by')!);
    } else if (parsed.has('to-current')) offset = current(tp) ?? bounds(tp).end;
    else {
      // No record at or after the time: the log end, as Kafka's getLogTimestampOffsets does.
      const found = byTime!.get(tpKey(tp.topic, tp.partition))?.offset ?? -1;
      offset = found < 0 ? bounds(tp).end : found;
    }
    return { ...tp, offset };
  });
}

export { KafkaError };
