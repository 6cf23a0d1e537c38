/**
 * Standalone startup of the metadata layer: which cluster these log dirs belong to and which broker
 * this is, as Kafka's ZooKeeper-mode KafkaServer.startup settles it, with the embedded store in the
 * place of ZooKeeper.
 *
 * 1. Read meta.properties in every log dir; they must agree on broker.id and cluster.id.
 * 2. Open the store in the first log dir. If it has no metadata file although some meta.properties
 *    exists, a broker has used these dirs before and its topics would be lost: METADATA_MISSING.
 * 3. The store's cluster id must equal meta.properties' (INCONSISTENT_CLUSTER_ID).
 * 4. broker.id: the one in meta.properties, which a configured id >= 0 must equal; else the configured
 *    one; else (-1, broker.id.generation.enable) a generated one above reserved.broker.max.id.
 * 5. Write meta.properties (version 0, broker.id, cluster.id) into every dir where it is missing or
 *    differs. The metadata file is committed before any meta.properties, so a crash between the two
 *    leaves a state the next start completes.
 */
import fs from 'node:fs';
import { EmbeddedMetadataStore, type EmbeddedMetadataStoreOptions } from './embedded-store.js';
import { MetadataError } from './errors.js';
import {
  metaPropertiesFile,
  loadMetaProperties,
  recordMetaProperties,
  type MetaProperties,
} from './meta-properties.js';

export interface EmbeddedStartupOptions extends Omit<EmbeddedMetadataStoreOptions, 'logDir' | 'clusterId'> {
  /** log.dirs (or log.dir); the metadata file lives in the first. */
  readonly logDirs: readonly string[];
  /** broker.id from the config; -1 asks for a generated id. */
  readonly brokerId: number;
  /** broker.id.generation.enable (default true). */
  readonly brokerIdGenerationEnable?: boolean;
}

export interface EmbeddedStartup {
  readonly store: EmbeddedMetadataStore;
  readonly brokerId: number;
  readonly clusterId: string;
}

export async function openEmbeddedMetadata(options: EmbeddedStartupOptions): Promise<EmbeddedStartup> {
  const { logDirs } = options;
  const first = logDirs[0];
  if (first === undefined) throw new MetadataError('INVALID_BROKER_ID', 'log.dirs is empty');
  const maxReserved = options.maxReservedBrokerId ?? 1000;
  checkConfiguredBrokerId(options.brokerId, options.brokerIdGenerationEnable ?? true, maxReserved);

  for (const dir of logDirs) fs.mkdirSync(dir, { recursive: true });
  const found = new Map<string, MetaProperties>();
  for (const dir of logDirs) {
    const meta = loadMetaProperties(dir);
    if (meta !== null) found.set(dir, meta);
  }
  const stored = agreedMetaProperties(found);

  if (!EmbeddedMetadataStore.existsIn(first) && found.size > 0) {
    const [dir] = found.keys();
    throw new MetadataError(
      'METADATA_MISSING',
      `Metadata file ${EmbeddedMetadataStore.fileIn(first)} does not exist, but ${metaPropertiesFile(dir as string)} ` +
        'shows that a broker has used these log dirs before; starting with empty metadata would orphan its topics. ' +
        'Restore the file from a backup (and check that the first of log.dirs is the same as before), ' +
        'or empty log.dirs to start a new cluster.',
    );
  }
  const store = EmbeddedMetadataStore.open({ ...options, logDir: first });
  try {
    if (stored?.clusterId != null && stored.clusterId !== store.clusterId)
      throw new MetadataError(
        'INCONSISTENT_CLUSTER_ID',
        `The Cluster ID ${store.clusterId} in ${store.file} doesn't match stored clusterId ${stored.clusterId} ` +
          'in meta.properties. The log dirs belong to another cluster.',
      );

    let brokerId: number;
    if (stored !== null) {
      if (options.brokerId >= 0 && options.brokerId !== stored.brokerId)
        throw new MetadataError(
          'INCONSISTENT_BROKER_ID',
          `Configured broker.id ${options.brokerId} doesn't match stored broker.id ${stored.brokerId} in ` +
            'meta.properties. If you moved your data, make sure your configured broker.id matches. If you intend ' +
            'to create a new broker, you should remove all data in your data directories (log.dirs).',
        );
      brokerId = stored.brokerId;
    } else {
      brokerId = options.brokerId >= 0 ? options.brokerId : await store.generateBrokerId();
    }

    recordMetaProperties(logDirs, found, brokerId, store.clusterId);
    return { store, brokerId, clusterId: store.clusterId };
  } catch (err) {
    await store.close();
    throw err;
  }
}

function checkConfiguredBrokerId(brokerId: number, generationEnabled: boolean, maxReserved: number): void {
  const ok = generationEnabled ? brokerId >= -1 && brokerId <= maxReserved : brokerId >= 0;
  if (!ok)
    throw new MetadataError(
      'INVALID_BROKER_ID',
      generationEnabled
        ? `broker.id ${brokerId} must be greater than or equal to -1 and not greater than reserved.broker.max.id (${maxReserved})`
        : `broker.id ${brokerId} must be greater than or equal to 0 when broker.id.generation.enable is false`,
    );
}

/** The broker and cluster all existing meta.properties name, or null when there are none. */
function agreedMetaProperties(found: ReadonlyMap<string, MetaProperties>): MetaProperties | null {
  const all = [...found.values()];
  const brokerIds = new Set(all.map((m) => m.brokerId));
  const clusterIds = new Set(all.map((m) => m.clusterId).filter((id) => id !== null));
  if (brokerIds.size > 1 || clusterIds.size > 1) {
    const listing = [...found].map(
      ([dir, m]) => `${metaPropertiesFile(dir)}: broker.id=${m.brokerId}, cluster.id=${m.clusterId}`,
    );
    throw new MetadataError(
      brokerIds.size > 1 ? 'INCONSISTENT_BROKER_ID' : 'INCONSISTENT_CLUSTER_ID',
      'BrokerMetadata is not consistent across log.dirs. This could happen if multiple brokers shared a log ' +
        `directory (log.dirs) or partial data was manually copied from another broker. Found: ${listing.join('; ')}`,
    );
  }
  const [firstMeta] = all;
  if (firstMeta === undefined) return null;
  const [clusterId = null] = clusterIds;
  return { brokerId: firstMeta.brokerId, clusterId, extra: new Map() };
}
