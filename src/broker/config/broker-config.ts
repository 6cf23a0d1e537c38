/**
 * The broker's configuration: entries from a .properties file and --override arguments (later ones
 * win) → parsed and validated against the broker table → one frozen object. Every problem is collected
 * and thrown together as a ConfigError; unknown keys and ignored keys become warnings. Nothing changes
 * after construction.
 */
import { BROKER_KEY_DEFS, brokerKeyDef, type BrokerConfigKey, type BrokerConfigValues } from './broker-defs.js';
import { checkBrokerId, checkRelations } from './broker-checks.js';
import type { BrokerView, Findings } from './broker-view.js';
import { ConfigError } from './config-error.js';
import { deriveListeners } from './derive-listeners.js';
import { deriveLog } from './derive-log.js';
import type { Listener } from './listeners.js';
import { defaultOf, parseKey } from './parse-key.js';
import { parseOverride, parseProperties, readPropertiesFile, type PropertyEntry } from './properties.js';
import type { TopicConfigName, TopicConfigValues } from './topic-defs.js';
import type { ConfigValue } from './types.js';
import { unknownKeyWarning } from './unknown-keys.js';

interface Given {
  readonly value: string;
  readonly origin: string | undefined;
}

interface Resolved {
  readonly value: ConfigValue | null;
  readonly text: string | null;
}

function at(origin: string | undefined): string {
  return origin === undefined ? '' : `${origin}: `;
}

