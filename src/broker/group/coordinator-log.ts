/**
 * How the coordinator writes to `__consumer_offsets`: one record batch per write (Kafka's
 * appendForGroup), through the partition's leader append path, so the records are validated,
 * stamped with the leader epoch, replicated like any other (once replication exists) and readable by
 * consumers of the topic. Writes are synchronous: when `append` returns NONE the records are in the
 * log and the high watermark covers them (standalone: the ISR is this broker).
 *
 * A write returns the append's Kafka error code; the coordinator maps it to what its caller answers
 * (Kafka's GroupMetadataManager does the same mapping per API).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import type { CompressionType } from '../../protocol/records/index.js';
import { errorCodeOf } from '../error-codes.js';
import type { Logger } from '../logger.js';
import { GROUP_METADATA_TOPIC_NAME } from '../metadata/topic-name.js';
import { PartitionError } from '../partition.js';
import { validateRecords } from '../produce/log-validator.js';
import { partitionKey, type ReplicaManager } from '../replica-manager.js';
import type { PartitionLog } from '../../log/partition-log.js';

export interface CoordinatorRecord {
  readonly key: Buffer;
  /** null: a tombstone. */
  readonly value: Buffer | null;
}

export interface CoordinatorLog {
  /** Appends the records as one batch to `__consumer_offsets-<partition>`; NONE or the append's error. */
  append(partition: number, records: readonly CoordinatorRecord[], now: number): number;
  /** The partition's log if this broker leads it (for loading). */
  leaderLog(partition: number): { log: PartitionLog; leaderEpoch: number } | undefined;
}

/** The real CoordinatorLog: the ReplicaManager's partitions of `__consumer_offsets`. */
export class ReplicaCoordinatorLog implements CoordinatorLog {
  constructor(
    private readonly replicaManager: ReplicaManager,
    private readonly compression: CompressionType,
    private readonly logger: Logger,
  ) {}

  leaderLog(partition: number): { log: PartitionLog; leaderEpoch: number } | undefined {
    const p = this.replicaManager.getPartition(GROUP_METADATA_TOPIC_NAME, partition);
    return p?.isLeader === true ? { log: p.log, leaderEpoch: p.leaderEpoch } : undefined;
  }

  append(partition: number, records: readonly CoordinatorRecord[], now: number): number {
    if (records.length === 0) return ErrorCode.NONE;
    const p = this.replicaManager.getPartition(GROUP_METADATA_TOPIC_NAME, partition);
    if (p === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    const settings = this.replicaManager.settingsOf(GROUP_METADATA_TOPIC_NAME);
    try {
      p.checkAppend(-1, settings.minInsyncReplicas);
      const batch = buildRecordBatch(
        records.map((r) => ({ timestamp: now, key: r.key, value: r.value })),
        { compression: this.compression },
      );
      const validated = validateRecords({
        records: batch,
        produceVersion: 9,
        config: settings.validator,
        now,
        isFromClient: true,
        topicPartition: p.name,
      });
      if (!validated.ok) {
        this.logger.warn(`Append to ${p.name} refused: ${validated.message}`);
        return validated.errorCode;
      }
      p.appendRecordsToLeader(validated.records);
      this.replicaManager.fetchPurgatory.checkAndComplete(partitionKey(GROUP_METADATA_TOPIC_NAME, partition));
      return ErrorCode.NONE;
    } catch (err) {
      if (err instanceof PartitionError) return err.errorCode;
      const code = errorCodeOf(err);
      if (code === ErrorCode.UNKNOWN_SERVER_ERROR) this.logger.error(`Append to ${p.name} failed: ${String(err)}`);
      return code;
    }
  }
}
