/**
 * What `meta.properties` says about a log dir, in Kafka's ZooKeeper-mode format (version 0):
 *
 *   version=0
 *   broker.id=<int>
 *   cluster.id=<22-char Kafka UUID>
 *
 * broker.id is required; cluster.id is absent in files written by Kafka before 0.10.1. Other keys
 * (Kafka 3.7's directory.id, say) are kept when we rewrite the file. Version 1 is KRaft's format
 * (node.id instead of broker.id) and is refused.
 *
 * The file itself (java.util.Properties text, atomic replacement) is read and written by
 * src/log/log-manager.ts; this module gives it meaning and turns its failures into MetadataErrors.
 */
import path from 'node:path';
import {
  META_PROPERTIES_FILE,
  readMetaProperties as readPropertiesFile,
  writeMetaProperties as writePropertiesFile,
} from '../../log/log-manager.js';
import { MetadataError } from './errors.js';

export interface MetaProperties {
  readonly brokerId: number;
  readonly clusterId: string | null;
  /** Keys other than version, broker.id and cluster.id, kept as found. */
  readonly extra: ReadonlyMap<string, string>;
}

export function metaPropertiesFile(logDir: string): string {
  return path.join(logDir, META_PROPERTIES_FILE);
}

/** The meta.properties of `logDir`, or null when the dir has none. Throws META_PROPERTIES_INVALID. */
export function loadMetaProperties(logDir: string): MetaProperties | null {
  const file = metaPropertiesFile(logDir);
  let props: Map<string, string> | null;
  try {
    props = readPropertiesFile(logDir);
  } catch (err) {
    throw new MetadataError('META_PROPERTIES_INVALID', `Could not read ${file}: ${String(err)}`, { cause: err });
  }
  if (props === null) return null;
  const invalid = (why: string) => new MetadataError('META_PROPERTIES_INVALID', `${file} is not usable: ${why}`);
  const version = props.get('version');
  if (version === '1')
    throw invalid('it is version 1, written by a KRaft-mode Kafka; Samsa reads the ZooKeeper-mode version 0');
  if (version !== '0') throw invalid(`version is ${version === undefined ? 'missing' : `"${version}"`}, not 0`);
  const brokerId = props.get('broker.id');
  if (brokerId === undefined || !/^-?\d+$/.test(brokerId))
    throw invalid(`broker.id is ${brokerId === undefined ? 'missing' : `"${brokerId}", not an integer`}`);
  const clusterId = props.get('cluster.id');
  const extra = new Map(props);
  for (const key of ['version', 'broker.id', 'cluster.id']) extra.delete(key);
  return {
    brokerId: Number(brokerId),
    clusterId: clusterId === undefined || clusterId === '' ? null : clusterId,
    extra,
  };
}

/** Replace `logDir`'s meta.properties atomically. Throws METADATA_WRITE_FAILED. */
export function saveMetaProperties(logDir: string, meta: MetaProperties): void {
  const props = new Map([
    ['version', '0'],
    ['broker.id', String(meta.brokerId)],
  ]);
  if (meta.clusterId !== null) props.set('cluster.id', meta.clusterId);
  for (const [key, value] of meta.extra) props.set(key, value);
  try {
    writePropertiesFile(logDir, props);
  } catch (err) {
    throw new MetadataError('METADATA_WRITE_FAILED', `Could not write ${metaPropertiesFile(logDir)}: ${String(err)}`, {
      cause: err,
    });
  }
}

/**
 * After startup settles the broker id and cluster id, writes them into every log dir whose
 * meta.properties does not already say so, keeping any other keys it had (both metadata modes).
 */
export function recordMetaProperties(
  logDirs: readonly string[],
  found: ReadonlyMap<string, MetaProperties>,
  brokerId: number,
  clusterId: string,
): void {
  for (const dir of logDirs) {
    const meta = found.get(dir);
    if (meta?.brokerId === brokerId && meta.clusterId === clusterId) continue;
    saveMetaProperties(dir, { brokerId, clusterId, extra: meta?.extra ?? new Map() });
  }
}
