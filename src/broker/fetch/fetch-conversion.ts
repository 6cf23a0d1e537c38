import { ErrorCode } from '../../protocol/errors.js';
import { downConvert } from '../../protocol/records/conversion.js';
import { RecordsError } from '../../protocol/records/errors.js';
import { readRegion } from '../../log/fetch-data-info.js';
import { errorCodeOf } from '../error-codes.js';
import type { ReplicaManager } from '../replica-manager.js';
import { FileRecords } from './file-records.js';
import { partitionError, type FetchParams, type PartitionData } from './partition-reads.js';

/**
 * Fits a partition's answer to the fetcher's version, after the session has chosen what to send
 * (Kafka's maybeConvertFetchedData), for partitions this broker hosts:
 *  - a topic whose compression.type is zstd answers Fetch below v10 with UNSUPPORTED_COMPRESSION_TYPE
 *    (Kafka checks the topic's config, not the batches);
 *  - Fetch v0-1 reads magic 0 and v2-3 magic 1, converted in memory from the stored batches; a
 *    consumer (not a follower) of a topic with message.downconversion.enable=false gets
 *    UNSUPPORTED_VERSION instead, and a zstd batch that cannot be converted UNSUPPORTED_COMPRESSION_TYPE;
 *  - KAFKA_STORAGE_ERROR becomes NOT_LEADER_OR_FOLLOWER for v0-5, whose clients do not know it.
 *
 * Difference from Kafka: Kafka converts lazily while sending and pads a response that shrank with a
 * truncated "overflow" batch; we convert the whole (bounded) region at once and send its exact size.
 */
export function convertForVersion(rm: ReplicaManager, d: PartitionData, params: FetchParams): PartitionData {
  const v = params.version;
  if (d.errorCode === ErrorCode.KAFKA_STORAGE_ERROR && v <= 5)
    d = { ...d, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
  // Kafka's getLogConfig: only a partition with a log here has a config to consult.
  const topic = d.target.topic;
  if (topic === null || v >= 10 || rm.getPartition(topic, d.target.partition) === undefined) return d;
  const settings = rm.settingsOf(topic);
  if (settings.validator.compressionType === 'zstd') return replace(d, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  if (v >= 4) return d;
  if (!params.isFromFollower && !settings.values['message.downconversion.enable'])
    return replace(d, ErrorCode.UNSUPPORTED_VERSION);
  if (!(d.records instanceof FileRecords)) return d;
  const file = d.records;
  try {
    const stored = readRegion(file.data.region);
    const converted = downConvert(stored, v <= 1 ? 0 : 1, { fetchOffset: d.target.fetchOffset }).records;
    return { ...d, records: converted };
  } catch (err) {
    const code =
      err instanceof RecordsError && err.code === 'UNSUPPORTED_COMPRESSION_TYPE'
        ? ErrorCode.UNSUPPORTED_COMPRESSION_TYPE
        : errorCodeOf(err);
    return replace(d, code);
  } finally {
    file.release();
  }
}

function replace(d: PartitionData, errorCode: number): PartitionData {
  if (d.records instanceof FileRecords) d.records.release();
  return partitionError(d.target, errorCode, d.partition);
}
