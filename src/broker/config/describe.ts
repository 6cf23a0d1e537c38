/**
 * Config entries as DescribeConfigs reports them, following Kafka's ConfigHelper:
 *
 * - Synonyms of a key are listed by layer, then by synonym order within a layer: the topic override
 *   (TOPIC_CONFIG), then each broker synonym set in the file or an override (STATIC_BROKER_CONFIG),
 *   then each broker synonym with a non-null default (DEFAULT_CONFIG). Samsa's broker config is static,
 *   so the dynamic broker layers are always empty.
 * - Broker synonyms are then dropped up to the first one named like the key's primary broker key
 *   (Kafka's `dropWhile`). So a topic whose retention comes from log.retention.hours lists no synonyms
 *   and reports DEFAULT_CONFIG, exactly as Kafka 3.9 does.
 * - The source is the first synonym's, else DEFAULT_CONFIG; `isDefault` (DescribeConfigs v0) is
 *   source == DEFAULT_CONFIG. Password values are reported as null.
 * - Topic entries are never read-only. Broker entries are all read-only: the config is frozen at start.
 */
import type { BrokerConfig } from './broker-config.js';
import { BROKER_KEY_DEFS, brokerKeyDef, isBrokerConfigKey } from './broker-defs.js';
import { ConfigSource, DESCRIBE_CONFIG_TYPE, type ConfigSourceId } from './config-source.js';
import { defaultOf, parseKey } from './parse-key.js';
import { TOPIC_KEY_DEFS } from './topic-defs.js';
import type { ConfigKeyDef } from './types.js';

export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSourceId;
}

export interface DescribedConfig {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSourceId;
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly isSensitive: boolean;
  /** Empty unless asked for. */
  readonly synonyms: readonly ConfigSynonym[];
  /** DescribeConfigs v3+ config_type id. */
  readonly configType: number;
  /** null unless asked for. */
  readonly documentation: string | null;
}

export interface DescribeOptions {
  /** Only these keys (unknown names are skipped, as by Kafka); all when absent or null. */
  readonly names?: readonly string[] | null;
  readonly includeSynonyms?: boolean;
  readonly includeDocumentation?: boolean;
}

/** Kafka's DynamicBrokerConfig.brokerConfigSynonyms: the broker keys that feed one value, most specific first. */
export function brokerConfigSynonyms(name: string): readonly string[] {
  // log.flush.interval.ms falls back to log.flush.scheduler.interval.ms; not the other way round.
  if (name === 'log.flush.interval.ms') return [name, 'log.flush.scheduler.interval.ms'];
  for (const group of SYNONYM_GROUPS) if (group.includes(name)) return group;
  return [name];
}

const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['log.roll.ms', 'log.roll.hours'],
  ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
  ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
];

function brokerSynonyms(broker: BrokerConfig, primary: string, isSensitive: boolean): ConfigSynonym[] {
  const names = brokerConfigSynonyms(primary);
  const out: ConfigSynonym[] = [];
  for (const name of names) {
    const raw = broker.originals.get(name);
    if (raw !== undefined && isBrokerConfigKey(name)) {
      out.push({ name, value: isSensitive ? null : raw, source: ConfigSource.STATIC_BROKER_CONFIG });
    }
  }
  for (const name of names) {
    const def = brokerKeyDef(name);
    const fallback = def === undefined ? null : defaultOf(def);
    if (fallback !== null)
      out.push({ name, value: isSensitive ? null : fallback.text, source: ConfigSource.DEFAULT_CONFIG });
  }
  const first = out.findIndex((synonym) => synonym.name === primary);
  return first < 0 ? [] : out.slice(first);
}

function entry(
  name: string,
  def: ConfigKeyDef,
  value: string | null,
  synonyms: readonly ConfigSynonym[],
  readOnly: boolean,
  options: DescribeOptions,
): DescribedConfig {
  const isSensitive = def.type === 'password';
  const source = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG;
  return {
    name,
    value: isSensitive ? null : value,
    source,
    isDefault: source === ConfigSource.DEFAULT_CONFIG,
    readOnly,
    isSensitive,
    synonyms: options.includeSynonyms === true ? synonyms : [],
    configType: DESCRIBE_CONFIG_TYPE[def.type],
    documentation: options.includeDocumentation === true ? def.doc : null,
  };
}

function wanted(options: DescribeOptions): (name: string) => boolean {
  const names = options.names;
  if (names === undefined || names === null) return () => true;
  const set = new Set(names);
  return (name) => set.has(name);
}

/** Every topic config of a topic with the given (already validated) overrides. */
export function describeTopicConfigs(
  broker: BrokerConfig,
  overrides: ReadonlyMap<string, string>,
  options: DescribeOptions = {},
): DescribedConfig[] {
  const include = wanted(options);
  const out: DescribedConfig[] = [];
  for (const [name, def] of TOPIC_KEY_DEFS) {
    if (!include(name)) continue;
    const isSensitive = def.type === 'password';
    const raw = overrides.get(name);
    const parsed = raw === undefined ? undefined : parseKey(name, def, raw);
    const own = parsed?.ok === true ? parsed.text : undefined;
    const primary = def.synonyms[0];
    const synonyms = primary === undefined ? [] : brokerSynonyms(broker, primary, isSensitive);
    if (own !== undefined)
      synonyms.unshift({ name, value: isSensitive ? null : own, source: ConfigSource.TOPIC_CONFIG });
    out.push(entry(name, def, own ?? broker.topicDefaultText(name), synonyms, false, options));
  }
  return out;
}

/** Every broker config of this broker. */
export function describeBrokerConfigs(broker: BrokerConfig, options: DescribeOptions = {}): DescribedConfig[] {
  const include = wanted(options);
  const out: DescribedConfig[] = [];
  for (const [name, def] of BROKER_KEY_DEFS) {
    if (!include(name)) continue;
    const synonyms = brokerSynonyms(broker, name, def.type === 'password');
    out.push(entry(name, def, broker.text(name), synonyms, true, options));
  }
  return out;
}
