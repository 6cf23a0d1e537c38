/**
 * What the derivation steps see of a broker config while it is being built: typed values, Kafka's
 * text of each value, and whether and where each key was set.
 */
import type { BrokerConfigKey, BrokerConfigValues } from './broker-defs.js';
import type { ConfigProblem } from './config-error.js';

export interface BrokerView {
  get<K extends BrokerConfigKey>(key: K): BrokerConfigValues[K];
  /** Kafka's text of the value (ConfigDef.convertToString); null when the value is null. */
  text(key: BrokerConfigKey): string | null;
  isSet(key: BrokerConfigKey): boolean;
  /** The value as given in the file or override; undefined when not set. */
  raw(key: BrokerConfigKey): string | undefined;
  origin(key: BrokerConfigKey): string | undefined;
}

/** A problem with the value a key has (given or default). */
export function problemAt(view: BrokerView, key: BrokerConfigKey, expected: string): ConfigProblem {
  const origin = view.origin(key);
  return {
    key,
    value: view.raw(key) ?? view.text(key) ?? '',
    expected,
    ...(origin === undefined ? {} : { origin }),
  };
}

export interface Findings {
  readonly problems: ConfigProblem[];
  readonly warnings: string[];
}
