import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { ErrorCode } from '../../protocol/errors.js';
import { logConfig } from '../../log/log-config.js';
import { PartitionLog } from '../../log/partition-log.js';
import { ManualTime, makeTmpDir, removeTmpDir } from '../../log/testing/test-batches.js';
import { type ProducerBatch } from './producer-append-check.js';
import { listSnapshotFiles, snapshotFileName } from './producer-snapshot.js';
import { ProducerStateManager } from './producer-state-manager.js';

let dir: string;
let log: PartitionLog;
let lines: string[];
const time = new ManualTime(1_700_000_000_000);
const logger = {
  info: (m: string) => lines.push(m),
  warn: (m: string) => lines.push(m),
  error: (m: string) => lines.push(m),
};

function open(segmentBytes = 1 << 20): PartitionLog {
  return PartitionLog.open({
    dir,
    topic: 't',
    partition: 0,
    config: logConfig({ segmentBytes }),
    logger,
    time,
  });
}

function load(expirationMs = 86_400_000): ProducerStateManager {
  return ProducerStateManager.load(log, { producerIdExpirationMs: expirationMs, time, logger });
}

interface Spec {
  producerId: number;
  epoch: number;
  seq: number;
  count?: number;
  timestamp?: number;
  control?: boolean;
}

function spec(s: Spec): { records: Buffer; batch: ProducerBatch } {
  const count = s.count ?? 1;
  const records = buildRecordBatch(
    Array.from({ length: count }, (_, i) => ({
      timestamp: (s.timestamp ?? time.now) + i,
      key: null,
      value: Buffer.from('v'),
    })),
    { producerId: s.producerId, producerEpoch: s.epoch, baseSequence: s.seq, isControl: s.control },
  );
  const batch = {
    producerId: s.producerId,
    producerEpoch: s.epoch,
    baseSequence: s.seq,
    lastSequence: s.producerId < 0 ? -1 : s.seq + count - 1,
    isTransactional: false,
  };
  return { records, batch };
}

/** The leader path: check, append, record. Returns the check's kind and the base offset. */
function produce(m: ProducerStateManager, s: Spec): { kind: string; offset: number; errorCode?: number } {
  const { records, batch } = spec(s);
  const check = m.prepareAppend(batch);
  if (check.kind === 'duplicate')
    return { kind: 'duplicate', offset: check.batch.lastOffset - check.batch.offsetDelta };
  if (check.kind === 'rejected') return { kind: 'rejected', offset: -1, errorCode: check.errorCode };
  const info = log.appendAsLeader(records, 0);
  m.completeAppend(batch, info);
  return { kind: 'append', offset: info.baseOffset };
}

beforeEach(() => {
  dir = makeTmpDir('samsa-psm-');
  lines = [];
  log = open();
});
afterEach(() => {
  log.close();
  removeTmpDir(dir);
});

