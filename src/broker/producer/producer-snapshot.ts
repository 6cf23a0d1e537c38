/**
 * Producer state snapshot files, in Kafka's format, so Kafka's kafka-dump-log.sh reads ours:
 * `<partition dir>/<offset as 20 digits>.snapshot` holds the producer state of the log below `offset`.
 *
 * Layout (ProducerStateManager's PID_SNAPSHOT_MAP_SCHEMA, version 1), big-endian:
 *   version int16 (1) | crc uint32: CRC-32C of every byte after it | entry count int32 | entries
 * and each entry is 46 bytes:
 *   producerId int64 | epoch int16 | lastSequence int32 | lastOffset int64 | offsetDelta int32 |
 *   timestamp int64 | coordinatorEpoch int32 | currentTxnFirstOffset int64
 * An entry keeps only the producer's last batch (lastOffset -1 when it has none), so after a load a
 * duplicate is recognised only among batches appended since, plus that last one: as in Kafka.
 *
 * A file that is short, of another version, or fails its CRC is a CorruptSnapshotError; the loader
 * deletes it and falls back to an older snapshot or to scanning the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readInt64, writeInt64 } from '../../protocol/primitives/int64.js';
import { crc32c } from '../../protocol/records/crc.js';
import { writeFileAtomicSync } from '../metadata/atomic-file.js';
import { ProducerStateEntry } from './producer-state-entry.js';

export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
const PRODUCER_SNAPSHOT_VERSION = 1;
const CRC_OFFSET = 2;
const ENTRIES_OFFSET = 6;
const HEADER_BYTES = ENTRIES_OFFSET + 4;
const ENTRY_BYTES = 46;

export class CorruptSnapshotError extends Error {}

/** A snapshot file of a partition directory. */
export interface SnapshotFile {
  readonly offset: number;
  readonly file: string;
}

export function snapshotFileName(offset: number): string {
  return String(offset).padStart(20, '0') + PRODUCER_SNAPSHOT_FILE_SUFFIX;
}

/** The snapshot files of `dir`, by ascending offset. */
export function listSnapshotFiles(dir: string): SnapshotFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: SnapshotFile[] = [];
  for (const name of names) {
    if (!name.endsWith(PRODUCER_SNAPSHOT_FILE_SUFFIX)) continue;
    const digits = name.slice(0, -PRODUCER_SNAPSHOT_FILE_SUFFIX.length);
    if (!/^\d{20}$/.test(digits)) continue;
    out.push({ offset: Number(digits), file: path.join(dir, name) });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

export function encodeSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const list = [...entries];
  const buf = Buffer.alloc(HEADER_BYTES + list.length * ENTRY_BYTES);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(list.length, ENTRIES_OFFSET);
  let at = HEADER_BYTES;
  for (const e of list) {
    writeInt64(buf, at, e.producerId);
    buf.writeInt16BE(e.producerEpoch, at + 8);
    buf.writeInt32BE(e.lastSeq, at + 10);
    writeInt64(buf, at + 14, e.lastDataOffset);
    buf.writeInt32BE(e.lastOffsetDelta, at + 22);
    writeInt64(buf, at + 26, e.lastTimestamp);
    buf.writeInt32BE(e.coordinatorEpoch, at + 34);
    writeInt64(buf, at + 38, e.currentTxnFirstOffset);
    at += ENTRY_BYTES;
  }
  buf.writeUInt32BE(crc32c(buf, ENTRIES_OFFSET, buf.length), CRC_OFFSET);
  return buf;
}

export function decodeSnapshot(buf: Buffer): ProducerStateEntry[] {
  if (buf.length < HEADER_BYTES) throw new CorruptSnapshotError(`${buf.length} bytes, less than a snapshot header`);
  const version = buf.readInt16BE(0);
  if (version !== PRODUCER_SNAPSHOT_VERSION) {
    throw new CorruptSnapshotError(`Snapshot contained an unknown file version ${version}`);
  }
  const stored = buf.readUInt32BE(CRC_OFFSET);
  const computed = crc32c(buf, ENTRIES_OFFSET, buf.length);
  if (stored !== computed) {
    throw new CorruptSnapshotError(
      `Snapshot is corrupt (CRC is no longer valid). Stored crc: ${stored}. Computed crc: ${computed}`,
    );
  }
  const count = buf.readInt32BE(ENTRIES_OFFSET);
  if (count < 0 || buf.length !== HEADER_BYTES + count * ENTRY_BYTES) {
    throw new CorruptSnapshotError(`${count} entries do not fit ${buf.length} bytes`);
  }
  const entries: ProducerStateEntry[] = [];
  for (let at = HEADER_BYTES; at < buf.length; at += ENTRY_BYTES) {
    const lastOffset = readInt64(buf, at + 14);
    const timestamp = readInt64(buf, at + 26);
    const entry = new ProducerStateEntry(
      readInt64(buf, at),
      buf.readInt16BE(at + 8),
      buf.readInt32BE(at + 34),
      timestamp,
      readInt64(buf, at + 38),
    );
    if (lastOffset >= 0) {
      entry.batches.push({
        lastSeq: buf.readInt32BE(at + 10),
        lastOffset,
        offsetDelta: buf.readInt32BE(at + 22),
        timestamp,
      });
    }
    entries.push(entry);
  }
  return entries;
}

export function readSnapshot(file: string): ProducerStateEntry[] {
  return decodeSnapshot(fs.readFileSync(file));
}

/** Writes the snapshot for `offset` atomically and durably (tmp, fsync, rename, fsync the directory). */
export function writeSnapshot(dir: string, offset: number, entries: Iterable<ProducerStateEntry>): SnapshotFile {
  const file = path.join(dir, snapshotFileName(offset));
  writeFileAtomicSync(file, encodeSnapshot(entries));
  return { offset, file };
}
