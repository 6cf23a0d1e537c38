import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecordBatches } from '../../protocol/records/batch-iterator.js';
import { readRecords } from '../../protocol/records/record.js';
import { CLEANER_OFFSET_CHECKPOINT, OffsetCheckpointFile } from '../checkpoint-file.js';
import { readRegion } from '../fetch-data-info.js';
import type { LogConfig } from '../log-config.js';
import { DEFAULT_LOG_MANAGER_CONFIG, LogManager } from '../log-manager.js';
import { PartitionLog, type SwapStep } from '../partition-log.js';
import { ManualTime, MemoryLogger, keyedBatch, makeTmpDir, removeTmpDir, testConfig } from '../testing/test-batches.js';
import { LogCleaner, type LogCleanerOptions } from './log-cleaner.js';

let root: string;
let time: ManualTime;
let logger: MemoryLogger;
const cleaners: LogCleaner[] = [];
beforeEach(() => {
  root = makeTmpDir();
  time = new ManualTime(1_000_000);
  logger = new MemoryLogger();
});
afterEach(async () => {
  for (const c of cleaners.splice(0)) await c.shutdown();
  removeTmpDir(root);
});

const compactConfig = (o: Partial<LogConfig> = {}): LogConfig =>
  testConfig({ cleanupPolicy: ['compact'], segmentBytes: 400, indexIntervalBytes: 100, ...o });

function open(
  config = compactConfig(),
  p: { clean?: boolean; recoveryPoint?: number; logStartOffset?: number } = {},
): PartitionLog {
  return PartitionLog.open({
    dir: path.join(root, 't-0'),
    topic: 't',
    partition: 0,
    config,
    time,
    logger,
    hadCleanShutdown: p.clean ?? false,
    recoveryPoint: p.recoveryPoint ?? 0,
    logStartOffset: p.logStartOffset ?? 0,
  });
}

function cleanerFor(log: () => PartitionLog, extra: Partial<LogCleanerOptions> = {}): LogCleaner {
  const c = new LogCleaner(
    { dedupeBufferSize: 1 << 16, ioBufferLoadFactor: 0.9, ioBufferSize: 4096, backoffMs: 1000 },
    { logs: () => [{ logDir: root, log: log() }], time, logger, ...extra },
  );
  cleaners.push(c);
  return c;
}

/** Appends one batch a record: key k<i % keys>, value v<i>; every `tombEvery`th a tombstone. */
function produce(log: PartitionLog, n: number, keys: number, start = 0, tombEvery = 0): void {
  for (let i = start; i < start + n; i++) {
    const tomb = tombEvery > 0 && i % tombEvery === tombEvery - 1;
    log.appendAsLeader(keyedBatch([{ key: `k${i % keys}`, value: tomb ? null : `v${i}`, timestamp: time.now }]), 0);
  }
  log.updateHighWatermark(log.logEndOffset);
}

interface Rec {
  offset: number;
  key: string;
  value: string | null;
}
function scan(log: PartitionLog): Rec[] {
  const out: Rec[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const info = log.read(next, { maxBytes: 1 << 20, isolation: 'LOG_END', minOneMessage: true });
    if (info.region === null) break;
    for (const b of readRecordBatches(readRegion(info.region)).batches) {
      b.ensureValid();
      for (const r of readRecords(b))
        out.push({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null });
    }
    info.release();
    next = info.nextOffset;
  }
  return out;
}
/** key → latest value (tombstones delete). */
function view(log: PartitionLog): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of scan(log)) {
    if (r.value === null) m.delete(r.key);
    else m.set(r.key, r.value);
  }
  return m;
}

