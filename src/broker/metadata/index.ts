/** The metadata layer's public surface; see README.md for the formats and invariants. */
export type { MetadataStore } from './metadata-store.js';
export type * from './types.js';
export { ALTER_CONFIG_OP_TYPES } from './types.js';
export type { MetadataEvent, MetadataEventType, MetadataListener, Unsubscribe } from './events.js';
export { MetadataError, type MetadataErrorCode } from './errors.js';
export { EmbeddedMetadataStore, type EmbeddedMetadataStoreOptions } from './embedded-store.js';
export { openEmbeddedMetadata, type EmbeddedStartup, type EmbeddedStartupOptions } from './embedded-startup.js';
export { randomKafkaUuid } from './kafka-uuid.js';
export { assignReplicasToBrokers, startIndexForNewPartitions, type AssignmentOptions } from './replica-assignment.js';
export { topicConfigSchema, type TopicConfigSchema } from './topic-config.js';
export {
  GROUP_METADATA_TOPIC_NAME,
  TRANSACTION_STATE_TOPIC_NAME,
  collisionWarning,
  invalidTopicNameReason,
  isInternalTopic,
  isValidTopicName,
} from './topic-name.js';
export { loadMetaProperties, saveMetaProperties, type MetaProperties } from './meta-properties.js';
