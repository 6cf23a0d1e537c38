import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeTopicPartitions } from '../../protocol/messages/75-describe-topic-partitions.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { TOPIC_OPERATIONS } from '../authorized-operations.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start();
});
afterEach(async () => {
  await b.stop();
});

interface Cursor {
  topicName: string;
  partitionIndex: number;
}
interface Topic {
  errorCode: number;
  name: string;
  topicId: string;
  isInternal: boolean;
  partitions: {
    errorCode: number;
    partitionIndex: number;
    leaderId: number;
    leaderEpoch: number;
    replicaNodes: number[];
    isrNodes: number[];
    eligibleLeaderReplicas: number[] | null;
    lastKnownElr: number[] | null;
    offlineReplicas: number[];
  }[];
  topicAuthorizedOperations: number;
}
interface Response {
  topics: Topic[];
  nextCursor: Cursor | null;
}

function describeTopics(names: string[], limit = 2000, cursor: Cursor | null = null): Promise<Response> {
  return b.client.request<Response>(DescribeTopicPartitions, 0, {
    topics: names.map((name) => ({ name })),
    responsePartitionLimit: limit,
    cursor,
  });
}

/** Page through everything with the given limit, following next_cursor. */
async function pages(names: string[], limit: number): Promise<[string, number][][]> {
  const out: [string, number][][] = [];
  let cursor: Cursor | null = null;
  for (;;) {
    const r: Response = await describeTopics(names, limit, cursor);
    out.push(r.topics.flatMap((t) => t.partitions.map((p): [string, number] => [t.name, p.partitionIndex])));
    if (r.nextCursor === null) return out;
    cursor = r.nextCursor;
  }
}

describe('DescribeTopicPartitions', () => {
  it('describes named topics with ids, partitions, leaders and authorized operations', async () => {
    const id = await b.createTopic('t', 2);
    const r = await describeTopics(['t']);
    expect(r.nextCursor).toBeNull();
    expect(r.topics).toMatchObject([
      {
        errorCode: 0,
        name: 't',
        topicId: id,
        isInternal: false,
        topicAuthorizedOperations: TOPIC_OPERATIONS,
        partitions: [
          {
            errorCode: 0,
            partitionIndex: 0,
            leaderId: 0,
            leaderEpoch: 0,
            replicaNodes: [0],
            isrNodes: [0],
            offlineReplicas: [],
          },
          { partitionIndex: 1, eligibleLeaderReplicas: [], lastKnownElr: [] },
        ],
      },
    ]);
  });

  it('describes all topics, sorted, for an empty list', async () => {
    await b.createTopic('zeta');
    await b.createTopic('alpha');
    const r = await describeTopics([]);
    expect(r.topics.map((t) => t.name)).toEqual(['alpha', 'zeta']);
  });

  it('answers unknown and illegal names when named, and sorts and deduplicates them', async () => {
    await b.createTopic('b');
    const r = await describeTopics(['nope', 'b', 'b', 'bad/name']);
    expect(r.topics.map((t) => [t.name, t.errorCode, t.topicId])).toEqual([
      ['b', 0, b.server.services.metadata.topic('b')!.topicId],
      ['bad/name', ErrorCode.INVALID_TOPIC_EXCEPTION, ZERO_UUID],
      ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ZERO_UUID],
    ]);
  });

  it('pages by the response partition limit, cutting inside and between topics', async () => {
    await b.createTopic('a', 3);
    await b.createTopic('b', 2);
    await b.createTopic('c', 1);
    expect(await pages([], 2)).toEqual([
      [
        ['a', 0],
        ['a', 1],
      ],
      [
        ['a', 2],
        ['b', 0],
      ],
      [
        ['b', 1],
        ['c', 0],
      ],
    ]);
    // The limit reached exactly at a topic's end: the cursor names the next topic at 0.
    const first = await describeTopics([], 3);
    expect(first.nextCursor).toMatchObject({ topicName: 'b', partitionIndex: 0 });
    expect((await pages(['c', 'a'], 1)).flat()).toEqual([
      ['a', 0],
      ['a', 1],
      ['a', 2],
      ['c', 0],
    ]);
  });

  it('treats a limit below 1 as 1', async () => {
    await b.createTopic('a', 2);
    const r = await describeTopics([], 0);
    expect(r.topics[0]!.partitions).toHaveLength(1);
    expect(r.nextCursor).toMatchObject({ topicName: 'a', partitionIndex: 1 });
  });

  it('fails the request for a cursor outside the named topics or with a negative partition', async () => {
    await b.createTopic('a');
    const outside = await describeTopics(['a'], 10, { topicName: 'other', partitionIndex: 0 });
    expect(outside.topics).toMatchObject([{ name: 'a', errorCode: ErrorCode.INVALID_REQUEST, partitions: [] }]);
    const negative = await describeTopics([], 10, { topicName: 'a', partitionIndex: -1 });
    expect(negative.topics).toEqual([]);
    const negativeNamed = await describeTopics(['a'], 10, { topicName: 'a', partitionIndex: -1 });
    expect(negativeNamed.topics[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});
