import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32c } from '../../protocol/records/crc.js';
import { makeTmpDir, removeTmpDir } from '../../log/testing/test-batches.js';
import {
  CorruptSnapshotError,
  decodeSnapshot,
  encodeSnapshot,
  listSnapshotFiles,
  readSnapshot,
  snapshotFileName,
  writeSnapshot,
} from './producer-snapshot.js';
import { ProducerStateEntry } from './producer-state-entry.js';

let dir: string;
beforeEach(() => {
  dir = makeTmpDir('samsa-snap-');
});
afterEach(() => removeTmpDir(dir));

function entry(): ProducerStateEntry {
  const e = new ProducerStateEntry(1000, 2);
  e.addBatch(2, { lastSeq: 4, lastOffset: 40, offsetDelta: 2, timestamp: 1_700_000_000_123 });
  e.addBatch(2, { lastSeq: 9, lastOffset: 52, offsetDelta: 4, timestamp: 1_700_000_000_456 });
  return e;
}

describe('producer snapshot files', () => {
  it("writes Kafka's layout: version, CRC-32C of the rest, count, 46-byte entries", () => {
    const buf = encodeSnapshot([entry(), new ProducerStateEntry(5)]);
    const expected = Buffer.from(
      '0001' +
        '00000000' +
        '00000002' +
        // producerId 1000, epoch 2, lastSeq 9, lastOffset 52, offsetDelta 4, timestamp, coordinatorEpoch -1, txn -1
        '00000000000003e8' +
        '0002' +
        '00000009' +
        '0000000000000034' +
        '00000004' +
        (1_700_000_000_456).toString(16).padStart(16, '0') +
        'ffffffff' +
        'ffffffffffffffff' +
        // producerId 5 with no batch: epoch -1, lastSeq -1, lastOffset -1, delta 0, timestamp -1
        '0000000000000005' +
        'ffff' +
        'ffffffff' +
        'ffffffffffffffff' +
        '00000000' +
        'ffffffffffffffff' +
        'ffffffff' +
        'ffffffffffffffff',
      'hex',
    );
    expected.writeUInt32BE(crc32c(expected, 6), 2);
    expect(buf.toString('hex')).toBe(expected.toString('hex'));
  });

  it('reads back the last batch of each producer', () => {
    const [a, b] = decodeSnapshot(encodeSnapshot([entry(), new ProducerStateEntry(5)]));
    expect(a).toMatchObject({ producerId: 1000, producerEpoch: 2, lastTimestamp: 1_700_000_000_456 });
    expect(a!.batches).toEqual([{ lastSeq: 9, lastOffset: 52, offsetDelta: 4, timestamp: 1_700_000_000_456 }]);
    expect(b!.batches).toEqual([]);
    expect(b!.lastSeq).toBe(-1);
  });

  it('refuses short files, other versions, CRC mismatches and bad counts', () => {
    const good = encodeSnapshot([entry()]);
    expect(() => decodeSnapshot(good.subarray(0, 8))).toThrow(CorruptSnapshotError);
    const version = Buffer.from(good);
    version.writeInt16BE(2, 0);
    expect(() => decodeSnapshot(version)).toThrow(/unknown file version 2/);
    const flipped = Buffer.from(good);
    flipped.writeUInt8(flipped.readUInt8(20) ^ 1, 20);
    expect(() => decodeSnapshot(flipped)).toThrow(/CRC is no longer valid/);
    const truncated = Buffer.from(good.subarray(0, good.length - 1));
    truncated.writeUInt32BE(crc32c(truncated, 6), 2);
    expect(() => decodeSnapshot(truncated)).toThrow(/do not fit/);
  });

  it('names files by 20-digit offset and lists only those, in offset order', () => {
    expect(snapshotFileName(1234)).toBe('00000000000000001234.snapshot');
    writeSnapshot(dir, 50, [entry()]);
    writeSnapshot(dir, 7, []);
    fs.writeFileSync(path.join(dir, 'x.snapshot'), '');
    fs.writeFileSync(path.join(dir, '00000000000000000000.log'), '');
    expect(listSnapshotFiles(dir).map((s) => s.offset)).toEqual([7, 50]);
    expect(readSnapshot(path.join(dir, snapshotFileName(50)))[0]!.producerId).toBe(1000);
    expect(listSnapshotFiles(path.join(dir, 'missing'))).toEqual([]);
  });
});
