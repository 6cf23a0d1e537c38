import { ErrorCode } from '../../protocol/errors.js';
import { downConvert } from '../../protocol/records/conversion.js';
import type { RecordsData } from '../../protocol/primitives/writer.js';
import { readRegion } from '../../log/fetch-data-info.js';
import { errorCodeOf } from '../error-codes.js';
import type { ReplicaManager } from '../replica-manager.js';
import { FileRecords } from './file-records.js';

/** One partition a fetch asks for, resolved to a topic name (null when the name or id is unknown). */
export interface FetchTarget {
  readonly topic: string | null;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
  readonly currentLeaderEpoch: number;
}

export interface PartitionData {
  readonly target: FetchTarget;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  readonly records: RecordsData | null;
  readonly bytes: number;
}

/**
 * Reads every target once, in request order, within the response's byte budget (Kafka's
 * readFromLocalLog): each partition gets at most its own max bytes and what is left of the response's;
 * the first partition that returns data may exceed both with one whole batch (KIP-74) unless the
 * request is pre-v3, which had no response limit. Fetchers of v0-3 get magic 0 or 1, converted here.
 */
export function readPartitions(
  rm: ReplicaManager,
  targets: readonly FetchTarget[],
  maxBytes: number,
  version: number,
  fromReplica: boolean,
): { partitions: PartitionData[]; totalBytes: number; errors: boolean } {
  let remaining = maxBytes;
  let totalBytes = 0;
  let errors = false;
  const partitions = targets.map((target): PartitionData => {
    const data = readOne(
      rm,
      target,
      Math.min(target.partitionMaxBytes, Math.max(remaining, 0)),
      totalBytes === 0,
      version,
      fromReplica,
    );
    remaining -= data.bytes;
    totalBytes += data.bytes;
    if (data.errorCode !== ErrorCode.NONE) errors = true;
    return data;
  });
  return { partitions, totalBytes, errors };
}

function readOne(
  rm: ReplicaManager,
  target: FetchTarget,
  limit: number,
  first: boolean,
  version: number,
  fromReplica: boolean,
): PartitionData {
  const fail = (errorCode: number): PartitionData => ({
    target,
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    records: null,
    bytes: 0,
  });
  if (target.topic === null)
    return fail(version >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const p = rm.getPartition(target.topic, target.partition);
  if (p === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!p.isLeader && !fromReplica) return fail(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  if (target.currentLeaderEpoch >= 0 && target.currentLeaderEpoch < p.leaderEpoch)
    return fail(ErrorCode.FENCED_LEADER_EPOCH);
  if (target.currentLeaderEpoch > p.leaderEpoch) return fail(ErrorCode.UNKNOWN_LEADER_EPOCH);
  try {
    const read = p.read(target.fetchOffset, limit, fromReplica, first && version >= 3);
    const base = {
      target,
      highWatermark: read.highWatermark,
      lastStableOffset: read.lastStableOffset,
      logStartOffset: read.logStartOffset,
    };
    const data = read.data;
    if (read.errorCode !== ErrorCode.NONE || data === null || data.sizeInBytes === 0) {
      data?.release();
      return { ...base, errorCode: read.errorCode, records: null, bytes: 0 };
    }
    if (version >= 4)
      return { ...base, errorCode: ErrorCode.NONE, records: new FileRecords(data), bytes: data.sizeInBytes };
    // Pre-0.11 fetchers read magic 0 (v0-1) or 1 (v2-3): convert in memory, as Kafka does.
    let bytes: Buffer;
    try {
      bytes = readRegion(data.region);
    } finally {
      data.release();
    }
    const converted = downConvert(bytes, version <= 1 ? 0 : 1, { fetchOffset: target.fetchOffset }).records;
    return { ...base, errorCode: ErrorCode.NONE, records: converted, bytes: converted.length };
  } catch (err) {
    return fail(errorCodeOf(err));
  }
}

/** Releases the file references of reads that will not be sent. */
export function releaseAll(partitions: readonly PartitionData[]): void {
  for (const p of partitions) if (p.records instanceof FileRecords) p.records.release();
}
