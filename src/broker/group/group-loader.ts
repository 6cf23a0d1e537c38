/**
 * Reads one `__consumer_offsets` partition back into memory (Kafka's
 * GroupMetadataManager.loadGroupsAndOffsets): every record from the log start to the log end, the
 * last value for each key winning and tombstones removing, so the result is what a compacted log
 * would hold.
 *
 * The read is chunked (`offsets.load.buffer.size` bytes at a time) and yields to the event loop
 * between chunks, so a large log loads without blocking the broker; progress is logged every few
 * seconds. Nothing here touches live coordinator state: the result is installed in one step by the
 * caller once the whole partition has been read. Control batches (transaction markers) are skipped;
 * transactional offset commits are not written by this broker yet and are read like plain ones.
 */
import { readRegion } from '../../log/fetch-data-info.js';
import type { PartitionLog } from '../../log/partition-log.js';
import { BatchIterator } from '../../protocol/records/batch-iterator.js';
import { readRecords } from '../../protocol/records/record.js';
import type { Logger } from '../logger.js';
import { ConsumerGroup } from './consumer/consumer-group.js';
import { decodeConsumerGroupRecord, type ConsumerGroupRecord } from './consumer/records.js';
import {
  readGroupMetadataValue,
  readKey,
  readOffsetCommitValue,
  type GroupMetadataValue,
  type OffsetAndMetadata,
} from './records.js';

export interface LoadedPartition {
  /** Group metadata by group id; a group whose last record was a tombstone is absent. */
  readonly groups: Map<string, GroupMetadataValue>;
  /** Groups whose metadata was deleted by a tombstone (their offsets may still follow). */
  readonly removedGroups: Set<string>;
  /** KIP-848 consumer groups by group id, replayed from their records (dead ones removed). */
  readonly consumerGroups: Map<string, ConsumerGroup>;
  /** Offsets by group id, then `topic` → partition. */
  readonly offsets: Map<string, Map<string, Map<number, OffsetAndMetadata>>>;
  records: number;
  bytes: number;
  skipped: number;
}

export function emptyLoad(): LoadedPartition {
  return {
    groups: new Map(),
    removedGroups: new Set(),
    consumerGroups: new Map(),
    offsets: new Map(),
    records: 0,
    bytes: 0,
    skipped: 0,
  };
}

/** Applies one record of the log to `into`; returns false for a record it could not read. */
export function replayRecord(into: LoadedPartition, key: Buffer | null, value: Buffer | null): boolean {
  if (key === null) return false;
  try {
    const k = readKey(key);
    if (k.type === 'offset') {
      let byTopic = into.offsets.get(k.group);
      if (value === null) {
        byTopic?.get(k.topic)?.delete(k.partition);
        if (byTopic?.get(k.topic)?.size === 0) byTopic.delete(k.topic);
        if (byTopic?.size === 0) into.offsets.delete(k.group);
        return true;
      }
      const offset = readOffsetCommitValue(value);
      if (byTopic === undefined) into.offsets.set(k.group, (byTopic = new Map()));
      let byPartition = byTopic.get(k.topic);
      if (byPartition === undefined) byTopic.set(k.topic, (byPartition = new Map()));
      byPartition.set(k.partition, offset);
    } else if (k.type === 'consumer') {
      replayConsumerGroupRecord(into.consumerGroups, decodeConsumerGroupRecord(k.version, k.key, value));
    } else if (k.type === 'group') {
      if (value === null) {
        into.groups.delete(k.group);
        into.removedGroups.add(k.group);
      } else {
        into.groups.set(k.group, readGroupMetadataValue(value));
        into.removedGroups.delete(k.group);
      }
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies a consumer group record to the groups being loaded: the group is created by its first
 * record and removed by its metadata tombstone. A classic group's metadata and a consumer group's
 * never coexist for one id (a conversion writes the old type's tombstone first).
 */
export function replayConsumerGroupRecord(groups: Map<string, ConsumerGroup>, r: ConsumerGroupRecord | null): void {
  if (r === null) return;
  let group = groups.get(r.group);
  if (group === undefined) {
    if (r.value === null) return;
    groups.set(r.group, (group = ConsumerGroup.create(r.group, -1)));
  }
  group.replay(r);
  if (group.dead) groups.delete(r.group);
}

const PROGRESS_INTERVAL_MS = 3_000;

/**
 * Loads the partition from `log`. `stillWanted` is checked between chunks: when it turns false (the
 * broker stopped leading the partition, or is shutting down) the load stops and returns null.
 */
export async function loadPartition(
  log: PartitionLog,
  bufferSize: number,
  logger: Logger,
  stillWanted: () => boolean,
): Promise<LoadedPartition | null> {
  const into = emptyLoad();
  const end = log.logEndOffset;
  const started = Date.now();
  let lastProgress = started;
  let offset = log.logStartOffset;
  const total = log.size;
  while (offset < end) {
    if (!stillWanted()) return null;
    const data = log.read(offset, { maxBytes: bufferSize, isolation: 'LOG_END', minOneMessage: true });
    let bytes: Buffer;
    try {
      bytes = readRegion(data.region);
    } finally {
      data.release();
    }
    if (bytes.length === 0) {
      if (data.nextOffset <= offset) break;
      offset = data.nextOffset;
      continue;
    }
    into.bytes += bytes.length;
    const it = new BatchIterator(bytes);
    while (it.next()) {
      const batch = it.batch();
      offset = batch.nextOffset;
      if (batch.magic !== 2) {
        into.skipped++;
        continue;
      }
      if (batch.isControlBatch) continue;
      for (const r of readRecords(batch)) {
        into.records++;
        if (!replayRecord(into, r.key, r.value)) into.skipped++;
      }
    }
    if (data.nextOffset > offset) offset = data.nextOffset;
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      const pct = total > 0 ? Math.min(100, Math.round((100 * into.bytes) / total)) : 100;
      logger.info(
        `Loading group metadata from ${log.name}: ${pct}% (${into.bytes} of ${total} bytes, ${into.records} records) ` +
          `after ${now - started} ms`,
      );
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return into;
}
