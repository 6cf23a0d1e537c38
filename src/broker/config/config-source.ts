/**
 * Wire ids of DescribeConfigs (Kafka's DescribeConfigsResponse.ConfigSource and .ConfigType), with
 * the names the Java admin client shows for the sources (ConfigEntry.ConfigSource).
 */
import type { ConfigType } from './types.js';

export const ConfigSource = {
  UNKNOWN: 0,
  /** A per-topic override; the admin client calls it DYNAMIC_TOPIC_CONFIG. */
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  /** From server.properties or --override. */
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  /** The admin client calls it DYNAMIC_CLIENT_METRICS_CONFIG. */
  CLIENT_METRICS_CONFIG: 7,
  /** Kafka 4.0+; the admin client calls it DYNAMIC_GROUP_CONFIG. */
  GROUP_CONFIG: 8,
} as const;

export type ConfigSourceId = (typeof ConfigSource)[keyof typeof ConfigSource];

/** DescribeConfigs v3+ config_type. */
export const DESCRIBE_CONFIG_TYPE: Readonly<Record<ConfigType, number>> = {
  boolean: 1,
  string: 2,
  int: 3,
  short: 4,
  long: 5,
  double: 6,
  list: 7,
  class: 8,
  password: 9,
};
