import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeLogDirs } from '../../protocol/messages/35-describe-log-dirs.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
let extraDirs: string[] = [];
afterEach(async () => {
  await b.stop();
  for (const d of extraDirs) rmSync(d, { recursive: true, force: true });
  extraDirs = [];
});

interface Partition {
  partitionIndex: number;
  partitionSize: number;
  offsetLag: number;
  isFutureKey: boolean;
}
interface DirResult {
  errorCode: number;
  logDir: string;
  topics: { name: string; partitions: Partition[] }[];
  totalBytes: number;
  usableBytes: number;
}

async function describeLogDirs(
  topics: { topic: string; partitions: number[] }[] | null,
  version = 4,
): Promise<{ errorCode: number; results: DirResult[] }> {
  return b.client.request(DescribeLogDirs, version, { topics });
}

describe('DescribeLogDirs', () => {
  it('lists every partition of the log dir with its size, and the dir’s total and usable bytes (v4)', async () => {
    b = await TestBroker.start();
    await b.createTopic('a', 2);
    await b.createTopic('b');
    await b.produce('a', 1, 3, 100);
    const r = await describeLogDirs(null);
    expect(r.errorCode).toBe(0);
    expect(r.results).toHaveLength(1);
    const dir = r.results[0]!;
    expect(dir).toMatchObject({ errorCode: 0, logDir: b.dir });
    expect(dir.totalBytes).toBeGreaterThan(0);
    expect(dir.usableBytes).toBeGreaterThan(0);
    expect(dir.usableBytes).toBeLessThanOrEqual(dir.totalBytes);
    const a = dir.topics.find((t) => t.name === 'a')!;
    const sizes = Object.fromEntries(a.partitions.map((p) => [p.partitionIndex, p.partitionSize]));
    expect(sizes[0]).toBe(0);
    expect(sizes[1]).toBe(b.server.services.replicaManager.getPartition('a', 1)!.log.size);
    expect(sizes[1]).toBeGreaterThan(300);
    expect(a.partitions.every((p) => p.offsetLag === 0 && !p.isFutureKey)).toBe(true);
    expect(dir.topics.map((t) => t.name).sort()).toEqual(['a', 'b']);
  });

  it('reports only the partitions asked for, leaving out topics with none', async () => {
    b = await TestBroker.start();
    await b.createTopic('a', 2);
    await b.createTopic('b');
    const r = await describeLogDirs([
      { topic: 'a', partitions: [1, 7] },
      { topic: 'nope', partitions: [0] },
    ]);
    expect(r.results[0]!.topics).toMatchObject([{ name: 'a', partitions: [{ partitionIndex: 1 }] }]);
    expect((await describeLogDirs([])).results[0]!.topics).toEqual([]);
  });

  it('answers one result per log dir, with the partitions placed there', async () => {
    extraDirs = [mkdtempSync(join(tmpdir(), 'samsa-admin-1-')), mkdtempSync(join(tmpdir(), 'samsa-admin-2-'))];
    b = await TestBroker.start(`log.dirs=${extraDirs.join(',')}\n`);
    await b.createTopic('spread', 2);
    const r = await describeLogDirs(null);
    expect(r.results.map((d) => d.logDir)).toEqual(extraDirs);
    const counts = r.results.map((d) => d.topics.flatMap((t) => t.partitions).length);
    expect(counts).toEqual([1, 1]);
  });

  it('answers every version from v0 to v4; v3+ carry the top-level error code', async () => {
    b = await TestBroker.start();
    await b.createTopic('a');
    for (let v = 0; v <= 4; v++) {
      const r = await describeLogDirs(null, v);
      expect(r.results[0]!.topics, `v${v}`).toHaveLength(1);
    }
  });
});
