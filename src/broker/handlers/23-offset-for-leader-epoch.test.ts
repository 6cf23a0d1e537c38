import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { OffsetForLeaderEpoch } from '../../protocol/messages/23-offset-for-leader-epoch.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start();
});
afterEach(async () => {
  await b.stop();
});

interface EpochEndOffset {
  errorCode: number;
  partition: number;
  leaderEpoch: number;
  endOffset: number;
}

async function query(
  topic: string,
  partition: number,
  leaderEpoch: number,
  opts: { version?: number; currentLeaderEpoch?: number; replicaId?: number } = {},
): Promise<EpochEndOffset> {
  const r = await b.client.request<{ topics: { partitions: EpochEndOffset[] }[] }>(
    OffsetForLeaderEpoch,
    opts.version ?? 4,
    {
      replicaId: opts.replicaId ?? -1,
      topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: opts.currentLeaderEpoch ?? -1, leaderEpoch }] }],
    },
  );
  return r.topics[0]!.partitions[0]!;
}

/** Makes the partition's leader epoch `epoch` through the metadata store, as a leader election would. */
async function bumpEpoch(topic: string, epoch: number): Promise<void> {
  const p = b.server.services.metadata.topic(topic)!.partitions[0]!;
  const r = await b.server.services.metadata.updatePartitionState(
    topic,
    0,
    { leader: p.leader, leaderEpoch: epoch, isr: p.isr },
    p.partitionEpoch,
  );
  expect(r.errorCode).toBe(0);
}

describe('OffsetForLeaderEpoch', () => {
  it('answers the end offset of the current epoch: the log end offset', async () => {
    await b.createTopic('t');
    await b.produce('t', 0, 3);
    expect(await query('t', 0, 0)).toMatchObject({ errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 3 });
  });

  it('answers an older epoch with the start of the next one, for consumers and followers alike', async () => {
    await b.createTopic('t');
    await b.produce('t', 0, 3);
    await bumpEpoch('t', 2);
    await b.produce('t', 0, 2);
    expect(b.server.services.replicaManager.getPartition('t', 0)!.leaderEpoch).toBe(2);
    expect(await query('t', 0, 0)).toMatchObject({ errorCode: 0, leaderEpoch: 0, endOffset: 3 });
    expect(await query('t', 0, 1)).toMatchObject({ errorCode: 0, leaderEpoch: 0, endOffset: 3 });
    expect(await query('t', 0, 2)).toMatchObject({ errorCode: 0, leaderEpoch: 2, endOffset: 5 });
    expect(await query('t', 0, 0, { replicaId: 1 })).toMatchObject({ errorCode: 0, endOffset: 3 });
    expect(await query('t', 0, 0, { replicaId: -2, version: 3 })).toMatchObject({ errorCode: 0, endOffset: 3 });
  });

  it('answers -1 / -1 for an epoch after the latest', async () => {
    await b.createTopic('t');
    expect(await query('t', 0, 7)).toMatchObject({ errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: -1 });
  });

  it('fences an older current_leader_epoch and refuses a newer one (v2+)', async () => {
    await b.createTopic('t');
    await bumpEpoch('t', 3);
    expect((await query('t', 0, 0, { currentLeaderEpoch: 2 })).errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect((await query('t', 0, 0, { currentLeaderEpoch: 4 })).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect((await query('t', 0, 0, { currentLeaderEpoch: 3 })).errorCode).toBe(0);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for unknown topics and partitions', async () => {
    await b.createTopic('t');
    expect((await query('nope', 0, 0)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await query('t', 4, 0)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('answers NOT_LEADER_OR_FOLLOWER when this broker does not lead', async () => {
    await b.createTopic('t');
    const p = b.server.services.metadata.topic('t')!.partitions[0]!;
    await b.server.services.metadata.updatePartitionState(
      't',
      0,
      { leader: -1, leaderEpoch: 1, isr: [] },
      p.partitionEpoch,
    );
    expect((await query('t', 0, 0)).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('answers every version from v0 to v4', async () => {
    await b.createTopic('t');
    await b.produce('t', 0, 2);
    for (let v = 0; v <= 4; v++) {
      const r = await query('t', 0, 0, { version: v });
      expect(r.errorCode, `v${v}`).toBe(0);
      expect(r.endOffset, `v${v}`).toBe(2);
      expect(r.leaderEpoch, `v${v}`).toBe(v === 0 ? -1 : 0);
    }
  });
});
