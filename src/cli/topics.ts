import { intOption, oneAction, UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import { CliError, KafkaError } from '../client/errors.js';
import { BootstrapTopicBackend, type PartitionDescription, type TopicBackend } from './topic-backend.js';
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
 * `samsa topics`: Kafka 3.9's kafka-topics.sh (org.apache.kafka.tools.TopicCommand) with
 * --bootstrap-server. Output is Kafka's, byte for byte where scripts read it:
 *
 *   Topic: <t>\tTopicId: <id>\tPartitionCount: <n>\tReplicationFactor: <r>\tConfigs: <k=v,...>
 *   \tTopic: <t>\tPartition: <p>\tLeader: <id|none>\tReplicas: <ids>\tIsr: <ids>\tElr: <ids|N/A>\tLastKnownElr: <ids|N/A>
 *
 * --topic is a regular expression over whole names (commas mean "or"), as Kafka's IncludeList. Errors
 * go to stderr as one line with exit code 1 (Kafka prints "Error while executing topic command : ..."
 * on stdout; ours keeps stdout for results).
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description: 'REQUIRED: The Kafka server to connect to.',
  },
  {
    name: 'command-config',
    arg: 'String: command config property file',
    description:
      'Property file with client configs (client.id, request.timeout.ms, socket.connection.setup.timeout.ms).',
  },
  { name: 'list', description: 'List all available topics.' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'describe', description: 'List details for the given topics.' },
  { name: 'alter', description: 'Alter the number of partitions of a topic.' },
  { name: 'delete', description: 'Delete a topic.' },
  {
    name: 'topic',
    arg: 'String: topic',
    description:
      'The topic to create, alter, describe or delete. Also accepts a regular expression, except for --create.',
  },
  {
    name: 'partitions',
    arg: 'Integer: # of partitions',
    description:
      'The number of partitions for the topic being created or altered. If not supplied for create, defaults to the cluster default.',
  },
  {
    name: 'replication-factor',
    arg: 'Integer: replication factor',
    description:
      'The replication factor for each partition in the topic being created. If not supplied, defaults to the cluster default.',
  },
  {
    name: 'replica-assignment',
    arg: 'String: broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : ...',
    description: 'A list of manual partition-to-broker assignments for the topic being created or altered.',
  },
  {
    name: 'config',
    arg: 'String: name=value',
    description: 'A topic configuration override for the topic being created. May be repeated.',
  },
  {
    name: 'if-exists',
    description:
      'If set when altering, deleting or describing topics, the action is only executed if the topic exists.',
  },
  {
    name: 'if-not-exists',
    description: 'If set when creating topics, the action will only execute if the topic does not already exist.',
  },
  { name: 'exclude-internal', description: 'Exclude internal topics when running list or describe command.' },
  {
    name: 'under-replicated-partitions',
    description: 'If set when describing topics, only show under replicated partitions.',
  },
  {
    name: 'unavailable-partitions',
    description: 'If set when describing topics, only show partitions whose leader is not available.',
  },
  {
    name: 'under-min-isr-partitions',
    description:
      'If set when describing topics, only show partitions whose isr count is less than the configured minimum.',
  },
  {
    name: 'at-min-isr-partitions',
    description:
      'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.',
  },
  {
    name: 'topics-with-overrides',
    description: 'If set when describing topics, only show topics that have overridden configs.',
  },
];

const DEF: ToolDefinition = {
  name: 'topics',
  description:
    'Create, delete, describe, or change a topic.\nusage: samsa topics --bootstrap-server <host:port> [--list | --create | --describe | --alter | --delete] [options]',
  options: OPTIONS,
};

const ACTIONS = ['list', 'create', 'describe', 'alter', 'delete'] as const;
const REPORTS = [
  'under-replicated-partitions',
  'unavailable-partitions',
  'under-min-isr-partitions',
  'at-min-isr-partitions',
];
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

export function topics(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const action = oneAction(parsed, ACTIONS);
    checkArgs(parsed, action);
    const props = await clientProperties(parsed.value('command-config'), []);
    const backend: TopicBackend = await BootstrapTopicBackend.connect(
      bootstrapServers(parsed),
      clientSettings(props, 'samsa-topics'),
    );
    try {
      switch (action) {
        case 'create':
          return await create(backend, parsed, io);
        case 'list':
          // Kafka prints the names joined by newlines, then a newline: an empty line when there are none.
          io.out(`${(await matchingTopics(backend, parsed)).join('\n')}\n`);
          return 0;
        case 'describe':
          return await describe(backend, parsed, io);
        case 'alter':
          return await alter(backend, parsed);
        case 'delete':
          return await remove(backend, parsed);
      }
    } finally {
      backend.close();
    }
  });
}

