import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filenamePrefixFromOffset } from './log-segment.js';
import {
  CLEAN_SHUTDOWN_FILE,
  DEFAULT_LOG_MANAGER_CONFIG,
  LogManager,
  type LogManagerOptions,
  readMetaProperties,
  writeMetaProperties,
} from './log-manager.js';
import type { Time } from './partition-log.js';
import { ManualTime, MemoryLogger, makeTmpDir, removeTmpDir, testBatch, testConfig } from './testing/test-batches.js';

let root: string;
let dirs: string[];
let logger: MemoryLogger;
beforeEach(() => {
  root = makeTmpDir();
  dirs = [path.join(root, 'd1'), path.join(root, 'd2')];
  logger = new MemoryLogger();
});
afterEach(() => removeTmpDir(root));

function open(opts: Partial<LogManagerOptions> = {}): LogManager {
  return LogManager.open(
    { ...DEFAULT_LOG_MANAGER_CONFIG, logDirs: dirs },
    { time: new ManualTime(), logger, topicConfig: () => testConfig({ segmentBytes: 2000 }), ...opts },
  );
}

function fill(manager: LogManager, topic: string, partitions: number, batches: number): void {
  for (let p = 0; p < partitions; p++) {
    const log = manager.getOrCreateLog(topic, p);
    for (let i = 0; i < batches; i++) log.appendAsLeader(testBatch({ count: 2, valueSize: 40 }), 0);
    log.updateHighWatermark(log.logEndOffset);
  }
}

describe('LogManager', () => {
  it('spreads new partitions over the log dirs with the fewest partitions', () => {
    const m = open();
    fill(m, 'a', 3, 1);
    fill(m, 'b', 1, 1);
    expect(m.logDirOf('a', 0)).toBe(dirs[0]);
    expect(m.logDirOf('a', 1)).toBe(dirs[1]);
    expect(m.logDirOf('a', 2)).toBe(dirs[0]);
    expect(m.logDirOf('b', 0)).toBe(dirs[1]);
    expect(fs.existsSync(path.join(dirs[1]!, 'a-1', `${filenamePrefixFromOffset(0)}.log`))).toBe(true);
    expect(m.getOrCreateLog('a', 1)).toBe(m.getLog('a', 1));
  });

  it('shuts down cleanly: checkpoints and marker written, and the next load trusts them', async () => {
    const m = open();
    fill(m, 'orders', 2, 30);
    m.getLog('orders', 0)!.deleteRecordsBefore(10);
    await m.shutdown();
    for (const d of dirs) {
      expect(fs.existsSync(path.join(d, CLEAN_SHUTDOWN_FILE))).toBe(true);
      expect(fs.readFileSync(path.join(d, 'cleaner-offset-checkpoint'), 'utf8')).toBe('0\n0\n');
    }
    expect(fs.readFileSync(path.join(dirs[0]!, 'recovery-point-offset-checkpoint'), 'utf8')).toBe(
      '0\n1\norders 0 60\n',
    );
    expect(fs.readFileSync(path.join(dirs[0]!, 'replication-offset-checkpoint'), 'utf8')).toBe('0\n1\norders 0 60\n');
    expect(fs.readFileSync(path.join(dirs[0]!, 'log-start-offset-checkpoint'), 'utf8')).toBe('0\n1\norders 0 10\n');
    const again = open();
    for (const d of dirs) expect(fs.existsSync(path.join(d, CLEAN_SHUTDOWN_FILE))).toBe(false);
    const log = again.getLog('orders', 0)!;
    expect([log.logStartOffset, log.highWatermark, log.recoveryPoint, log.logEndOffset]).toEqual([10, 60, 60, 60]);
    expect(again.getLog('orders', 1)!.logEndOffset).toBe(60);
    await again.shutdown();
  });

  it('recovers after a crash and prints progress when recovery takes more than a few seconds', async () => {
    const m = open();
    fill(m, 'orders', 4, 30);
    await m.checkpointRecoveryPoints();
    for (const log of m.allLogs()) for (const s of log.logSegments) s.log.close();
    let now = 0;
    const slowClock: Time = { milliseconds: () => (now += 700) };
    const again = open({ time: slowClock });
    for (let p = 0; p < 4; p++) expect(again.getLog('orders', p)!.logEndOffset).toBe(60);
    const progress = logger.lines.filter((l) => l.startsWith('INFO Recovering logs'));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatch(/4 of 4 partitions done, [\d.]+ MB validated at [\d.]+ MB\/s/);
    await again.shutdown();
  });

  it('keeps a partition with mid-log corruption offline and loads the others', async () => {
    const m = open();
    fill(m, 'orders', 2, 30);
    const bad = m.getLog('orders', 0)!;
    const file = bad.logSegments[0]!.log.path;
    for (const log of m.allLogs()) for (const s of log.logSegments) s.log.close();
    const bytes = fs.readFileSync(file);
    bytes[300]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const again = open();
    expect(again.getLog('orders', 0)).toBeUndefined();
    expect(again.offlineLogs.get('orders-0')).toMatchObject({ code: 'CORRUPT_MESSAGE', file });
    expect(logger.lines.some((l) => l.startsWith('ERROR Partition orders-0') && l.includes(file))).toBe(true);
    expect(again.getLog('orders', 1)!.logEndOffset).toBe(60);
    expect(() => again.getOrCreateLog('orders', 0)).toThrow(expect.objectContaining({ code: 'KAFKA_STORAGE_ERROR' }));
    await again.shutdown();
    expect(fs.existsSync(path.join(dirs[0]!, CLEAN_SHUTDOWN_FILE))).toBe(false);
  });

  it('deletes a partition by renaming its directory to -delete first', async () => {
    const m = open();
    fill(m, 'gone', 1, 3);
    m.deleteLog('gone', 0);
    expect(m.getLog('gone', 0)).toBeUndefined();
    expect(fs.existsSync(path.join(dirs[0]!, 'gone-0'))).toBe(false);
    await m.shutdown();
    fs.mkdirSync(path.join(dirs[0]!, 'gone-0.0123abcd-delete'), { recursive: true });
    const again = open();
    expect(fs.readdirSync(dirs[0]!).filter((n) => n.startsWith('gone-0'))).toEqual([]);
    expect(again.getLog('gone', 0)).toBeUndefined();
    await again.shutdown();
  });

  it('flushes logs whose flush.ms elapsed', async () => {
    const time = new ManualTime();
    const m = open({ time, topicConfig: () => testConfig({ flushMs: 1000 }) });
    fill(m, 'f', 1, 2);
    const log = m.getLog('f', 0)!;
    await m.flushDirtyLogs();
    expect(log.recoveryPoint).toBe(0);
    time.sleep(1000);
    await m.flushDirtyLogs();
    expect(log.recoveryPoint).toBe(4);
    await m.shutdown();
  });

  it('reads and writes meta.properties', () => {
    expect(readMetaProperties(dirs[0]!)).toBeNull();
    writeMetaProperties(
      dirs[0]!,
      new Map([
        ['version', '0'],
        ['broker.id', '1'],
        ['cluster.id', 'abc'],
      ]),
    );
    expect([...readMetaProperties(dirs[0]!)!]).toEqual([
      ['version', '0'],
      ['broker.id', '1'],
      ['cluster.id', 'abc'],
    ]);
  });
});
