/**
 * The shapes of the config tables. A table maps Kafka's own key names to a definition; the typed
 * record of values (`ValuesOf`) is derived from the table, so adding a key to a table is all it takes
 * for `config.get(key)` to be typed.
 */
import type { Validator } from './validators.js';

/** ConfigDef.Type of Kafka, lower-cased. */
export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'class' | 'password';

export type Importance = 'high' | 'medium' | 'low';

/**
 * The value a key of each type parses to. Kafka's long is a 64-bit integer; here it is a number, exact
 * up to 2^53. Larger values (in practice only Long.MAX_VALUE, Kafka's "never") become the nearest double,
 * which is still larger than any real size or duration; the exact text is kept for DescribeConfigs.
 */
export interface ValueOfType {
  boolean: boolean;
  string: string;
  int: number;
  short: number;
  long: number;
  double: number;
  list: readonly string[];
  class: string;
  password: string;
}

export type ConfigValue = ValueOfType[ConfigType];

export interface ConfigKeyDef {
  readonly type: ConfigType;
  /** Kafka's default in the text form Kafka reports it (ConfigDef.convertToString); null: no value. */
  readonly default: string | null;
  readonly importance: Importance;
  /** One line, in our words. */
  readonly doc: string;
  /** Applied to a present value after it parsed; null values are never validated. */
  readonly validator?: Validator;
  /** A value to show in error messages when the default is null or unhelpful. */
  readonly example?: string;
  /**
   * Set when Samsa accepts, validates and reports the key but does not act on it; says why.
   * Keys without it are honoured (or will be, by the part of the broker that owns them).
   */
  readonly noEffect?: string;
}

export interface BrokerKeyDef extends ConfigKeyDef {
  /** The topic config this broker key supplies the default for (Kafka's ServerTopicConfigSynonyms). */
  readonly topicConfig?: string;
  /** Removed from Kafka in 3.0 but used by 0.8-era files (port, host.name, ...); absent from 3.9's table. */
  readonly legacy?: true;
}

export interface TopicKeyDef extends ConfigKeyDef {
  /**
   * Broker keys that supply this topic config's default, in Kafka's order (most specific first, as
   * DescribeConfigs lists synonyms). Empty: the topic config has only its own default.
   */
  readonly synonyms: readonly string[];
}

type Nullable<D> = D extends { readonly default: null } ? null : never;

/** The typed record of a table: each key's parsed type, `| null` where Kafka's default is null. */
export type ValuesOf<T extends Readonly<Record<string, ConfigKeyDef>>> = {
  readonly [K in keyof T]: ValueOfType[T[K]['type']] | Nullable<T[K]>;
};