describe('LogCleaner', () => {
  it('keeps the latest record per key below the active segment, with its offset, in a worker thread', async () => {
    const log = open();
    produce(log, 60, 5);
    const before = view(log);
    const summary = await cleanerFor(() => log).cleanFilthiestLog();
    expect(summary).not.toBeNull();
    expect(summary!.threadId).not.toBe(0);
    const activeBase = log.activeSegment.baseOffset;
    expect(summary!.endOffset).toBe(activeBase);
    const recs = scan(log);
    const cleaned = recs.filter((r) => r.offset < activeBase);
    expect(new Set(cleaned.map((r) => r.key)).size).toBe(cleaned.length);
    for (const r of cleaned) expect(r.value).toBe(`v${r.offset}`);
    expect(view(log)).toEqual(before);
    expect(log.logEndOffset).toBe(60);
    const cp = new OffsetCheckpointFile(path.join(root, CLEANER_OFFSET_CHECKPOINT)).read();
    expect(cp.get('t-0')).toBe(activeBase);
    expect(fs.readdirSync(log.dir).filter((n) => /\.(cleaned|swap)$/.test(n))).toEqual([]);
    log.close();
  });

  it('merges small segments on a later pass and reopens to the same view', async () => {
    const log = open();
    produce(log, 60, 3);
    const cleaner = cleanerFor(() => log);
    await cleaner.cleanFilthiestLog();
    const segmentsAfterFirst = log.numberOfSegments;
    produce(log, 30, 3, 60);
    log.roll();
    await cleaner.cleanFilthiestLog();
    expect(log.numberOfSegments).toBeLessThan(segmentsAfterFirst);
    const before = view(log);
    log.close();
    const reopened = open(compactConfig(), { clean: true, recoveryPoint: 90 });
    expect(view(reopened)).toEqual(before);
    reopened.close();
  });

  it('honours min.cleanable.dirty.ratio', async () => {
    const log = open(compactConfig({ minCleanableDirtyRatio: 0.5 }));
    produce(log, 40, 40);
    const cleaner = cleanerFor(() => log);
    expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
    // Now almost everything is clean: a little new dirt stays below the ratio.
    produce(log, 6, 40, 40);
    log.roll();
    const c = cleaner.candidates()[0]!.toClean;
    expect(c.cleanableRatio).toBeLessThan(0.5);
    expect(await cleaner.cleanFilthiestLog()).toBeNull();
    log.close();
  });

  it('honours min.compaction.lag.ms', async () => {
    const log = open(compactConfig({ minCompactionLagMs: 60_000 }));
    produce(log, 30, 3);
    const cleaner = cleanerFor(() => log);
    expect(cleaner.candidates()[0]!.toClean.cleanableBytes).toBe(0); // every segment is within the lag
    expect(await cleaner.cleanFilthiestLog()).toBeNull();
    time.sleep(120_000);
    expect(cleaner.candidates()[0]!.toClean.cleanableBytes).toBeGreaterThan(0);
    expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
    log.close();
  });

  it('honours max.compaction.lag.ms over the dirty ratio', async () => {
    const config = compactConfig({ minCleanableDirtyRatio: 0.9 });
    const log = open(config);
    produce(log, 40, 40);
    const cleaner = cleanerFor(() => log);
    expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
    produce(log, 6, 40, 40);
    log.roll();
    expect(await cleaner.cleanFilthiestLog()).toBeNull();
    time.sleep(60_000);
    log.updateConfig({ ...config, maxCompactionLagMs: 30_000 });
    expect(cleaner.candidates()[0]!.toClean.needCompactionNow).toBe(true);
    expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
    log.close();
  });

  it('keeps tombstones until delete.retention.ms after the pass that first saw them', async () => {
    const log = open(compactConfig({ deleteRetentionMs: 10_000 }));
    produce(log, 30, 3, 0, 3); // every key's latest record is a tombstone at times
    log.appendAsLeader(keyedBatch([{ key: 'k0', value: null }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    const cleaner = cleanerFor(() => log);
    await cleaner.cleanFilthiestLog();
    const tombs = (): Rec[] => scan(log).filter((r) => r.value === null);
    expect(tombs().length).toBeGreaterThan(0);
    // A second pass before the horizon keeps them.
    log.appendAsLeader(keyedBatch([{ key: 'x', value: '1' }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    log.updateConfig(compactConfig({ deleteRetentionMs: 10_000, minCleanableDirtyRatio: 0 }));
    await cleaner.cleanFilthiestLog();
    expect(tombs().length).toBeGreaterThan(0);
    time.sleep(10_001);
    log.appendAsLeader(keyedBatch([{ key: 'y', value: '1' }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    await cleaner.cleanFilthiestLog();
    expect(tombs()).toEqual([]);
    expect(view(log).has('k0')).toBe(false);
    log.close();
  });

  it('stops at the offset map capacity and continues on the next pass', async () => {
    const log = open(compactConfig({ segmentBytes: 100_000, minCleanableDirtyRatio: 0 }));
    for (let i = 0; i < 3000; i++) log.appendAsLeader(keyedBatch([{ key: `key-${i}`, value: 'v' }]), 0);
    log.roll();
    for (let i = 0; i < 3000; i++) log.appendAsLeader(keyedBatch([{ key: `key-${i}`, value: 'w' }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    const before = view(log);
    const cleaner = cleanerFor(() => log); // 2730 slots, 2457 keys at load factor 0.9
    const first = await cleaner.cleanFilthiestLog();
    expect(first!.endOffset).toBeLessThan(6000);
    let passes = 1;
    while ((await cleaner.cleanFilthiestLog()) !== null && passes < 10) passes++;
    expect(view(log)).toEqual(before);
    expect(scan(log).length).toBe(3000);
    log.close();
  });

  it('refuses the swap when retention deleted segments meanwhile, leaving no cleaned files', async () => {
    const log = open(compactConfig({ cleanupPolicy: ['compact', 'delete'], retentionMs: 10_000 }));
    produce(log, 40, 4);
    time.sleep(60_000);
    produce(log, 2, 4, 40);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    const cleaner = cleanerFor(() => log);
    const running = cleaner.cleanFilthiestLog();
    expect(log.deleteOldSegments()).toBeGreaterThan(0);
    const summary = await running;
    expect(summary!.aborted).toBe(true);
    expect(fs.readdirSync(log.dir).filter((n) => /\.(cleaned|swap)$/.test(n))).toEqual([]);
    log.close();
  });

  it('is driven by the LogManager, which runs retention and the cleaner together', async () => {
    const manager = LogManager.open(
      { ...DEFAULT_LOG_MANAGER_CONFIG, logDirs: [root], cleaner: { dedupeBufferSize: 1 << 16 } },
      { time, logger, topicConfig: () => compactConfig() },
    );
    const log = manager.getOrCreateLog('c', 0);
    produce(log, 50, 2);
    const summary = await manager.cleaner!.cleanFilthiestLog();
    expect(summary?.name).toBe('c-0');
    expect(manager.cleaner!.cleanerCheckpoint(root, 'c-0')).toBe(log.activeSegment.baseOffset);
    await manager.shutdown();
  });
});

describe('LogCleaner crash safety', () => {
  const steps: SwapStep[] = ['cleaned-to-swap', 'old-to-deleted', 'swap-to-live'];
  for (const step of steps) {
    for (const hit of [1, 2]) {
      it(`recovers a valid log with the same view after a crash at ${step} (#${hit})`, async () => {
        let log = open();
        produce(log, 80, 6, 0, 7);
        const before = view(log);
        const end = log.logEndOffset;
        let seen = 0;
        const cleaner = cleanerFor(() => log, {
          killPoint: (s) => {
            if (s === step && ++seen === hit) throw new Error(`killed at ${s}`);
          },
        });
        await expect(cleaner.cleanFilthiestLog()).rejects.toThrow(`killed at ${step}`);
        // The crash: drop every fd without closing the log properly, then recover from scratch.
        for (const s of log.logSegments) s.log.close();
        log = open(compactConfig(), { recoveryPoint: 0 });
        expect(log.logEndOffset).toBe(end);
        expect(view(log)).toEqual(before);
        expect(fs.readdirSync(log.dir).filter((n) => /\.(cleaned|swap|deleted)$/.test(n))).toEqual([]);
        log.close();
      });
    }
  }

  it('recovers when the worker died while writing .cleaned files', () => {
    let log = open();
    produce(log, 40, 4);
    const before = view(log);
    const base = log.logSegments[0]!.baseOffset;
    fs.writeFileSync(path.join(log.dir, `${String(base).padStart(20, '0')}.log.cleaned`), Buffer.alloc(100, 7));
    for (const s of log.logSegments) s.log.close();
    log = open();
    expect(view(log)).toEqual(before);
    expect(fs.readdirSync(log.dir).some((n) => n.endsWith('.cleaned'))).toBe(false);
    log.close();
  });
});