export class BrokerConfig {
  /** Every key of the table, typed; null where Kafka's default is null and nothing was set. */
  readonly values: BrokerConfigValues;
  /** Keys as given (unknown ones included), raw text, last one wins. */
  readonly originals: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];

  /** broker.id as configured; -1 when one is to be generated. */
  readonly brokerId: number;
  /** True for broker.id=-1: the metadata store generates the id. */
  readonly generateBrokerId: boolean;
  readonly listeners: readonly Listener[];
  readonly advertisedListeners: readonly Listener[];
  /** The advertised listener other brokers use. */
  readonly interBrokerListener: Listener;
  readonly logDirs: readonly string[];
  /** Effective log.retention.* in ms; -1 is unlimited. */
  readonly logRetentionMs: number;
  readonly logRollMs: number;
  readonly logRollJitterMs: number;
  readonly logFlushIntervalMs: number;
  /** null: standalone, with the embedded metadata store. */
  readonly zookeeperConnect: string | null;
  readonly zookeeperConnectionTimeoutMs: number;
  /** Broker-wide defaults of every topic config (what a topic without overrides gets). */
  readonly topicDefaults: TopicConfigValues;

  readonly #given: ReadonlyMap<string, Given>;
  readonly #resolved: ReadonlyMap<string, Resolved>;
  readonly #topicDefaultTexts: ReadonlyMap<TopicConfigName, string>;

  private constructor(entries: Iterable<PropertyEntry>) {
    const given = new Map<string, Given>();
    const warnings: string[] = [];
    for (const entry of entries) {
      const previous = given.get(entry.key);
      if (previous !== undefined && entry.origin !== '--override') {
        warnings.push(
          `${at(entry.origin)}${entry.key} is set again; the earlier value (${previous.origin ?? ''}) is replaced`,
        );
      }
      given.set(entry.key, { value: entry.value, origin: entry.origin });
    }

    const findings: Findings = { problems: [], warnings };
    const resolved = new Map<string, Resolved>();
    for (const [name, def] of BROKER_KEY_DEFS) {
      const set = given.get(name);
      const parsed = set === undefined ? undefined : parseKey(name, def, set.value, set.origin);
      if (parsed?.ok === true) {
        resolved.set(name, parsed);
        continue;
      }
      if (parsed !== undefined) findings.problems.push(parsed.problem);
      const fallback = defaultOf(def);
      resolved.set(name, { value: fallback?.value ?? null, text: fallback?.text ?? null });
    }
    for (const [key, { origin }] of given) {
      const def = brokerKeyDef(key);
      if (def === undefined) warnings.push(unknownKeyWarning(key, origin));
      else if (def.noEffect !== undefined) {
        warnings.push(`${at(origin)}${key} has no effect in Samsa: ${def.noEffect}`);
      }
    }
    // Report in the order the keys were given. Relations between keys are only checked once every
    // value is valid, so that a bad value is not also reported as a bad relation.
    const order = [...given.keys()];
    findings.problems.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
    if (findings.problems.length > 0) throw new ConfigError(findings.problems, warnings);

    const view: BrokerView = {
      get: <K extends BrokerConfigKey>(key: K) => resolved.get(key)?.value as BrokerConfigValues[K],
      text: (key) => resolved.get(key)?.text ?? null,
      isSet: (key) => given.has(key),
      raw: (key) => given.get(key)?.value,
      origin: (key) => given.get(key)?.origin,
    };
    checkBrokerId(view, findings);
    const net = deriveListeners(view, findings);
    const log = deriveLog(view, findings);
    checkRelations(view, findings);
    if (findings.problems.length > 0) throw new ConfigError(findings.problems, warnings);

    const values: Record<string, ConfigValue | null> = {};
    for (const [name, { value }] of resolved) values[name] = value;
    // The record was filled from the same table its type is derived from.
    this.values = Object.freeze(values) as unknown as BrokerConfigValues;
    this.originals = new Map([...given].map(([key, { value }]) => [key, value]));
    this.warnings = Object.freeze(warnings);
    this.#given = given;
    this.#resolved = resolved;

    this.brokerId = view.get('broker.id');
    this.generateBrokerId = this.brokerId === -1;
    this.listeners = Object.freeze(net.listeners);
    this.advertisedListeners = Object.freeze(net.advertisedListeners);
    if (net.interBrokerListener === undefined) throw new Error('no inter-broker listener after validation');
    this.interBrokerListener = net.interBrokerListener;
    this.logDirs = Object.freeze(log.logDirs);
    this.logRetentionMs = log.retention.value;
    this.logRollMs = log.roll.value;
    this.logRollJitterMs = log.jitter.value;
    this.logFlushIntervalMs = log.flush.value;
    this.zookeeperConnect = view.get('zookeeper.connect');
    this.zookeeperConnectionTimeoutMs =
      view.get('zookeeper.connection.timeout.ms') ?? view.get('zookeeper.session.timeout.ms');
    const topicDefaults: Record<string, ConfigValue> = {};
    for (const [name, { value }] of log.topicDefaults) topicDefaults[name] = value;
    this.topicDefaults = Object.freeze(topicDefaults) as unknown as TopicConfigValues;
    this.#topicDefaultTexts = new Map([...log.topicDefaults].map(([name, { text }]) => [name, text]));
    Object.freeze(this);
  }

  /** Builds a config from entries in order (file first, then overrides); throws ConfigError. */
  static fromEntries(entries: Iterable<PropertyEntry>): BrokerConfig {
    return new BrokerConfig(entries);
  }

  /** Parses .properties text plus `key=value` override arguments; throws ConfigError. */
  static parse(text: string, options: { source?: string; overrides?: readonly string[] } = {}): BrokerConfig {
    const overrides = (options.overrides ?? []).map(parseOverride);
    return new BrokerConfig([...parseProperties(text, options.source), ...overrides]);
  }

  /** Reads a .properties file and applies `key=value` override arguments; throws ConfigError. */
  static async load(path: string, overrides: readonly string[] = []): Promise<BrokerConfig> {
    const parsedOverrides = overrides.map(parseOverride);
    return new BrokerConfig([...(await readPropertiesFile(path)), ...parsedOverrides]);
  }

  get<K extends BrokerConfigKey>(key: K): BrokerConfigValues[K] {
    return this.values[key];
  }

  /** Whether the key was given in the file or an override (STATIC_BROKER_CONFIG). */
  isSet(key: string): boolean {
    return this.#given.has(key);
  }

  /** Kafka's text of the key's value ("9223372036854775807", "compact,delete"); null for null. */
  text(key: BrokerConfigKey): string | null {
    return this.#resolved.get(key)?.text ?? null;
  }

  /** Where a given key came from ("config/server.properties:12", "--override"). */
  origin(key: string): string | undefined {
    return this.#given.get(key)?.origin;
  }

  /** Kafka's text of a topic config's broker-wide default. */
  topicDefaultText(name: TopicConfigName): string {
    return this.#topicDefaultTexts.get(name) ?? '';
  }
}
