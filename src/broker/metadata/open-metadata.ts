/**
 * The broker's metadata store for its config: ZooKeeper mode when `zookeeper.connect` is set
 * (zookeeper/zookeeper-startup.ts), otherwise standalone (embedded-startup.ts).
 */
import type { BrokerConfig } from '../config/broker-config.js';
import type { Logger } from '../logger.js';
import { openEmbeddedMetadata } from './embedded-startup.js';
import type { MetadataStore } from './metadata-store.js';
import { topicConfigSchema } from './topic-config.js';
import { openZooKeeperMetadata } from './zookeeper/zookeeper-startup.js';

export interface OpenedMetadata {
  readonly store: MetadataStore;
  readonly brokerId: number;
  /** 'zookeeper' or 'standalone', for the startup line. */
  readonly mode: 'zookeeper' | 'standalone';
}

export async function openMetadata(config: BrokerConfig, log: Logger): Promise<OpenedMetadata> {
  const common = {
    brokerId: config.brokerId,
    logDirs: config.logDirs,
    maxReservedBrokerId: config.get('reserved.broker.max.id'),
    defaultNumPartitions: config.get('num.partitions'),
    defaultReplicationFactor: config.get('default.replication.factor'),
    topicConfigSchema: topicConfigSchema(config),
  };
  const connect = config.zookeeperConnect;
  if (connect !== null) {
    const { store, brokerId } = await openZooKeeperMetadata({
      ...common,
      connect,
      sessionTimeoutMs: config.get('zookeeper.session.timeout.ms'),
      connectionTimeoutMs: config.zookeeperConnectionTimeoutMs,
      logger: log.child('ZooKeeperMetadataStore'),
    });
    return { store, brokerId, mode: 'zookeeper' };
  }
  const { store, brokerId } = await openEmbeddedMetadata({
    ...common,
    brokerIdGenerationEnable: config.get('broker.id.generation.enable'),
    logger: log.child('EmbeddedMetadataStore'),
  });
  return { store, brokerId, mode: 'standalone' };
}