/** The option combinations Kafka's TopicCommandOptions.checkArgs rejects. */
function checkArgs(parsed: ParsedArgs, action: string): void {
  if (action !== 'list' && action !== 'describe' && !parsed.has('topic')) {
    throw new UsageError(`missing required argument --topic for --${action}`);
  }
  if (action === 'alter' && !parsed.has('partitions')) {
    throw new UsageError('--alter needs --partitions (configs are altered with samsa configs)');
  }
  if (parsed.has('config') && action !== 'create') {
    throw new UsageError(`option --config can't be used with --${action} (use samsa configs --alter)`);
  }
  if (parsed.has('replication-factor') && action !== 'create') {
    throw new UsageError('option --replication-factor can only be used with --create');
  }
  if (parsed.has('partitions') && action !== 'create' && action !== 'alter') {
    throw new UsageError('option --partitions can only be used with --create or --alter');
  }
  if (
    parsed.has('replica-assignment') &&
    (parsed.has('partitions') || parsed.has('replication-factor')) &&
    action === 'create'
  ) {
    throw new UsageError("option --replica-assignment can't be used with --partitions or --replication-factor");
  }
  if (parsed.has('if-exists') && !['alter', 'delete', 'describe'].includes(action)) {
    throw new UsageError('option --if-exists can only be used with --alter, --delete or --describe');
  }
  if (parsed.has('if-not-exists') && action !== 'create') {
    throw new UsageError('option --if-not-exists can only be used with --create');
  }
  for (const r of [...REPORTS, 'topics-with-overrides']) {
    if (parsed.has(r) && action !== 'describe') throw new UsageError(`option --${r} can only be used with --describe`);
  }
  if (REPORTS.filter((r) => parsed.has(r)).length > 1) {
    throw new UsageError(`options ${REPORTS.map((r) => `--${r}`).join(', ')} are mutually exclusive`);
  }
}

