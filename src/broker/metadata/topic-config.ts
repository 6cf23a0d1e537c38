/**
 * Changes to a topic's config overrides: the overrides of a new topic (CreateTopics configs), AlterConfigs
 * (the given set replaces all overrides) and IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT).
 *
 * What the names are and which values they take is the broker config's business
 * (src/broker/config, Kafka's LogConfig table): the store sees it through TopicConfigSchema, which by
 * default is that table with Kafka's defaults, or with a BrokerConfig's log.* defaults when given one.
 * A whole set is validated at once, because some checks relate two keys
 * (min.compaction.lag.ms <= max.compaction.lag.ms).
 */
import type { BrokerConfig } from '../config/broker-config.js';
import { validateTopicConfigs } from '../config/topic-config.js';
import { isTopicConfigName, topicKeyDef } from '../config/topic-defs.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { AlterConfigOp, ConfigEntry, ErrorResult } from './types.js';

export type TopicConfigCheck =
  | { readonly ok: true; readonly overrides: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly errorMessage: string };

export interface TopicConfigSchema {
  /** Check a topic's complete set of overrides: the overrides to store (in canonical text) or Kafka's message. */
  validate(overrides: ReadonlyMap<string, string>): TopicConfigCheck;
  isList(name: string): boolean;
  /** The value a topic has without an override (APPEND and SUBTRACT start from it). */
  defaultValue(name: string): string | null;
}

/** The broker config's topic table; defaults from `broker` (its log.* keys) or else Kafka's own. */
export function topicConfigSchema(broker?: BrokerConfig): TopicConfigSchema {
  return {
    validate(overrides) {
      const check = validateTopicConfigs(overrides, broker);
      return check.ok ? { ok: true, overrides: check.overrides } : { ok: false, errorMessage: check.errorMessage };
    },
    isList: (name) => topicKeyDef(name)?.type === 'list',
    defaultValue(name) {
      if (!isTopicConfigName(name)) return null;
      return broker !== undefined ? broker.topicDefaultText(name) : (topicKeyDef(name)?.default ?? null);
    },
  };
}

export type ConfigChangeResult =
  { readonly ok: true; readonly configs: ReadonlyMap<string, string> } | ({ readonly ok: false } & ErrorResult);

/** CreateTopics configs or AlterConfigs: the entries are the whole set; a later duplicate wins. */
export function replaceTopicConfigs(schema: TopicConfigSchema, entries: readonly ConfigEntry[]): ConfigChangeResult {
  const nulls = entries.filter((e) => e.value === null).map((e) => e.name);
  if (nulls.length > 0)
    return configError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nulls.join(',')}`);
  const configs = new Map<string, string>();
  for (const { name, value } of entries) configs.set(name, value as string);
  return check(schema, configs);
}

/** IncrementalAlterConfigs on a topic's current overrides, with Kafka's APPEND and SUBTRACT semantics. */
export function applyConfigOps(
  schema: TopicConfigSchema,
  current: ReadonlyMap<string, string>,
  ops: readonly AlterConfigOp[],
): ConfigChangeResult {
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op.name)) return configError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
    seen.add(op.name);
  }
  const configs = new Map(current);
  for (const { name, op, value } of ops) {
    if (op === 'DELETE') {
      configs.delete(name);
      continue;
    }
    if (value === null) return configError(ErrorCode.INVALID_CONFIG, `Null value not supported for : ${name}`);
    if (op === 'SET') {
      configs.set(name, value);
      continue;
    }
    if (!schema.isList(name)) {
      const verb = op === 'APPEND' ? 'append' : 'subtract';
      return configError(ErrorCode.INVALID_CONFIG, `Config value ${verb} is not allowed for config key: ${name}`);
    }
    const old = splitList(configs.get(name) ?? schema.defaultValue(name) ?? '');
    const given = splitList(value);
    const next =
      op === 'APPEND' ? [...old, ...given.filter((v) => !old.includes(v))] : old.filter((v) => !given.includes(v));
    configs.set(name, next.join(','));
  }
  return check(schema, configs);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function check(schema: TopicConfigSchema, configs: ReadonlyMap<string, string>): ConfigChangeResult {
  const checked = schema.validate(configs);
  return checked.ok
    ? { ok: true, configs: new Map(checked.overrides) }
    : configError(ErrorCode.INVALID_CONFIG, checked.errorMessage);
}

function configError(errorCode: number, errorMessage: string): ConfigChangeResult {
  return { ok: false, errorCode, errorMessage };
}
