/**
 * Rebuilds producer state from the log's batch headers (Kafka's loadProducersFromRecords with origin
 * REPLICATION: nothing is validated, the log is the truth). Only headers are read: the segments are
 * walked with BatchScanner in 64 KiB chunks, so the cost is reading the scanned range of the log once
 * (sequentially), with no decompression and no per-record work.
 *
 * Header fields used (offsets within the batch, from src/protocol/records/record-batch.ts):
 * attributes int16 @21 (bit 4 transactional, bit 5 control), maxTimestamp int64 @35, producerId int64
 * @43, producerEpoch int16 @51, baseSequence int32 @53. Control batches (transaction markers, which
 * only a transaction coordinator writes) move the epoch and timestamp; their coordinator epoch would
 * need the record, and stays -1.
 */
import { readInt64 } from '../../protocol/primitives/int64.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  CONTROL_FLAG_MASK,
  MAX_TIMESTAMP_OFFSET,
  NO_SEQUENCE,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
} from '../../protocol/records/record-batch.js';
import type { PartitionLog } from '../../log/partition-log.js';
import { BatchScanner } from '../../log/segment-file.js';
import { incrementSequence } from '../produce/log-validator.js';
import { ProducerStateEntry } from './producer-state-entry.js';

/** What a scan read: batches seen and the bytes they span. */
export interface ScanStats {
  batches: number;
  bytes: number;
}

/**
 * Applies every batch with a producer id at offsets >= `from` to `producers`, in log order. The log
 * must not be appended to meanwhile (the caller runs at partition load, before any append).
 */
export function loadProducersFromLog(
  log: PartitionLog,
  from: number,
  producers: Map<number, ProducerStateEntry>,
): ScanStats {
  const stats: ScanStats = { batches: 0, bytes: 0 };
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (const segment of log.logSegments) {
    if (segment.nextOffset <= from) continue;
    const start = segment.baseOffset >= from ? 0 : segment.offsetIndex.lookup(from).position;
    const scanner = new BatchScanner(segment.log, start, segment.log.size, chunk);
    while (scanner.next()) {
      if (scanner.lastOffset < from) continue;
      stats.batches++;
      stats.bytes += scanner.size;
      applyHeader(scanner.headerBytes(), scanner.baseOffset, scanner.lastOffset, producers);
    }
  }
  return stats;
}

/**
 * Applies one batch header (`h` starts at the batch's first byte) to `producers`, as loading and a
 * follower's append do: nothing is checked, the log is the truth.
 */
export function applyHeader(
  h: Buffer,
  baseOffset: number,
  lastOffset: number,
  producers: Map<number, ProducerStateEntry>,
): void {
  const producerId = readInt64(h, PRODUCER_ID_OFFSET);
  if (producerId < 0) return;
  const epoch = h.readInt16BE(PRODUCER_EPOCH_OFFSET);
  const timestamp = readInt64(h, MAX_TIMESTAMP_OFFSET);
  let entry = producers.get(producerId);
  if (entry === undefined) {
    entry = new ProducerStateEntry(producerId);
    producers.set(producerId, entry);
  }
  if ((h.readInt16BE(ATTRIBUTES_OFFSET) & CONTROL_FLAG_MASK) !== 0) {
    entry.maybeUpdateProducerEpoch(epoch);
    entry.lastTimestamp = timestamp;
    return;
  }
  const baseSequence = h.readInt32BE(BASE_SEQUENCE_OFFSET);
  const offsetDelta = lastOffset - baseOffset;
  const lastSeq = baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, offsetDelta);
  entry.addBatch(epoch, { lastSeq, lastOffset, offsetDelta, timestamp });
}
