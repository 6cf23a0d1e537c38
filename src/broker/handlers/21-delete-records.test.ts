import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { ListOffsets } from '../../protocol/messages/02-list-offsets.js';
import { DeleteRecords } from '../../protocol/messages/21-delete-records.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start();
});
afterEach(async () => {
  await b.stop();
});

interface PartitionResult {
  partitionIndex: number;
  lowWatermark: number;
  errorCode: number;
}

async function deleteRecords(
  topics: { name: string; partitions: { partitionIndex: number; offset: number }[] }[],
  version = 2,
): Promise<{ name: string; partitions: PartitionResult[] }[]> {
  const r = await b.client.request<{ topics: { name: string; partitions: PartitionResult[] }[] }>(
    DeleteRecords,
    version,
    { topics, timeoutMs: 5000 },
  );
  return r.topics;
}

async function deleteOne(topic: string, partitionIndex: number, offset: number, version = 2): Promise<PartitionResult> {
  return (await deleteRecords([{ name: topic, partitions: [{ partitionIndex, offset }] }], version))[0]!.partitions[0]!;
}

async function fetchError(topic: string, offset: number): Promise<{ errorCode: number; logStartOffset: number }> {
  const r = await b.client.request<{ responses: { partitions: { errorCode: number; logStartOffset: number }[] }[] }>(
    Fetch,
    11,
    {
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
    },
  );
  return r.responses[0]!.partitions[0]!;
}

async function earliest(topic: string): Promise<number> {
  const r = await b.client.request<{ topics: { partitions: { offset: number }[] }[] }>(ListOffsets, 5, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2 }] }],
  });
  return r.topics[0]!.partitions[0]!.offset;
}

describe('DeleteRecords', () => {
  it('moves the log start offset, deletes whole segments below it, and fetches below it are out of range', async () => {
    await b.createTopic('events', 1, { 'segment.bytes': '100' });
    for (let i = 0; i < 5; i++) await b.produce('events', 0, 1, 20); // one batch, one segment each
    const segmentsBefore = readdirSync(`${b.dir}/events-0`).filter((f) => f.endsWith('.log'));
    expect(segmentsBefore.length).toBeGreaterThanOrEqual(5);

    expect(await deleteOne('events', 0, 3)).toMatchObject({ partitionIndex: 0, lowWatermark: 3, errorCode: 0 });
    const segmentsAfter = readdirSync(`${b.dir}/events-0`).filter((f) => f.endsWith('.log'));
    expect(segmentsAfter).not.toContain('00000000000000000000.log');
    expect(segmentsAfter).toContain('00000000000000000003.log');

    expect((await fetchError('events', 2)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect((await fetchError('events', 3)).errorCode).toBe(0);
    expect(await earliest('events')).toBe(3);

    // A lower offset changes nothing and answers the current low watermark.
    expect(await deleteOne('events', 0, 1)).toMatchObject({ lowWatermark: 3, errorCode: 0 });
  });

  it('takes -1 as the high watermark', async () => {
    await b.createTopic('all');
    await b.produce('all', 0, 4);
    expect(await deleteOne('all', 0, -1)).toMatchObject({ partitionIndex: 0, lowWatermark: 4, errorCode: 0 });
    expect((await fetchError('all', 0)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    // The log continues from there.
    expect((await b.produce('all', 0, 1)).baseOffset).toBe(4);
  });

  it('keeps the log start offset across a restart', async () => {
    await b.createTopic('kept');
    await b.produce('kept', 0, 4);
    await deleteOne('kept', 0, 2);
    await b.restart();
    expect(await earliest('kept')).toBe(2);
  });

  it('refuses an offset above the high watermark, or below -1, with OFFSET_OUT_OF_RANGE', async () => {
    await b.createTopic('short');
    await b.produce('short', 0, 2);
    expect(await deleteOne('short', 0, 3)).toMatchObject({
      partitionIndex: 0,
      lowWatermark: -1,
      errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
    });
    expect((await deleteOne('short', 0, -2)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(await earliest('short')).toBe(0);
  });

  it('refuses unknown topics and partitions, internal topics and compacted topics', async () => {
    await b.createTopic('compacted', 1, { 'cleanup.policy': 'compact' });
    await b.createTopic('__consumer_offsets');
    await b.createTopic('mixed', 1, { 'cleanup.policy': 'compact,delete' });
    const rs = await deleteRecords([
      { name: 'nope', partitions: [{ partitionIndex: 0, offset: 0 }] },
      {
        name: 'compacted',
        partitions: [
          { partitionIndex: 0, offset: 0 },
          { partitionIndex: 5, offset: 0 },
        ],
      },
      { name: '__consumer_offsets', partitions: [{ partitionIndex: 0, offset: 0 }] },
      { name: 'mixed', partitions: [{ partitionIndex: 0, offset: 0 }] },
    ]);
    expect(rs.map((t) => [t.name, t.partitions.map((p) => p.errorCode)])).toEqual([
      ['nope', [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
      ['compacted', [ErrorCode.POLICY_VIOLATION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
      ['__consumer_offsets', [ErrorCode.INVALID_TOPIC_EXCEPTION]],
      ['mixed', [0]],
    ]);
  });

  it('answers v0 and v1', async () => {
    await b.createTopic('old');
    await b.produce('old', 0, 3);
    expect((await deleteOne('old', 0, 1, 0)).lowWatermark).toBe(1);
    expect((await deleteOne('old', 0, 2, 1)).lowWatermark).toBe(2);
  });
});
