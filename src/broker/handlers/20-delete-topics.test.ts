import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { DeleteTopics } from '../../protocol/messages/20-delete-topics.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
afterEach(async () => {
  await b.stop();
});

interface Result {
  name: string | null;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
}

async function deleteByName(names: string[], version = 5, timeoutMs = 5000): Promise<Result[]> {
  const r = await b.client.request<{ responses: Result[] }>(DeleteTopics, version, { topicNames: names, timeoutMs });
  return r.responses;
}

async function deleteV6(topics: { name: string | null; topicId: string }[], timeoutMs = 5000): Promise<Result[]> {
  const r = await b.client.request<{ responses: Result[] }>(DeleteTopics, 6, { topics, timeoutMs });
  return r.responses;
}

describe('DeleteTopics', () => {
  it('deletes a topic end to end: metadata, partitions, log dirs; a new topic of that name starts empty', async () => {
    b = await TestBroker.start();
    const oldId = await b.createTopic('orders', 2);
    expect((await b.produce('orders', 0, 5)).errorCode).toBe(0);
    expect(existsSync(`${b.dir}/orders-0`)).toBe(true);

    const [r] = await deleteByName(['orders']);
    expect(r).toMatchObject({ name: 'orders', errorCode: 0, errorMessage: null });
    expect(b.server.services.metadata.topic('orders')).toBeUndefined();
    expect(b.server.services.replicaManager.getPartition('orders', 0)).toBeUndefined();
    expect(readdirSync(b.dir).filter((f) => f.startsWith('orders-') && !f.endsWith('-delete'))).toEqual([]);
    expect((await b.metadata(['orders'])).topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    // A fetch by the old topic id no longer finds it.
    const fetched = await b.client.request<{ responses: { partitions: { errorCode: number }[] }[] }>(Fetch, 13, {
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ topicId: oldId, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    });
    expect(fetched.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);

    const newId = await b.createTopic('orders', 1);
    expect(newId).not.toBe(oldId);
    const p = b.server.services.replicaManager.getPartition('orders', 0)!;
    expect(p.log.logEndOffset).toBe(0);
    expect((await b.produce('orders', 0, 1)).baseOffset).toBe(0);

    await b.restart();
    expect(b.server.services.metadata.topic('orders')?.topicId).toBe(newId);
    expect(b.server.services.replicaManager.getPartition('orders', 0)!.log.logEndOffset).toBe(1);
  });

  it('deletes by topic id (v6) and answers the name and id', async () => {
    b = await TestBroker.start();
    const id = await b.createTopic('by-id');
    const [r] = await deleteV6([{ name: null, topicId: id }]);
    expect(r).toMatchObject({ name: 'by-id', topicId: id, errorCode: 0 });
    expect(b.server.services.metadata.topic('by-id')).toBeUndefined();
  });

  it('answers unknown names and ids', async () => {
    b = await TestBroker.start();
    const [byName] = await deleteByName(['nope']);
    expect(byName).toMatchObject({ name: 'nope', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    const [byId] = await deleteV6([{ name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }]);
    expect(byId).toMatchObject({
      name: null,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
    });
  });

  it('fails the whole v6 request when an entry has both a name and an id', async () => {
    b = await TestBroker.start();
    const id = await b.createTopic('keep');
    const rs = await deleteV6([
      { name: 'keep', topicId: ZERO_UUID },
      { name: 'keep', topicId: id },
    ]);
    expect(rs.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    expect(b.server.services.metadata.topic('keep')).toBeDefined();
  });

  it('deletes a topic named twice once and answers both entries', async () => {
    b = await TestBroker.start();
    await b.createTopic('twice');
    const rs = await deleteByName(['twice', 'twice']);
    expect(rs.map((r) => [r.name, r.errorCode])).toEqual([
      ['twice', 0],
      ['twice', 0],
    ]);
  });

  it('refuses with TOPIC_DELETION_DISABLED (v3+) or INVALID_REQUEST (v0-2) when delete.topic.enable=false', async () => {
    b = await TestBroker.start('delete.topic.enable=false\n');
    await b.createTopic('kept');
    expect((await deleteByName(['kept'], 3))[0]!.errorCode).toBe(ErrorCode.TOPIC_DELETION_DISABLED);
    expect((await deleteByName(['kept'], 1))[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await deleteByName(['kept'], 0))[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(b.server.services.metadata.topic('kept')).toBeDefined();
  });

  it('deletes but answers REQUEST_TIMED_OUT with a timeout of 0', async () => {
    b = await TestBroker.start();
    await b.createTopic('fast');
    const [r] = await deleteByName(['fast'], 4, 0);
    expect(r!.errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
    expect(b.server.services.metadata.topic('fast')).toBeUndefined();
  });

  it('answers every version from v0 to v6', async () => {
    b = await TestBroker.start();
    for (let v = 0; v <= 6; v++) {
      await b.createTopic(`t${v}`);
      const [r] = v === 6 ? await deleteV6([{ name: `t${v}`, topicId: ZERO_UUID }]) : await deleteByName([`t${v}`], v);
      expect(r!.errorCode, `v${v}`).toBe(0);
    }
    expect(b.server.services.metadata.topics()).toHaveLength(0);
  });
});
