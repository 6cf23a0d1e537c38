import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { CreatePartitions } from '../../protocol/messages/37-create-partitions.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start();
});
afterEach(async () => {
  await b.stop();
});

interface Result {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

async function grow(
  topics: { name: string; count: number; assignments?: { brokerIds: number[] }[] | null }[],
  opts: { validateOnly?: boolean; timeoutMs?: number; version?: number } = {},
): Promise<Result[]> {
  const r = await b.client.request<{ results: Result[] }>(CreatePartitions, opts.version ?? 3, {
    topics: topics.map((t) => ({ ...t, assignments: t.assignments ?? null })),
    timeoutMs: opts.timeoutMs ?? 5000,
    validateOnly: opts.validateOnly ?? false,
  });
  return r.results;
}

const count = (topic: string) => b.server.services.metadata.topic(topic)!.partitions.length;

describe('CreatePartitions', () => {
  it('adds partitions, which get logs and take produces at once, and survive a restart', async () => {
    await b.createTopic('t');
    expect(await grow([{ name: 't', count: 3 }])).toMatchObject([{ name: 't', errorCode: 0, errorMessage: null }]);
    expect(count('t')).toBe(3);
    expect(b.server.services.replicaManager.getPartition('t', 2)).toBeDefined();
    expect((await b.produce('t', 2, 1)).errorCode).toBe(0);
    expect((await b.metadata(['t'])).topics[0]!.partitions).toHaveLength(3);
    await b.restart();
    expect(count('t')).toBe(3);
    expect(b.server.services.replicaManager.getPartition('t', 2)!.log.logEndOffset).toBe(1);
  });

  it('takes explicit assignments for the new partitions', async () => {
    await b.createTopic('t');
    expect((await grow([{ name: 't', count: 2, assignments: [{ brokerIds: [0] }] }]))[0]!.errorCode).toBe(0);
    expect(b.server.services.metadata.topic('t')!.partitions[1]!.replicas).toEqual([0]);
  });

  it('validate_only changes nothing', async () => {
    await b.createTopic('t');
    expect((await grow([{ name: 't', count: 5 }], { validateOnly: true }))[0]!.errorCode).toBe(0);
    expect(count('t')).toBe(1);
  });

  it('refuses counts that do not grow the topic with INVALID_PARTITIONS', async () => {
    await b.createTopic('t', 2);
    const [lower] = await grow([{ name: 't', count: 1 }]);
    const [same] = await grow([{ name: 't', count: 2 }]);
    expect(lower).toMatchObject({
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: 'Topic currently has 2 partitions, which is higher than the requested 1.',
    });
    expect(same).toMatchObject({
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: 'Topic already has 2 partitions.',
    });
  });

  it('refuses bad assignments with INVALID_REPLICA_ASSIGNMENT', async () => {
    await b.createTopic('t');
    const cases: [{ brokerIds: number[] }[], string][] = [
      [[{ brokerIds: [9] }], 'Unknown broker(s) in replica assignment: 9.'],
      [
        [{ brokerIds: [0] }, { brokerIds: [0] }],
        'Increasing the number of partitions by 1 but 2 assignments provided.',
      ],
      [[{ brokerIds: [] }], 'Cannot have replication factor of 0 for partition id 1.'],
      [[{ brokerIds: [0, 0] }], 'Duplicate brokers not allowed in replica assignment: 0, 0 for partition id 1.'],
    ];
    for (const [assignments, message] of cases) {
      const [r] = await grow([{ name: 't', count: 2, assignments }]);
      expect(r).toMatchObject({ errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: message });
    }
    expect(count('t')).toBe(1);
  });

  it('refuses unknown topics, and a topic named twice (answered once)', async () => {
    await b.createTopic('t');
    const rs = await grow([
      { name: 'nope', count: 2 },
      { name: 't', count: 2 },
      { name: 't', count: 3 },
    ]);
    expect(rs).toMatchObject([
      {
        name: 'nope',
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: "The topic 'nope' does not exist.",
      },
      { name: 't', errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' },
    ]);
    expect(rs).toHaveLength(2);
    expect(count('t')).toBe(1);
  });

  it('grows but answers REQUEST_TIMED_OUT with a timeout of 0', async () => {
    await b.createTopic('t');
    expect((await grow([{ name: 't', count: 2 }], { timeoutMs: 0 }))[0]!.errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
    expect(count('t')).toBe(2);
  });

  it('answers every version from v0 to v3', async () => {
    await b.createTopic('t');
    for (let v = 0; v <= 3; v++) {
      expect((await grow([{ name: 't', count: v + 2 }], { version: v }))[0]!.errorCode, `v${v}`).toBe(0);
    }
    expect(count('t')).toBe(5);
  });
});
