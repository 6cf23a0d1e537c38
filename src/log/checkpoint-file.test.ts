import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OffsetCheckpointFile, parseTopicPartitionName, topicPartitionName } from './checkpoint-file.js';
import { LeaderEpochFileCache } from './leader-epoch-cache.js';
import { LogError } from './log-error.js';
import { makeTmpDir, removeTmpDir } from './testing/test-batches.js';

let dir: string;
beforeEach(() => {
  dir = makeTmpDir();
});
afterEach(() => removeTmpDir(dir));

describe('OffsetCheckpointFile', () => {
  it("writes Kafka's text format atomically and reads it back", async () => {
    const p = path.join(dir, 'recovery-point-offset-checkpoint');
    const file = new OffsetCheckpointFile(p);
    expect(file.read().size).toBe(0);
    file.write([
      { topic: 'orders', partition: 0, offset: 42 },
      { topic: 'my.topic-x', partition: 12, offset: 7 },
    ]);
    expect(fs.readFileSync(p, 'utf8')).toBe('0\n2\norders 0 42\nmy.topic-x 12 7\n');
    expect(fs.existsSync(`${p}.tmp`)).toBe(false);
    expect([...file.read()]).toEqual([
      ['orders-0', 42],
      ['my.topic-x-12', 7],
    ]);
    await file.writeAsync([{ topic: 't', partition: 1, offset: 3 }]);
    expect(fs.readFileSync(p, 'utf8')).toBe('0\n1\nt 1 3\n');
  });

  it('rejects malformed files with KAFKA_STORAGE_ERROR', () => {
    const p = path.join(dir, 'cp');
    for (const text of ['1\n0\n', '0\n2\nt 0 1\n', '0\n1\nt x 1\n', '']) {
      fs.writeFileSync(p, text);
      expect(() => new OffsetCheckpointFile(p).read()).toThrow(LogError);
    }
  });

  it('names partition directories as Kafka does', () => {
    expect(topicPartitionName('a-b', 3)).toBe('a-b-3');
    expect(parseTopicPartitionName('a-b-3')).toEqual({ topic: 'a-b', partition: 3 });
    expect(parseTopicPartitionName('a-b-3.abc-delete')).toBeNull();
    expect(parseTopicPartitionName('nodash')).toBeNull();
  });
});

describe('LeaderEpochFileCache', () => {
  it('assigns epochs, persists them in leader-epoch-checkpoint and reloads', () => {
    const cache = new LeaderEpochFileCache(dir);
    expect(cache.latestEpoch).toBe(-1);
    cache.assign(1, 0);
    cache.assign(1, 5);
    cache.assign(3, 10);
    expect(cache.entries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 10 },
    ]);
    expect(fs.readFileSync(path.join(dir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n2\n1 0\n3 10\n');
    expect(new LeaderEpochFileCache(dir).entries).toEqual(cache.entries);
    cache.assign(2, 8);
    expect(cache.entries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 8 },
    ]);
  });

  it("answers endOffsetFor as Kafka's OffsetForLeaderEpoch", () => {
    const cache = new LeaderEpochFileCache(dir);
    cache.assign(2, 10);
    cache.assign(4, 20);
    cache.assign(7, 35);
    expect(cache.endOffsetFor(7, 50)).toEqual({ leaderEpoch: 7, endOffset: 50 });
    expect(cache.endOffsetFor(4, 50)).toEqual({ leaderEpoch: 4, endOffset: 35 });
    expect(cache.endOffsetFor(5, 50)).toEqual({ leaderEpoch: 4, endOffset: 35 });
    expect(cache.endOffsetFor(1, 50)).toEqual({ leaderEpoch: 1, endOffset: 10 });
    expect(cache.endOffsetFor(8, 50)).toEqual({ leaderEpoch: -1, endOffset: -1 });
    expect(cache.endOffsetFor(-1, 50)).toEqual({ leaderEpoch: -1, endOffset: -1 });
    expect(cache.epochForOffset(25)).toBe(4);
    expect(cache.epochForOffset(5)).toBe(-1);
  });

  it('truncates from the end and from the start', () => {
    const cache = new LeaderEpochFileCache(dir);
    cache.assign(1, 0);
    cache.assign(2, 10);
    cache.assign(3, 20);
    cache.truncateFromEnd(20);
    expect(cache.latestEpoch).toBe(2);
    cache.truncateFromStart(15);
    expect(cache.entries).toEqual([{ epoch: 2, startOffset: 15 }]);
    cache.clearAndFlush();
    expect(new LeaderEpochFileCache(dir).entries).toEqual([]);
  });
});
