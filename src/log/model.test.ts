/**
 * Model-based test: seeded random sequences of append (leader and follower), read, roll, truncate,
 * DeleteRecords, high watermark moves, flush, clean reopen and crash recovery, checked after every
 * step against a plain in-memory model (a list of batches and three offsets). A second model adds
 * retention and compaction (below).
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecordBatches } from '../protocol/records/batch-iterator.js';
import { readRecords } from '../protocol/records/record.js';
import { RecordBatch } from '../protocol/records/record-batch.js';
import { readRegion } from './fetch-data-info.js';
import { LogError } from './log-error.js';
import { MAX_TIMESTAMP, PartitionLog, type TimestampAndOffset } from './partition-log.js';
import { LogCleaner } from './cleaner/log-cleaner.js';
import {
  ManualTime,
  MemoryLogger,
  keyedBatch,
  makeTmpDir,
  removeTmpDir,
  testBatch,
  testConfig,
} from './testing/test-batches.js';

interface ModelBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly bytes: Buffer;
  readonly timestamps: readonly number[];
}

class Model {
  batches: ModelBatch[] = [];
  logStartOffset = 0;
  logEndOffset = 0;
  highWatermark = 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let root: string;
beforeEach(() => {
  root = makeTmpDir();
});
afterEach(() => removeTmpDir(root));

const config = testConfig({ segmentBytes: 2500, indexIntervalBytes: 150, segmentIndexBytes: 4096 });

function runModel(seed: number, steps: number): void {
  const rand = mulberry32(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const dir = path.join(root, `m-${seed}`);
  const time = new ManualTime();
  const logger = new MemoryLogger();
  const model = new Model();
  const open = (p: { clean: boolean; recoveryPoint: number }): PartitionLog =>
    PartitionLog.open({
      dir,
      topic: 'm',
      partition: 0,
      config,
      time,
      logger,
      hadCleanShutdown: p.clean,
      recoveryPoint: p.recoveryPoint,
      logStartOffset: model.logStartOffset,
      highWatermark: model.highWatermark,
    });
  let log = open({ clean: false, recoveryPoint: 0 });
  const trace: string[] = [];

  const newBatch = (baseOffset: number): { buf: Buffer; timestamps: number[] } => {
    const timestamps = Array.from({ length: 1 + int(4) }, () => int(10_000));
    return { buf: testBatch({ baseOffset, timestamps, valueSize: int(120) }), timestamps };
  };

  const expectedRead = (start: number, bound: number, maxBytes: number, minOne: boolean): ModelBatch[] => {
    const i0 = model.batches.findIndex((b) => b.lastOffset >= start);
    if (i0 < 0) return [];
    const segBase = log.logSegments.filter((s) => s.baseOffset <= model.batches[i0]!.baseOffset).at(-1)!.baseOffset;
    const nextSeg = log.logSegments.find((s) => s.baseOffset > segBase)?.baseOffset ?? Infinity;
    const out: ModelBatch[] = [];
    let bytes = 0;
    for (let i = i0; i < model.batches.length; i++) {
      const b = model.batches[i]!;
      if (b.baseOffset >= nextSeg || b.lastOffset >= bound) break;
      if (bytes + b.bytes.length > maxBytes && !(minOne && out.length === 0)) break;
      out.push(b);
      bytes += b.bytes.length;
    }
    return out;
  };

  const checkRead = (
    start: number,
    isolation: 'LOG_END' | 'HIGH_WATERMARK',
    maxBytes: number,
    minOne: boolean,
  ): void => {
    const bound = isolation === 'HIGH_WATERMARK' ? model.highWatermark : model.logEndOffset;
    if (start < model.logStartOffset || start > model.logEndOffset) {
      expect(() => log.read(start, { maxBytes, isolation, minOneMessage: minOne })).toThrow(
        expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }),
      );
      return;
    }
    const info = log.read(start, { maxBytes, isolation, minOneMessage: minOne });
    const got = readRegion(info.region);
    info.release();
    const want = start >= bound ? [] : expectedRead(start, bound, maxBytes, minOne);
    const ctx = `seed ${seed} read(${start}, ${isolation}, ${maxBytes}, ${minOne}) after ${trace.slice(-5).join('; ')}`;
    expect(got.equals(Buffer.concat(want.map((b) => b.bytes))), ctx).toBe(true);
    if (want.length > 0) {
      const last = want.at(-1)!;
      const after = model.batches[model.batches.indexOf(last) + 1];
      expect(info.nextOffset, ctx).toBeGreaterThan(last.lastOffset);
      expect(info.nextOffset, ctx).toBeLessThanOrEqual(after?.baseOffset ?? model.logEndOffset);
    }
  };

  const expectedTimestamp = (target: number): TimestampAndOffset | null => {
    if (target === MAX_TIMESTAMP) {
      let best: ModelBatch | undefined;
      for (const b of model.batches)
        if (best === undefined || Math.max(...b.timestamps) > Math.max(...best.timestamps)) best = b;
      if (best === undefined) return null;
      const max = Math.max(...best.timestamps);
      return { timestamp: max, offset: best.baseOffset + best.timestamps.indexOf(max), leaderEpoch: -1 };
    }
    for (const b of model.batches) {
      if (b.lastOffset < model.logStartOffset || Math.max(...b.timestamps) < target) continue;
      for (let i = 0; i < b.timestamps.length; i++) {
        if (b.baseOffset + i >= model.logStartOffset && b.timestamps[i]! >= target) {
          return { timestamp: b.timestamps[i]!, offset: b.baseOffset + i, leaderEpoch: -1 };
        }
      }
    }
    return null;
  };

  const dropDeletedSegments = (): void => {
    const first = log.logSegments[0]!.baseOffset;
    model.batches = model.batches.filter((b) => b.baseOffset >= first);
  };

  for (let step = 0; step < steps; step++) {
    const op = int(100);
    if (op < 30) {
      const n = 1 + int(3);
      const batches = Array.from({ length: n }, () => newBatch(0));
      const info = log.appendAsLeader(
        batches.map((b) => b.buf),
        -1,
      );
      expect(info.baseOffset).toBe(model.logEndOffset);
      for (const b of batches) {
        const rb = new RecordBatch(b.buf);
        model.batches.push({
          baseOffset: rb.baseOffset,
          lastOffset: rb.lastOffset,
          bytes: Buffer.from(b.buf),
          timestamps: b.timestamps,
        });
      }
      model.logEndOffset = info.lastOffset + 1;
      trace.push(`leader ${info.baseOffset}..${info.lastOffset}`);
    } else if (op < 38) {
      const base = model.logEndOffset + int(3);
      const b = newBatch(base);
      log.appendAsFollower(b.buf);
      const rb = new RecordBatch(b.buf);
      model.batches.push({
        baseOffset: base,
        lastOffset: rb.lastOffset,
        bytes: Buffer.from(b.buf),
        timestamps: b.timestamps,
      });
      model.logEndOffset = rb.lastOffset + 1;
      trace.push(`follower ${base}..${rb.lastOffset}`);
    } else if (op < 58) {
      const span = model.logEndOffset - model.logStartOffset + 2;
      const start = model.logStartOffset - 1 + int(span + 1);
      checkRead(start, rand() < 0.5 ? 'LOG_END' : 'HIGH_WATERMARK', int(1500), rand() < 0.7);
    } else if (op < 63) {
      log.roll();
      trace.push('roll');
    } else if (op < 70) {
      const hw = model.logStartOffset + int(model.logEndOffset - model.logStartOffset + 1);
      model.highWatermark = log.updateHighWatermark(hw);
      expect(model.highWatermark).toBe(hw);
      trace.push(`hw ${hw}`);
    } else if (op < 76) {
      const candidates = model.batches.filter(
        (b) => b.lastOffset + 1 >= model.logStartOffset && b.lastOffset + 1 < model.logEndOffset,
      );
      const target =
        candidates.length === 0 ? model.logStartOffset : candidates[int(candidates.length)]!.lastOffset + 1;
      if (
        target >= model.logStartOffset &&
        target < model.logEndOffset &&
        model.batches.every((b) => b.lastOffset < target || b.baseOffset >= target)
      ) {
        log.truncateTo(target);
        model.batches = model.batches.filter((b) => b.lastOffset < target);
        model.logEndOffset = target;
        model.highWatermark = Math.min(model.highWatermark, target);
        trace.push(`truncateTo ${target}`);
      }
    } else if (op < 78) {
      const target = model.logEndOffset + int(5);
      log.truncateFullyAndStartAt(target);
      model.batches = [];
      model.logStartOffset = model.logEndOffset = model.highWatermark = target;
      trace.push(`truncateFullyAndStartAt ${target}`);
    } else if (op < 83) {
      const target = model.logStartOffset + int(model.highWatermark - model.logStartOffset + 1);
      expect(log.deleteRecordsBefore(target)).toBe(Math.max(target, model.logStartOffset));
      model.logStartOffset = Math.max(target, model.logStartOffset);
      dropDeletedSegments();
      trace.push(`deleteRecordsBefore ${target}`);
    } else if (op < 88) {
      const ts = rand() < 0.2 ? MAX_TIMESTAMP : int(11_000);
      const got = log.fetchOffsetByTimestamp(ts);
      expect(got, `seed ${seed} timestamp ${ts}`).toEqual(
        expectedTimestamp(ts) === null ? null : { ...expectedTimestamp(ts)!, leaderEpoch: got?.leaderEpoch ?? -1 },
      );
    } else if (op < 93) {
      log.close();
      log = open({ clean: true, recoveryPoint: log.recoveryPoint });
      trace.push('reopen clean');
    } else {
      const recoveryPoint = log.recoveryPoint;
      for (const s of log.logSegments) s.log.close();
      log = open({ clean: false, recoveryPoint });
      trace.push(`crash (recovery point ${recoveryPoint})`);
    }
    expect(log.logEndOffset, `seed ${seed} step ${step}: ${trace.slice(-3).join('; ')}`).toBe(model.logEndOffset);
    expect(log.logStartOffset).toBe(model.logStartOffset);
    expect(log.highWatermark).toBe(model.highWatermark);
  }
  // A full scan at the end: every batch from the log start, in order.
  let next = model.logStartOffset;
  const seen: number[] = [];
  while (next < model.logEndOffset) {
    const info = log.read(next, { maxBytes: 1 << 20, isolation: 'LOG_END', minOneMessage: true });
    if (info.region === null) break;
    const batches = readRecordBatches(readRegion(info.region)).batches;
    for (const b of batches) {
      seen.push(b.baseOffset);
      expect([...readRecords(b)].length).toBe(b.recordCount);
    }
    info.release();
    next = info.nextOffset;
  }
  expect(seen).toEqual(model.batches.filter((b) => b.lastOffset >= model.logStartOffset).map((b) => b.baseOffset));
  log.close();
}

describe('PartitionLog against an in-memory model', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    it(`agrees with the model at every step (seed ${seed})`, () => runModel(seed, 400));
  }

  it('reports a read out of range as LogError', () => {
    const dir = path.join(root, 'x');
    const log = PartitionLog.open({ dir, topic: 'x', partition: 0, config, logger: new MemoryLogger() });
    expect(() => log.read(1, { maxBytes: 10, isolation: 'LOG_END', minOneMessage: true })).toThrow(LogError);
    log.close();
  });
});

/**
 * The same idea with keyed records under cleanup.policy compact,delete: random appends (tombstones
 * included), reads, rolls, high watermark moves, truncation, retention (the clock moves; the model
 * drops the prefix of segments whose newest record is older than retention.ms and lie below the high
 * watermark) and compaction passes of the real cleaner (worker thread included). The model applies
 * Kafka's rule to the pass's [firstDirtyOffset, endOffset): a record below endOffset stays if no later
 * record of its key lies in the dirty section, and a tombstone only until the delete horizon stamped
 * on its batch by the first pass that kept it. Checked record by record after every step.
 */
