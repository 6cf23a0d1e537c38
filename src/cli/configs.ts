import { readFile } from 'node:fs/promises';
import { parseProperties } from '../broker/config/properties.js';
import { UsageError, oneAction, type OptionSpec, type ParsedArgs } from './args.js';
import { Admin, AlterConfigOp, ConfigSource, ResourceType, type ConfigEntry } from '../client/admin.js';
import { Cluster } from '../client/cluster.js';
import { CliError } from '../client/errors.js';
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
 * `samsa configs`: Kafka 3.9's kafka-configs.sh (kafka.admin.ConfigCommand) for topics and brokers
 * with --bootstrap-server. --describe prints, per entity, Kafka's lines:
 *
 *   Dynamic configs for topic <t> are:            (All configs ... with --all)
 *     <name>=<value> sensitive=<bool> synonyms={<SOURCE>:<name>=<value>, ...}
 *
 * --alter applies --add-config (k=v,k2=[a,b]) as SET and --delete-config (k,k2) as DELETE through
 * IncrementalAlterConfigs and prints "Completed updating config for topic <t>.". Entities are named
 * with --entity-type/--entity-name/--entity-default or the shorthands --topic, --broker,
 * --broker-defaults. An unknown topic is a one-line error with exit code 1.
 */
const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'String: server to connect to', description: 'The Kafka server to connect to.' },
  {
    name: 'command-config',
    arg: 'String: command config property file',
    description: 'Property file containing configs to be passed to the client.',
  },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'entity-type', arg: 'String', description: 'Type of entity (topics/brokers).' },
  { name: 'entity-name', arg: 'String', description: 'Name of entity (topic name/broker id).' },
  {
    name: 'entity-default',
    description: 'Default entity name for brokers (applies to the corresponding entity type).',
  },
  { name: 'topic', arg: 'String: topic', description: "The topic's name." },
  { name: 'broker', arg: 'String: broker id', description: "The broker's ID." },
  { name: 'broker-defaults', description: 'The config defaults for all brokers.' },
  {
    name: 'add-config',
    arg: 'String',
    description:
      "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.",
  },
  { name: 'add-config-file', arg: 'String', description: 'Path to a properties file with configs to add.' },
  { name: 'delete-config', arg: 'String', description: 'config keys to remove: k1,k2' },
  {
    name: 'all',
    description: 'List all configs for the given topic or broker, including static configuration and defaults.',
  },
];

const DEF: ToolDefinition = {
  name: 'configs',
  description:
    'Add/Remove entity config for a topic or broker.\nusage: samsa configs --bootstrap-server <host:port> --entity-type topics|brokers [--entity-name <name> | --entity-default] (--describe | --alter --add-config k=v --delete-config k)',
  options: OPTIONS,
};

const SOURCE_NAMES = new Map<number, string>(Object.entries(ConfigSource).map(([name, id]) => [id, name]));

interface Entity {
  readonly type: 'topics' | 'brokers';
  /** null: every entity of the type (--describe without a name); '' the broker default. */
  readonly name: string | null;
}

function entityOf(parsed: ParsedArgs): Entity {
  const shorthand = ['topic', 'broker', 'broker-defaults'].filter((o) => parsed.has(o));
  if (shorthand.length > 1 || (shorthand.length === 1 && parsed.has('entity-type'))) {
    throw new UsageError(
      'give one entity: --entity-type with --entity-name/--entity-default, or one of --topic, --broker, --broker-defaults',
    );
  }
  if (parsed.has('topic')) return { type: 'topics', name: parsed.value('topic')! };
  if (parsed.has('broker')) return { type: 'brokers', name: parsed.value('broker')! };
  if (parsed.has('broker-defaults')) return { type: 'brokers', name: '' };
  const type = parsed.value('entity-type');
  if (type === undefined)
    throw new UsageError('missing required argument --entity-type (or --topic, --broker, --broker-defaults)');
  if (type !== 'topics' && type !== 'brokers') {
    throw new UsageError(`invalid entity type "${type}": samsa configs supports topics and brokers`);
  }
  if (parsed.has('entity-default')) {
    if (type !== 'brokers') throw new UsageError('--entity-default applies to brokers only');
    return { type, name: '' };
  }
  return { type, name: parsed.value('entity-name') ?? null };
}

/** "k1=v1,k2=[a,b]" → k1=v1, k2=a,b (commas inside brackets belong to the value). */
export function parseConfigsToAdd(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const pairs = text.match(/[^,=]+=(?:\[[^\]]*\]|[^,]*)/g) ?? [];
  const rebuilt = pairs.join(',');
  if (rebuilt !== text.trim()) throw new UsageError(`invalid --add-config "${text}" (expected k1=v1,k2=[v1,v2])`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1).replace(/^\[(.*)\]$/, '$1');
    out.set(pair.slice(0, eq).trim(), value);
  }
  return out;
}

