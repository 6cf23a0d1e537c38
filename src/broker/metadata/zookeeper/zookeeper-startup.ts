/**
 * Cluster-mode startup of the metadata layer, as Kafka's ZooKeeper-mode KafkaServer.startup: connect,
 * read (or create) /cluster/id, check it against meta.properties (INCONSISTENT_CLUSTER_ID), settle the
 * broker id (meta.properties, else configured, else generated from /brokers/seqid), and write
 * meta.properties (version 0) into every log dir where it is missing or differs.
 */
import fs from 'node:fs';
import { MetadataError } from '../errors.js';
import { loadMetaProperties, recordMetaProperties, type MetaProperties } from '../meta-properties.js';
import { ZooKeeperMetadataStore, type ZooKeeperMetadataStoreOptions } from './zookeeper-store.js';

export interface ZooKeeperStartupOptions extends ZooKeeperMetadataStoreOptions {
  readonly logDirs: readonly string[];
  /** broker.id from the config; -1 asks for a generated id. */
  readonly brokerId: number;
}

export async function openZooKeeperMetadata(
  options: ZooKeeperStartupOptions,
): Promise<{ store: ZooKeeperMetadataStore; brokerId: number; clusterId: string }> {
  const found = new Map<string, MetaProperties>();
  for (const dir of options.logDirs) {
    fs.mkdirSync(dir, { recursive: true });
    const meta = loadMetaProperties(dir);
    if (meta !== null) found.set(dir, meta);
  }
  const brokerIds = new Set([...found.values()].map((m) => m.brokerId));
  const clusterIds = new Set([...found.values()].map((m) => m.clusterId).filter((c) => c !== null));
  if (brokerIds.size > 1 || clusterIds.size > 1)
    throw new MetadataError(
      brokerIds.size > 1 ? 'INCONSISTENT_BROKER_ID' : 'INCONSISTENT_CLUSTER_ID',
      'BrokerMetadata is not consistent across log.dirs. This could happen if multiple brokers shared a log directory (log.dirs) or partial data was manually copied from another broker.',
    );
  const [storedId] = brokerIds;
  const [storedCluster] = clusterIds;
  const store = await ZooKeeperMetadataStore.open(options);
  try {
    if (storedCluster !== undefined && storedCluster !== store.clusterId)
      throw new MetadataError(
        'INCONSISTENT_CLUSTER_ID',
        `The Cluster ID ${store.clusterId} doesn't match stored clusterId Some(${storedCluster}) in meta.properties. ` +
          'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
      );
    if (storedId !== undefined && options.brokerId >= 0 && storedId !== options.brokerId)
      throw new MetadataError(
        'INCONSISTENT_BROKER_ID',
        `Configured broker.id ${options.brokerId} doesn't match stored broker.id Some(${storedId}) in meta.properties.`,
      );
    const brokerId = storedId ?? (options.brokerId >= 0 ? options.brokerId : await store.generateBrokerId());
    recordMetaProperties(options.logDirs, found, brokerId, store.clusterId);
    return { store, brokerId, clusterId: store.clusterId };
  } catch (err) {
    await store.close();
    throw err;
  }
}
