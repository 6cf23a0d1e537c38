/** The broker's configuration: tables of Kafka's keys, the .properties format, and resolution. */
export { BrokerConfig } from './broker-config.js';
export {
  BROKER_CONFIGS,
  BROKER_CONFIG_KEYS,
  BROKER_KEY_DEFS,
  brokerKeyDef,
  isBrokerConfigKey,
  type BrokerConfigKey,
  type BrokerConfigValues,
} from './broker-defs.js';
export {
  TOPIC_CONFIGS,
  TOPIC_CONFIG_NAMES,
  TOPIC_KEY_DEFS,
  topicKeyDef,
  isTopicConfigName,
  type TopicConfigName,
  type TopicConfigValues,
} from './topic-defs.js';
export { ConfigError, describeProblem, type ConfigProblem } from './config-error.js';
export { ConfigSource, DESCRIBE_CONFIG_TYPE, type ConfigSourceId } from './config-source.js';
export {
  brokerConfigSynonyms,
  describeBrokerConfigs,
  describeTopicConfigs,
  type ConfigSynonym,
  type DescribedConfig,
  type DescribeOptions,
} from './describe.js';
export { formatListener, type Listener, type SecurityProtocol } from './listeners.js';
export { parseOverride, parseProperties, readPropertiesFile, type PropertyEntry } from './properties.js';
export { INVALID_CONFIG, effectiveTopicConfig, validateTopicConfigs, type TopicConfigCheck } from './topic-config.js';
export type { BrokerKeyDef, ConfigKeyDef, ConfigType, ConfigValue, Importance, TopicKeyDef } from './types.js';