/** Kafka's TopicFilter.IncludeList: commas become "|", blanks and surrounding quotes go. */
function topicFilter(raw: string): RegExp {
  const regex = raw
    .trim()
    .replaceAll(',', '|')
    .replaceAll(' ', '')
    .replace(/^["']+/, '')
    .replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${regex})$`, 'u');
  } catch {
    throw new UsageError(`${regex} is an invalid regex.`);
  }
}

async function matchingTopics(backend: TopicBackend, parsed: ParsedArgs): Promise<string[]> {
  const exclude = parsed.has('exclude-internal');
  const filter = parsed.has('topic') ? topicFilter(parsed.value('topic')!) : null;
  return (await backend.listTopics())
    .filter((t) => !(exclude && (t.isInternal || INTERNAL_TOPICS.has(t.name))))
    .map((t) => t.name)
    .filter((name) => filter === null || filter.test(name))
    .sort();
}

/** Kafka's ensureTopicExists: a named topic that matched nothing is an error without --if-exists. */
async function existingTopics(backend: TopicBackend, parsed: ParsedArgs): Promise<string[]> {
  const found = await matchingTopics(backend, parsed);
  const requested = parsed.value('topic');
  if (requested !== undefined && requested !== '' && found.length === 0 && !parsed.has('if-exists')) {
    throw new CliError(`Topic '${requested}' does not exist as expected`);
  }
  return found;
}

function parseConfigs(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const parts = v.split(/\s*=\s*/);
    if (parts.length !== 2) {
      throw new UsageError('Invalid topic config: all configs to be added must be in the format "key=val".');
    }
    out.set(parts[0]!.trim(), parts[1]!.trim());
  }
  return out;
}

/** "1:2,2:3" → partition 0 on brokers 1,2; partition 1 on 2,3 (Kafka's parseReplicaAssignment). */
function parseReplicaAssignment(text: string): number[][] {
  const out = text.split(',').map((part) => {
    const brokers = part.split(':').map((b) => {
      const n = Number(b.trim());
      if (b.trim() === '' || !Number.isInteger(n))
        throw new UsageError(`invalid broker id "${b}" in --replica-assignment`);
      return n;
    });
    if (new Set(brokers).size !== brokers.length) {
      throw new UsageError(`Partition replica lists may not contain duplicate entries: ${brokers.join(',')}`);
    }
    return brokers;
  });
  out.forEach((b, i) => {
    if (b.length !== out[0]!.length)
      throw new UsageError(`Partition ${i} has different replication factor: ${b.join(',')}`);
  });
  return out;
}

async function create(backend: TopicBackend, parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const name = parsed.value('topic')!;
  const partitions = intOption(parsed, 'partitions');
  const rf = intOption(parsed, 'replication-factor');
  if (rf !== undefined && (rf < 1 || rf > 32767)) {
    throw new UsageError('The replication factor must be between 1 and 32767 inclusive');
  }
  if (partitions !== undefined && partitions < 1) throw new UsageError('The partitions must be greater than 0');
  const configs = parseConfigs(parsed.values('config'));
  const assignment = parsed.has('replica-assignment')
    ? parseReplicaAssignment(parsed.value('replica-assignment')!)
    : null;
  if (name.includes('.') || name.includes('_')) {
    io.out(
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. " +
        'To avoid issues it is best to use either, but not both.\n',
    );
  }
  try {
    await backend.createTopic({
      name,
      numPartitions: assignment === null ? (partitions ?? -1) : -1,
      replicationFactor: assignment === null ? (rf ?? -1) : -1,
      assignments: (assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
      configs,
    });
  } catch (err) {
    // TOPIC_ALREADY_EXISTS (36) with --if-not-exists is success, silently, as in Kafka.
    if (err instanceof KafkaError && err.code === 36 && parsed.has('if-not-exists')) return 0;
    throw err;
  }
  io.out(`Created topic ${name}.\n`);
  return 0;
}

async function alter(backend: TopicBackend, parsed: ParsedArgs): Promise<number> {
  const partitions = intOption(parsed, 'partitions', 1)!;
  const assignment = parsed.has('replica-assignment')
    ? parseReplicaAssignment(parsed.value('replica-assignment')!)
    : null;
  for (const name of await existingTopics(backend, parsed)) {
    let newAssignments: number[][] | null = null;
    if (assignment !== null) {
      const [current] = await backend.describeTopics([name]);
      newAssignments = assignment.slice(current?.partitions.length ?? 0);
    }
    await backend.createPartitions(name, partitions, newAssignments);
  }
  return 0;
}

async function remove(backend: TopicBackend, parsed: ParsedArgs): Promise<number> {
  const names = await existingTopics(backend, parsed);
  if (names.length > 0) await backend.deleteTopics(names);
  return 0;
}

const ids = (list: readonly number[]): string => list.join(',');

async function describe(backend: TopicBackend, parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const names = await existingTopics(backend, parsed);
  const descriptions = await backend.describeTopics(names);
  const configs = await backend.topicConfigs(descriptions.map((d) => d.name));
  const live = await backend.liveBrokers();
  const report = REPORTS.find((r) => parsed.has(r));
  const overridesOnly = parsed.has('topics-with-overrides');
  for (const td of [...descriptions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entries = configs.get(td.name) ?? [];
    const overrides = entries.filter((e) => !e.isDefault);
    const minIsr = Number(entries.find((e) => e.name === 'min.insync.replicas')?.value ?? '1');
    const sorted = [...td.partitions].sort((a, b) => a.partition - b.partition);
    if (report === undefined && (!overridesOnly || overrides.length > 0)) {
      let line = `Topic: ${td.name}`;
      if (td.topicId !== null) line += `\tTopicId: ${td.topicId}`;
      line += `\tPartitionCount: ${sorted.length}\tReplicationFactor: ${sorted[0]?.replicas.length ?? 0}`;
      line += `\tConfigs: ${overrides.map((e) => `${e.name}=${e.value}`).join(',')}`;
      io.out(`${line}\n`);
    }
    if (overridesOnly) continue;
    for (const p of sorted) {
      if (report === undefined || matchesReport(report, p, live, minIsr)) io.out(`${partitionLine(td.name, p)}\n`);
    }
  }
  return 0;
}

function matchesReport(report: string, p: PartitionDescription, live: Set<number>, minIsr: number): boolean {
  const hasLeader = p.leader >= 0;
  switch (report) {
    case 'under-replicated-partitions':
      return p.replicas.length - p.isr.length > 0;
    case 'unavailable-partitions':
      return !hasLeader || !live.has(p.leader);
    case 'under-min-isr-partitions':
      return !hasLeader || p.isr.length < minIsr;
    default:
      return p.isr.length === minIsr;
  }
}

function partitionLine(topic: string, p: PartitionDescription): string {
  return (
    `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${p.leader >= 0 ? p.leader : 'none'}` +
    `\tReplicas: ${ids(p.replicas)}\tIsr: ${ids(p.isr)}` +
    `\tElr: ${p.elr === null ? 'N/A' : ids(p.elr)}\tLastKnownElr: ${p.lastKnownElr === null ? 'N/A' : ids(p.lastKnownElr)}`
  );
}
