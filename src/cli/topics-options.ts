import { UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import type { ToolDefinition } from './tool.js';

/**
 * The options of `samsa topics` and the combinations it refuses: Kafka 3.9's TopicCommandOptions, plus
 * Kafka 2.x's `--zookeeper` form (with its `--alter --config/--delete-config` and its required
 * `--partitions` and `--replication-factor` for `--create`).
 */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description: 'REQUIRED: The Kafka server to connect to.',
  },
  {
    name: 'zookeeper',
    arg: 'String: hosts',
    description:
      'The connection string for the ZooKeeper connection in the form host:port[,host:port][/chroot] ' +
      "(Kafka 2.x's form, for a cluster in ZooKeeper mode). Reads and writes the znodes directly.",
  },
  {
    name: 'command-config',
    arg: 'String: command config property file',
    description:
      'Property file with client configs (client.id, request.timeout.ms, socket.connection.setup.timeout.ms; ' +
      'with --zookeeper: zookeeper.connection.timeout.ms, zookeeper.session.timeout.ms).',
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
    description:
      'A topic configuration override for the topic being created (or, with --zookeeper, altered). May be repeated.',
  },
  {
    name: 'delete-config',
    arg: 'String: name',
    description: 'A topic configuration override to be removed for an existing topic (with --zookeeper only).',
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

export const DEF: ToolDefinition = {
  name: 'topics',
  description:
    'Create, delete, describe, or change a topic.\nusage: samsa topics (--bootstrap-server <host:port> | --zookeeper <host:port[/chroot]>) [--list | --create | --describe | --alter | --delete] [options]',
  options: OPTIONS,
};

export const ACTIONS = ['list', 'create', 'describe', 'alter', 'delete'] as const;
export const REPORTS = [
  'under-replicated-partitions',
  'unavailable-partitions',
  'under-min-isr-partitions',
  'at-min-isr-partitions',
];

/** The option combinations Kafka's TopicCommandOptions.checkArgs rejects. */
export function checkArgs(parsed: ParsedArgs, action: string): void {
  if (action !== 'list' && action !== 'describe' && !parsed.has('topic')) {
    throw new UsageError(`missing required argument --topic for --${action}`);
  }
  const zookeeper = parsed.has('zookeeper');
  if (zookeeper === parsed.has('bootstrap-server')) {
    throw new UsageError('Only one of --bootstrap-server or --zookeeper must be specified');
  }
  // Kafka 2.x's ZooKeeper form alters configs too (--config, --delete-config); 3.9's leaves that to kafka-configs.
  const configChange = zookeeper && (parsed.has('config') || parsed.has('delete-config'));
  if (parsed.has('config') && action !== 'create' && !(zookeeper && action === 'alter')) {
    throw new UsageError(`option --config can't be used with --${action} (use samsa configs --alter)`);
  }
  if (parsed.has('delete-config') && !(zookeeper && action === 'alter')) {
    throw new UsageError('option --delete-config can only be used with --alter and --zookeeper');
  }
  if (action === 'alter' && !parsed.has('partitions') && !configChange) {
    throw new UsageError(
      zookeeper
        ? '--alter needs --partitions, --config or --delete-config'
        : '--alter needs --partitions (configs are altered with samsa configs)',
    );
  }
  if (
    zookeeper &&
    action === 'create' &&
    !parsed.has('replica-assignment') &&
    !(parsed.has('partitions') && parsed.has('replication-factor'))
  ) {
    // Kafka 2.x: with --zookeeper there are no broker defaults to fall back on.
    throw new UsageError(
      `missing required argument --${parsed.has('partitions') ? 'replication-factor' : 'partitions'} for --create with --zookeeper`,
    );
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
