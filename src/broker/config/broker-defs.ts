/**
 * The broker's config table: Kafka's key names, types, defaults (Kafka 3.9's) and importance, with our
 * one-line docs. Keys outside it are warned about and ignored. `BrokerConfigValues` is the typed record
 * of the table.
 */
import { CLEANER_CONFIGS } from './defs/broker-cleaner.js';
import { COORDINATOR_CONFIGS } from './defs/broker-coordinator.js';
import { LOG_CONFIGS } from './defs/broker-log.js';
import { NETWORK_CONFIGS } from './defs/broker-network.js';
import { REPLICATION_CONFIGS } from './defs/broker-replication.js';
import { SERVER_CONFIGS } from './defs/broker-server.js';
import type { BrokerKeyDef, ValuesOf } from './types.js';

export const BROKER_CONFIGS = {
  ...SERVER_CONFIGS,
  ...NETWORK_CONFIGS,
  ...LOG_CONFIGS,
  ...CLEANER_CONFIGS,
  ...REPLICATION_CONFIGS,
  ...COORDINATOR_CONFIGS,
} as const;

export type BrokerConfigKey = keyof typeof BROKER_CONFIGS;
export type BrokerConfigValues = ValuesOf<typeof BROKER_CONFIGS>;

const TABLE: Readonly<Record<string, BrokerKeyDef>> = BROKER_CONFIGS;

export function brokerKeyDef(name: string): BrokerKeyDef | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

export function isBrokerConfigKey(name: string): name is BrokerConfigKey {
  return Object.hasOwn(TABLE, name);
}

export const BROKER_CONFIG_KEYS = Object.keys(TABLE) as readonly BrokerConfigKey[];

/** The table's entries, widened to the definition type, in table order. */
export const BROKER_KEY_DEFS = Object.entries(TABLE) as ReadonlyArray<readonly [BrokerConfigKey, BrokerKeyDef]>;