export function configs(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const action = oneAction(parsed, ['describe', 'alter']);
    const entity = entityOf(parsed);
    if (action === 'alter' && entity.name === null)
      throw new UsageError('--alter needs an entity name (--entity-name or --entity-default)');
    if (
      action === 'alter' &&
      !parsed.has('add-config') &&
      !parsed.has('add-config-file') &&
      !parsed.has('delete-config')
    ) {
      throw new UsageError('--alter needs --add-config, --add-config-file or --delete-config');
    }
    if (entity.type === 'brokers' && entity.name !== null && entity.name !== '' && !/^\d+$/.test(entity.name)) {
      throw new UsageError(`the entity name for brokers must be a broker id, got "${entity.name}"`);
    }
    const props = await clientProperties(parsed.value('command-config'), []);
    const cluster = await Cluster.connect(bootstrapServers(parsed), clientSettings(props, 'samsa-configs'));
    try {
      const admin = new Admin(cluster);
      return action === 'describe'
        ? await describe(cluster, admin, entity, parsed.has('all'), io)
        : await alter(cluster, admin, entity, parsed, io);
    } finally {
      cluster.close();
    }
  });
}

function label(entity: Entity, name: string): string {
  if (entity.type === 'topics') return `topic ${name}`;
  return name === '' ? 'brokers in the cluster' : `broker ${name}`;
}

function entryLine(e: ConfigEntry): string {
  const synonyms = e.synonyms.map((s) => `${SOURCE_NAMES.get(s.source) ?? 'UNKNOWN'}:${s.name}=${s.value}`).join(', ');
  return `  ${e.name}=${e.isSensitive ? 'null' : e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}`;
}

async function describe(cluster: Cluster, admin: Admin, entity: Entity, all: boolean, io: ToolIO): Promise<number> {
  const resourceType = entity.type === 'topics' ? ResourceType.TOPIC : ResourceType.BROKER;
  let names: string[];
  if (entity.name !== null) names = [entity.name];
  else if (entity.type === 'topics') {
    const md = await cluster.metadata(null);
    names = md.topics
      .filter((t) => t.errorCode === 0 && t.name !== null)
      .map((t) => t.name!)
      .sort();
  } else {
    await cluster.metadata([]);
    names = [...cluster.brokers.map((b) => String(b.nodeId)), ''];
  }
  if (entity.type === 'topics' && entity.name !== null) await cluster.topic(entity.name);
  for (const name of names) {
    const entries = (await admin.describeConfigs(resourceType, [name])).get(name) ?? [];
    const dynamic =
      entity.type === 'topics'
        ? [ConfigSource.DYNAMIC_TOPIC_CONFIG]
        : name === ''
          ? [ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]
          : [ConfigSource.DYNAMIC_BROKER_CONFIG];
    const shown = entries
      .filter((e) => all || (dynamic as number[]).includes(e.configSource))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const heading =
      name === '' && entity.type === 'brokers'
        ? `Default configs for brokers in the cluster are:`
        : `${all ? 'All' : 'Dynamic'} configs for ${label(entity, name)} are:`;
    io.out(`${heading}\n${shown.map((e) => `${entryLine(e)}\n`).join('')}`);
  }
  return 0;
}

async function alter(cluster: Cluster, admin: Admin, entity: Entity, parsed: ParsedArgs, io: ToolIO): Promise<number> {
  const name = entity.name!;
  const toAdd = new Map<string, string>();
  const file = parsed.value('add-config-file');
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    for (const e of parseProperties(text, file)) toAdd.set(e.key, e.value);
  }
  for (const [k, v] of parseConfigsToAdd(parsed.value('add-config') ?? '')) toAdd.set(k, v);
  const toDelete = (parsed.value('delete-config') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const both = toDelete.filter((k) => toAdd.has(k));
  if (both.length > 0) throw new UsageError(`Invalid config(s): ${both.join(',')} (both added and deleted)`);
  if (entity.type === 'topics') await cluster.topic(name);
  await admin.incrementalAlterConfigs(entity.type === 'topics' ? ResourceType.TOPIC : ResourceType.BROKER, name, [
    ...[...toAdd].map(([k, v]) => ({ name: k, op: AlterConfigOp.SET, value: v })),
    ...toDelete.map((k) => ({ name: k, op: AlterConfigOp.DELETE, value: null })),
  ]);
  io.out(
    entity.type === 'brokers' && name === ''
      ? 'Completed updating default config for brokers in the cluster.\n'
      : `Completed updating config for ${label(entity, name)}.\n`,
  );
  return 0;
}
