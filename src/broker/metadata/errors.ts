/**
 * Failures of the metadata store itself, as opposed to the Kafka error codes it returns as data for a
 * request it refuses. These are broken invariants: a corrupt or missing metadata file, log dirs that
 * disagree about the broker or cluster they belong to, a write the disk refused. Each carries a stable
 * string code so startup can print it and tests can match it; the message names the file involved.
 */
export type MetadataErrorCode =
  /** The metadata file fails its checksum, length, JSON or schema check. */
  | 'METADATA_CORRUPT'
  /** meta.properties says this broker has run before, but the metadata file is gone. */
  | 'METADATA_MISSING'
  /** Writing the metadata file or a meta.properties failed; the in-memory state did not change. */
  | 'METADATA_WRITE_FAILED'
  /** A meta.properties file cannot be read or has a version or field we do not accept. */
  | 'META_PROPERTIES_INVALID'
  /** The log dirs' meta.properties disagree with each other or with the configuration. */
  | 'INCONSISTENT_BROKER_ID'
  /** meta.properties names another cluster than the metadata store. */
  | 'INCONSISTENT_CLUSTER_ID'
  /** broker.id and broker.id.generation.enable / reserved.broker.max.id do not fit together. */
  | 'INVALID_BROKER_ID'
  /** No ZooKeeper connection within zookeeper.connection.timeout.ms. */
  | 'ZOOKEEPER_CONNECT_TIMEOUT'
  /** A ZooKeeper request failed (connection loss, unexpected znode content). */
  | 'ZOOKEEPER_ERROR'
  /** The store was used after close(). */
  | 'METADATA_STORE_CLOSED';

export class MetadataError extends Error {
  override readonly name = 'MetadataError';

  constructor(
    readonly code: MetadataErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
