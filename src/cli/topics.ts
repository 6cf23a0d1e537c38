import { intOption, oneAction, UsageError, type ParsedArgs } from './args.js';
import { CliError, KafkaError } from '../client/errors.js';
import { BootstrapTopicBackend, type PartitionDescription, type TopicBackend } from './topic-backend.js';
import { ZK_TOOL_TIMEOUT_MS, ZooKeeperTopicBackend } from './topic-backend-zk.js';
import { ACTIONS, DEF, REPORTS, checkArgs } from './topics-options.js';
import { bootstrapServers, clientProperties, clientSettings, processIO, runTool, type ToolIO } from './tool.js';
import { javaHashMapOrder } from './java-hash-order.js';

/**
 * `samsa topics`: Kafka 3.9's kafka-topics.sh (org.apache.kafka.tools.TopicCommand) with
 * --bootstrap-server, and Kafka 2.x's `--zookeeper` form for a cluster in ZooKeeper mode
 * (topic-backend-zk.ts; it prints 2.x's extra lines: deletion marks, "Adding partitions succeeded!").
 * Describe output is Kafka 3.9's in both forms, byte for byte where scripts read it:
 *
 *   Topic: <t>\tTopicId: <id>\tPartitionCount: <n>\tReplicationFactor: <r>\tConfigs: <k=v,...>
 *   \tTopic: <t>\tPartition: <p>\tLeader: <id|none>\tReplicas: <ids>\tIsr: <ids>\tElr: <ids|N/A>\tLastKnownElr: <ids|N/A>
 *
 * --topic is a regular expression over whole names (commas mean "or"), as Kafka's IncludeList. Errors
 * go to stderr as one line with exit code 1 (Kafka prints "Error while executing topic command : ..."
 * on stdout; ours keeps stdout for results).
 */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

export function topics(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const action = oneAction(parsed, ACTIONS);
    checkArgs(parsed, action);
    const props = await clientProperties(parsed.value('command-config'), []);
    const backend = await connect(parsed, props);
    try {
      switch (action) {
        case 'create':
          return await create(backend, parsed, io);
        case 'list':
          return await list(backend, parsed, io);
        case 'describe':
          return await describe(backend, parsed, io);
        case 'alter':
          return await alter(backend, parsed, io);
        case 'delete':
          return await remove(backend, parsed, io);
      }
    } finally {
      backend.close();
    }
  });
}

/** `--bootstrap-server` (Kafka 3.9's form) or `--zookeeper` (Kafka 2.x's, straight to the znodes). */
async function connect(parsed: ParsedArgs, props: ReadonlyMap<string, string>): Promise<TopicBackend> {
  const zookeeper = parsed.value('zookeeper');
  if (zookeeper === undefined) {
    return BootstrapTopicBackend.connect(bootstrapServers(parsed), clientSettings(props, 'samsa-topics'));
  }
  const ms = (key: string): number => {
    const raw = props.get(key);
    const n = Number(raw ?? ZK_TOOL_TIMEOUT_MS);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${key} must be a positive integer, got "${raw}"`);
    return n;
  };
  return ZooKeeperTopicBackend.connect(zookeeper, {
    connectionTimeoutMs: ms('zookeeper.connection.timeout.ms'),
    sessionTimeoutMs: ms('zookeeper.session.timeout.ms'),
  });
}

async function list(backend: TopicBackend, parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const marked = new Set((await backend.listTopics()).filter((t) => t.markedForDeletion === true).map((t) => t.name));
  // Kafka prints the names joined by newlines, then a newline: an empty line when there are none. Its
  // ZooKeeper form (2.x) prints one line per topic, marking those queued for deletion.
  const names = await matchingTopics(backend, parsed);
  if (backend.form === 'zookeeper') {
    for (const name of names) io.out(marked.has(name) ? `${name} - marked for deletion\n` : `${name}\n`);
  } else {
    io.out(`${names.join('\n')}\n`);
  }
  return 0;
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

async function alter(backend: TopicBackend, parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const partitions = intOption(parsed, 'partitions', 1);
  const assignment = parsed.has('replica-assignment')
    ? parseReplicaAssignment(parsed.value('replica-assignment')!)
    : null;
  const zookeeper = backend.form === 'zookeeper';
  for (const name of await existingTopics(backend, parsed)) {
    if (parsed.has('config') || parsed.has('delete-config')) {
      // Kafka 2.x's ZooKeeper TopicCommand, with its deprecation warning.
      io.out(
        'WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.\n' +
          '         Going forward, please use kafka-configs.sh for this functionality\n',
      );
      await backend.alterTopicConfig?.(name, parseConfigs(parsed.values('config')), parsed.values('delete-config'));
      io.out(`Updated config for topic ${name}.\n`);
    }
    if (partitions === undefined) continue;
    let newAssignments: number[][] | null = null;
    if (assignment !== null) {
      const [current] = await backend.describeTopics([name]);
      newAssignments = assignment.slice(current?.partitions.length ?? 0);
    }
    if (zookeeper) {
      io.out(
        'WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\n',
      );
    }
    await backend.createPartitions(name, partitions, newAssignments);
    if (zookeeper) io.out('Adding partitions succeeded!\n');
  }
  return 0;
}

async function remove(backend: TopicBackend, parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const names = await existingTopics(backend, parsed);
  if (names.length > 0) for (const line of await backend.deleteTopics(names)) io.out(`${line}\n`);
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
  // Kafka's tool prints topics and config entries in the order of the HashMaps its admin client
  // returns them in (java-hash-order.ts); the topics go in sorted, the entries in response order.
  const byName = [...descriptions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const td of javaHashMapOrder(byName, (d) => d.name)) {
    const entries = javaHashMapOrder(configs.get(td.name) ?? [], (e) => e.name);
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
      if (report === undefined || matchesReport(report, p, live, minIsr))
        io.out(`${partitionLine(td.name, p, td.markedForDeletion === true)}\n`);
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

function partitionLine(topic: string, p: PartitionDescription, markedForDeletion: boolean): string {
  return (
    `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${p.leader >= 0 ? p.leader : 'none'}` +
    `\tReplicas: ${ids(p.replicas)}\tIsr: ${ids(p.isr)}` +
    `\tElr: ${p.elr === null ? 'N/A' : ids(p.elr)}\tLastKnownElr: ${p.lastKnownElr === null ? 'N/A' : ids(p.lastKnownElr)}` +
    (markedForDeletion ? '\tMarkedForDeletion: true' : '')
  );
}
