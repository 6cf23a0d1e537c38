/**
 * Per-topic overrides: validating them for CreateTopics and AlterConfigs, and resolving a topic's
 * effective config (override, else the broker-wide default).
 *
 * Validation follows Kafka's order and wording, so the INVALID_CONFIG message a client sees is
 * Kafka's: unknown names first ("Unknown topic config name: x"), then each value in table order
 * ("Invalid value abc for configuration retention.ms: Not a number of type LONG"), then relations
 * between values, checked against the broker's defaults for keys the request leaves out.
 */
import type { BrokerConfig } from './broker-config.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { defaultOf, expectedForm, parseKey } from './parse-key.js';
import {
  TOPIC_CONFIGS,
  TOPIC_KEY_DEFS,
  topicKeyDef,
  type TopicConfigName,
  type TopicConfigValues,
} from './topic-defs.js';
import type { ConfigValue } from './types.js';

/** Kafka's error code for a bad topic config (Errors.INVALID_CONFIG). */
export const INVALID_CONFIG = 40;

export type TopicConfigCheck =
  | {
      readonly ok: true;
      /** The overrides as Kafka would store them: known names, canonical texts. */
      readonly overrides: ReadonlyMap<TopicConfigName, string>;
    }
  | {
      readonly ok: false;
      readonly errorCode: typeof INVALID_CONFIG;
      /** Kafka's message for the first problem. */
      readonly errorMessage: string;
      readonly problems: readonly ConfigProblem[];
    };

function problem(key: string, value: string, expected: string, kafkaMessage: string): ConfigProblem {
  return { key, value, expected, kafkaMessage };
}

/**
 * Validates topic overrides as given in a request (a null value is refused, as by Kafka). With a
 * broker config, relations are checked against its defaults; without, against the topic table's.
 */
export function validateTopicConfigs(
  configs: Iterable<readonly [string, string | null]>,
  broker?: BrokerConfig,
): TopicConfigCheck {
  const entries = [...configs];
  const problems: ConfigProblem[] = [];
  for (const [name, value] of entries) {
    if (topicKeyDef(name) === undefined) {
      problems.push(problem(name, value ?? 'null', 'a topic config name', `Unknown topic config name: ${name}`));
    } else if (value === null) {
      const def = topicKeyDef(name);
      problems.push(
        problem(
          name,
          'null',
          def === undefined ? 'a value' : expectedForm(def),
          `Null value not supported for topic configs: ${name}`,
        ),
      );
    }
  }
  const given = new Map(entries);
  const overrides = new Map<TopicConfigName, string>();
  const parsed = new Map<TopicConfigName, ConfigValue>();
  for (const [name, def] of TOPIC_KEY_DEFS) {
    const raw = given.get(name);
    if (raw === undefined || raw === null) continue;
    const result = parseKey(name, def, raw);
    if (result.ok) {
      overrides.set(name, result.text);
      parsed.set(name, result.value);
    } else problems.push(result.problem);
  }
  if (problems.length === 0) {
    const effective = (name: TopicConfigName): { value: number; text: string } => {
      const own = parsed.get(name);
      if (own !== undefined) return { value: Number(own), text: overrides.get(name) ?? '' };
      if (broker !== undefined)
        return { value: Number(broker.topicDefaults[name]), text: broker.topicDefaultText(name) };
      const fallback = defaultOf(TOPIC_CONFIGS[name]);
      return { value: Number(fallback?.value), text: fallback?.text ?? '' };
    };
    const minLag = effective('min.compaction.lag.ms');
    const maxLag = effective('max.compaction.lag.ms');
    if (minLag.value > maxLag.value) {
      problems.push(
        problem(
          'min.compaction.lag.ms',
          minLag.text,
          `at most max.compaction.lag.ms (${maxLag.text})`,
          `conflict topic config setting min.compaction.lag.ms (${minLag.text}) > max.compaction.lag.ms (${maxLag.text})`,
        ),
      );
    }
  }
  const first = problems[0];
  if (first === undefined) return { ok: true, overrides };
  return { ok: false, errorCode: INVALID_CONFIG, errorMessage: first.kafkaMessage ?? first.expected, problems };
}

/**
 * A topic's effective config: each override, else the broker-wide default. Overrides are expected to
 * have passed validateTopicConfigs when they were stored; a bad one throws ConfigError.
 */
export function effectiveTopicConfig(broker: BrokerConfig, overrides: ReadonlyMap<string, string>): TopicConfigValues {
  const check = validateTopicConfigs(overrides, broker);
  if (!check.ok) throw new ConfigError(check.problems);
  const values: Record<string, ConfigValue> = { ...broker.topicDefaults };
  for (const [name, def] of TOPIC_KEY_DEFS) {
    const text = check.overrides.get(name);
    if (text === undefined) continue;
    const parsed = parseKey(name, def, text);
    if (parsed.ok) values[name] = parsed.value;
  }
  // Filled from the same table the type is derived from.
  return Object.freeze(values) as unknown as TopicConfigValues;
}