describe('ProducerStateManager', () => {
  it('checks and records appends; a retry of one of the last five batches is a duplicate', () => {
    const m = load();
    expect(produce(m, { producerId: 1, epoch: 0, seq: 0, count: 3 })).toEqual({ kind: 'append', offset: 0 });
    expect(produce(m, { producerId: -1, epoch: -1, seq: -1 })).toEqual({ kind: 'append', offset: 3 });
    expect(produce(m, { producerId: 1, epoch: 0, seq: 3, count: 2 })).toEqual({ kind: 'append', offset: 4 });
    expect(produce(m, { producerId: 1, epoch: 0, seq: 0, count: 3 })).toEqual({ kind: 'duplicate', offset: 0 });
    expect(produce(m, { producerId: 1, epoch: 0, seq: 9 })).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(m.mapEndOffset).toBe(6);
    expect(log.logEndOffset).toBe(6);
    const e = m.lastEntry(1)!;
    expect(e.batches).toEqual([
      { lastSeq: 2, lastOffset: 2, offsetDelta: 2, timestamp: time.now + 2 },
      { lastSeq: 4, lastOffset: 5, offsetDelta: 1, timestamp: time.now + 1 },
    ]);
    expect([...m.activeProducers.keys()]).toEqual([1]);
  });

  it('rebuilds the state from the log when there is no snapshot, keeping the last five batches', () => {
    const m = load();
    for (let i = 0; i < 7; i++) produce(m, { producerId: 9, epoch: 2, seq: i * 2, count: 2 });
    produce(m, { producerId: 10, epoch: 0, seq: 0 });
    log.close();
    log = open();
    const again = load();
    expect(again.lastEntry(9)!.batches).toEqual(m.lastEntry(9)!.batches);
    expect(again.lastEntry(10)!.lastSeq).toBe(0);
    expect(again.mapEndOffset).toBe(15);
    expect(produce(again, { producerId: 9, epoch: 2, seq: 8, count: 2 })).toEqual({ kind: 'duplicate', offset: 8 });
    expect(produce(again, { producerId: 9, epoch: 2, seq: 14 })).toEqual({ kind: 'append', offset: 15 });
    expect(lines.some((l) => l.includes('Reloaded producer state from offset 0 to 15: 8 batches'))).toBe(true);
    // The scan left a snapshot at the log end, so the next load reads no log.
    expect(listSnapshotFiles(dir).map((s) => s.offset)).toEqual([15]);
  });

  it('loads from the snapshot taken at shutdown without scanning, and scans only what follows one', () => {
    const m = load();
    produce(m, { producerId: 1, epoch: 0, seq: 0, count: 2 });
    m.takeSnapshot();
    expect(fs.existsSync(path.join(dir, snapshotFileName(2)))).toBe(true);
    log.close();
    log = open();
    lines = [];
    const clean = load();
    expect(clean.lastEntry(1)!.lastSeq).toBe(1);
    expect(lines.some((l) => l.includes('Reloaded'))).toBe(false);
    produce(clean, { producerId: 1, epoch: 0, seq: 2 });
    produce(clean, { producerId: 2, epoch: 0, seq: 0 });
    log.close(); // no snapshot: as after an unclean stop
    log = open();
    lines = [];
    const unclean = load();
    expect(lines.some((l) => l.includes('Reloaded producer state from offset 2 to 4: 2 batches'))).toBe(true);
    expect(unclean.lastEntry(1)!.lastSeq).toBe(2);
    expect(unclean.lastEntry(2)!.lastSeq).toBe(0);
    expect(produce(unclean, { producerId: 1, epoch: 0, seq: 2 })).toEqual({ kind: 'duplicate', offset: 2 });
  });

  it('snapshots at each roll, at the new segment base offset, and keeps the latest two', () => {
    log.close();
    log = open(200);
    const m = load();
    for (let i = 0; i < 8; i++) produce(m, { producerId: 4, epoch: 0, seq: i, count: 1 });
    const bases = log.logSegments.map((s) => s.baseOffset).slice(1);
    expect(bases.length).toBeGreaterThanOrEqual(3);
    expect(listSnapshotFiles(dir).map((s) => s.offset)).toEqual(bases.slice(-2));
    log.close();
    log = open(200);
    lines = [];
    const again = load();
    expect(again.lastEntry(4)!.lastSeq).toBe(7);
    expect(lines.some((l) => l.includes(`Reloaded producer state from offset ${bases.at(-1)!} to 8`))).toBe(true);
  });

  it('drops a corrupt snapshot and one past the log end, falling back to an older one or the log', () => {
    const m = load();
    produce(m, { producerId: 1, epoch: 0, seq: 0 });
    m.takeSnapshot();
    produce(m, { producerId: 1, epoch: 0, seq: 1 });
    m.takeSnapshot();
    fs.writeFileSync(path.join(dir, snapshotFileName(2)), Buffer.from('garbage!!!!!'));
    fs.writeFileSync(path.join(dir, snapshotFileName(99)), Buffer.alloc(0));
    log.close();
    log = open();
    const again = load();
    expect(again.lastEntry(1)!.lastSeq).toBe(1);
    expect(
      lines.some((l) => l.includes("Failed to load producer snapshot from '") && l.includes('0002.snapshot')),
    ).toBe(true);
    expect(listSnapshotFiles(dir).map((s) => s.offset)).toEqual([1, 2]);
  });

  it('expires idle producers after producer.id.expiration.ms, on schedule and at load', () => {
    const m = load(1000);
    produce(m, { producerId: 1, epoch: 0, seq: 0, timestamp: time.now - 500 });
    produce(m, { producerId: 2, epoch: 0, seq: 0, timestamp: time.now - 2000 });
    expect(m.removeExpiredProducers()).toBe(1);
    expect([...m.activeProducers.keys()]).toEqual([1]);
    // An expired producer starts over at any sequence.
    expect(produce(m, { producerId: 2, epoch: 0, seq: 5 })).toMatchObject({ kind: 'append' });
    time.now += 10_000;
    log.close();
    log = open();
    expect(load(1000).activeProducers.size).toBe(0);
  });

  it('reloads from the log after a truncation, dropping snapshots past the new end', () => {
    const m = load();
    produce(m, { producerId: 1, epoch: 0, seq: 0, count: 2 });
    m.takeSnapshot();
    produce(m, { producerId: 1, epoch: 0, seq: 2, count: 2 });
    m.takeSnapshot();
    log.truncateTo(2);
    m.truncateAndReload();
    expect(m.lastEntry(1)!.lastSeq).toBe(1);
    expect(m.mapEndOffset).toBe(2);
    expect(listSnapshotFiles(dir).map((s) => s.offset)).toEqual([2]);
    expect(produce(m, { producerId: 1, epoch: 0, seq: 2, count: 2 })).toEqual({ kind: 'append', offset: 2 });
  });

  it('a control batch in the log moves the epoch and forgets the batches', () => {
    const m = load();
    produce(m, { producerId: 3, epoch: 0, seq: 0 });
    const { records } = spec({ producerId: 3, epoch: 1, seq: -1, control: true });
    m.completeAppend(
      { producerId: -1, producerEpoch: -1, baseSequence: -1, lastSequence: -1, isTransactional: false },
      log.appendAsLeader(records, 0),
    );
    log.close();
    log = open();
    const e = load().lastEntry(3)!;
    expect(e.producerEpoch).toBe(1);
    expect(e.batches).toEqual([]);
  });
});