interface KeyedModelRecord {
  readonly offset: number;
  readonly key: string;
  readonly value: string | null;
  readonly timestamp: number;
}
interface KeyedModelBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  records: KeyedModelRecord[];
  horizon: number | null;
}

const keyedConfig = testConfig({
  segmentBytes: 700,
  indexIntervalBytes: 120,
  segmentIndexBytes: 4096,
  cleanupPolicy: ['compact', 'delete'],
  retentionMs: 20_000,
  deleteRetentionMs: 3_000,
  minCleanableDirtyRatio: 0,
});

async function runKeyedModel(seed: number, steps: number): Promise<void> {
  const rand = mulberry32(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const dir = path.join(root, `k-${seed}`);
  const time = new ManualTime();
  const logger = new MemoryLogger();
  let batches: KeyedModelBatch[] = [];
  let logStartOffset = 0;
  let logEndOffset = 0;
  let highWatermark = 0;
  const open = (clean: boolean, recoveryPoint: number): PartitionLog =>
    PartitionLog.open({
      dir,
      topic: 'k',
      partition: 0,
      config: keyedConfig,
      time,
      logger,
      hadCleanShutdown: clean,
      recoveryPoint,
      logStartOffset,
      highWatermark,
    });
  let log = open(false, 0);
  const cleaner = new LogCleaner(
    { dedupeBufferSize: 1 << 20, ioBufferLoadFactor: 0.9, ioBufferSize: 8192, backoffMs: 1000 },
    { logs: () => [{ logDir: root, log }], time, logger },
  );
  const trace: string[] = [];
  const modelRecords = (): KeyedModelRecord[] =>
    batches.flatMap((b) => b.records).filter((r) => r.offset >= logStartOffset);
  const logRecords = (): KeyedModelRecord[] => {
    const out: KeyedModelRecord[] = [];
    let next = log.logStartOffset;
    while (next < log.logEndOffset) {
      const info = log.read(next, { maxBytes: 1 << 20, isolation: 'LOG_END', minOneMessage: true });
      if (info.region === null) break;
      for (const b of readRecordBatches(readRegion(info.region)).batches) {
        b.ensureValid();
        for (const r of readRecords(b)) {
          if (r.offset < log.logStartOffset) continue;
          out.push({
            offset: r.offset,
            key: r.key!.toString(),
            value: r.value?.toString() ?? null,
            timestamp: r.timestamp,
          });
        }
      }
      info.release();
      next = info.nextOffset;
    }
    return out;
  };
  const checkAll = (what: string): void => {
    expect(logRecords(), `seed ${seed} ${what} after ${trace.slice(-6).join('; ')}`).toEqual(modelRecords());
  };

  try {
    for (let step = 0; step < steps; step++) {
      const op = int(100);
      let full = false;
      if (op < 35) {
        const n = 1 + int(3);
        const records = Array.from({ length: n }, () => ({
          key: `k${int(12)}`,
          value: rand() < 0.15 ? null : `v${int(1000)}`,
          timestamp: time.now,
        }));
        const info = log.appendAsLeader(keyedBatch(records), 0);
        batches.push({
          baseOffset: info.baseOffset,
          lastOffset: info.lastOffset,
          records: records.map((r, i) => ({ ...r, offset: info.baseOffset + i })),
          horizon: null,
        });
        logEndOffset = info.lastOffset + 1;
        trace.push(`append ${info.baseOffset}..${info.lastOffset}`);
      } else if (op < 48) {
        const start = logStartOffset + int(logEndOffset - logStartOffset + 1);
        const info = log.read(start, { maxBytes: int(600), isolation: 'LOG_END', minOneMessage: true });
        const got = readRecordBatches(readRegion(info.region)).batches.flatMap((b) =>
          [...readRecords(b)].map((r) => r.offset),
        );
        info.release();
        const want = modelRecords().filter((r) => r.offset >= start);
        if (got.length > 0) {
          // Whole batches from the one holding `start`: every model record of [start, nextOffset) returned.
          const inRange = want.filter((r) => r.offset < info.nextOffset).map((r) => r.offset);
          expect(
            got.filter((o) => o >= start),
            `seed ${seed} read ${start}`,
          ).toEqual(inRange);
        } else if (start < logEndOffset) {
          expect(info.nextOffset).toBeGreaterThanOrEqual(start);
        }
      } else if (op < 55) {
        log.roll();
        trace.push('roll');
      } else if (op < 65) {
        highWatermark = log.updateHighWatermark(logStartOffset + int(logEndOffset - logStartOffset + 1));
        trace.push(`hw ${highWatermark}`);
      } else if (op < 69) {
        const candidates = batches.filter((b) => b.lastOffset + 1 > logStartOffset && b.lastOffset + 1 < logEndOffset);
        if (candidates.length > 0) {
          const target = candidates[int(candidates.length)]!.lastOffset + 1;
          log.truncateTo(target);
          batches = batches.filter((b) => b.lastOffset < target);
          logEndOffset = target;
          highWatermark = Math.min(highWatermark, target);
          trace.push(`truncateTo ${target}`);
          full = true;
        }
      } else if (op < 80) {
        time.sleep(int(8_000));
        highWatermark = log.updateHighWatermark(logEndOffset - int(2));
        const segments = log.logSegments;
        let newStart = logStartOffset;
        for (let i = 0; i < segments.length; i++) {
          const next = segments[i + 1]?.baseOffset;
          const upper = next ?? logEndOffset;
          if (highWatermark < upper || (next === undefined && segments[i]!.size === 0)) break;
          const inSeg = batches.filter(
            (b) => b.baseOffset >= segments[i]!.baseOffset && (next === undefined || b.baseOffset < next),
          );
          const ts = inSeg.flatMap((b) => b.records.map((r) => r.timestamp));
          if (ts.length === 0 || time.now - Math.max(...ts) <= keyedConfig.retentionMs) break;
          newStart = upper;
        }
        log.deleteOldSegments();
        expect(log.logStartOffset, `seed ${seed} retention at ${time.now}`).toBe(Math.max(newStart, logStartOffset));
        logStartOffset = log.logStartOffset;
        batches = batches.filter((b) => b.lastOffset >= log.logSegments[0]!.baseOffset);
        trace.push(`retention → ${logStartOffset}`);
        full = true;
      } else if (op < 92) {
        time.sleep(int(2_000));
        const summary = await cleaner.cleanFilthiestLog();
        if (summary !== null && summary.segmentsSwapped > 0) {
          const F = summary.firstDirtyOffset;
          const E = summary.endOffset;
          const latest = new Map<string, number>();
          for (const b of batches)
            for (const r of b.records) if (r.offset >= F && r.offset < E) latest.set(r.key, r.offset);
          const now = time.now;
          for (const b of batches) {
            if (b.baseOffset >= E) continue;
            const kept = b.records.filter(
              (r) =>
                r.offset >= E ||
                (r.offset >= (latest.get(r.key) ?? -1) && (r.value !== null || b.horizon === null || now < b.horizon)),
            );
            if (kept.some((r) => r.value === null) && b.horizon === null) b.horizon = now + 3_000;
            b.records = kept;
          }
          batches = batches.filter((b) => b.records.length > 0);
          trace.push(`clean ${F}..${E}`);
          full = true;
        }
      } else if (op < 96) {
        log.close();
        log = open(true, log.recoveryPoint);
        trace.push('reopen');
        full = true;
      } else {
        const rp = log.recoveryPoint;
        for (const s of log.logSegments) s.log.close();
        log = open(false, rp);
        trace.push('crash');
        full = true;
      }
      expect(log.logEndOffset, `seed ${seed} step ${step}`).toBe(logEndOffset);
      expect(log.logStartOffset).toBe(logStartOffset);
      if (full) checkAll(`step ${step}`);
    }
    checkAll('end');
  } finally {
    await cleaner.shutdown();
    log.close();
  }
}

describe('PartitionLog with retention and compaction against an in-memory model', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`agrees with the model at every step (seed ${seed})`, () => runKeyedModel(seed, 300));
  }
});
