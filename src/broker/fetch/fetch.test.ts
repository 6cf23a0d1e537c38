import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { CompressionType, buildRecordBatch, firstMagic, readLegacyRecords } from '../../protocol/records/index.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { RawClient } from '../testing/raw-client.js';

// Fetch against a whole in-process broker over real sockets: sessions, isolation, conversion, waiting.
let dir: string;
let server: KafkaServer;
let client: RawClient;

async function start(extra = ''): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'samsa-fetch-'));
  const config = BrokerConfig.parse(`broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n${extra}`);
  server = await KafkaServer.start(config, new Logger('test'));
  client = await RawClient.open(server.boundPorts[0]!);
}

afterEach(async () => {
  client.close();
  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

async function createTopic(name: string, partitions = 1, configs: Record<string, string> = {}): Promise<string> {
  const [r] = await server.services.metadata.createTopics([
    {
      name,
      numPartitions: partitions,
      replicationFactor: 1,
      assignments: [],
      configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })),
    },
  ]);
  expect(r!.errorCode).toBe(0);
  return r!.topic!.topicId;
}

const batch = (n: number, compression: CompressionType = CompressionType.NONE) =>
  buildRecordBatch(
    Array.from({ length: n }, (_, i) => ({
      timestamp: 1_700_000_000_000 + i,
      key: Buffer.from(`k${i}`),
      value: Buffer.from(`v${i}`),
    })),
    { compression },
  );

async function produce(topic: string, partition: number, records: Buffer, c = client): Promise<number> {
  const r = await c.request<{ responses: { partitionResponses: { errorCode: number; baseOffset: number }[] }[] }>(
    Produce,
    9,
    { acks: -1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] },
  );
  expect(r.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
  return r.responses[0]!.partitionResponses[0]!.baseOffset;
}

interface PartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: unknown[] | null;
  preferredReadReplica: number;
  records: Buffer;
}
interface FetchResponse {
  errorCode: number;
  sessionId: number;
  responses: { topic: string; topicId: string; partitions: PartitionResponse[] }[];
}

interface FetchArgs {
  version?: number;
  sessionId?: number;
  sessionEpoch?: number;
  topics?: {
    topic: string;
    topicId?: string;
    partitions: { partition: number; fetchOffset: number; currentLeaderEpoch?: number }[];
  }[];
  forgotten?: { topic: string; topicId?: string; partitions: number[] }[];
  maxWaitMs?: number;
  minBytes?: number;
  isolationLevel?: number;
  replicaId?: number;
}

function fetchBody(a: FetchArgs) {
  return {
    replicaId: a.replicaId ?? -1,
    replicaState: { replicaId: a.replicaId ?? -1, replicaEpoch: -1 },
    maxWaitMs: a.maxWaitMs ?? 0,
    minBytes: a.minBytes ?? 1,
    maxBytes: 1 << 20,
    isolationLevel: a.isolationLevel ?? 0,
    sessionId: a.sessionId ?? 0,
    sessionEpoch: a.sessionEpoch ?? -1,
    topics: (a.topics ?? []).map((t) => ({
      topic: t.topic,
      topicId: t.topicId ?? ZERO_UUID,
      partitions: t.partitions.map((p) => ({ partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, ...p })),
    })),
    forgottenTopicsData: (a.forgotten ?? []).map((f) => ({ topicId: ZERO_UUID, ...f })),
    rackId: '',
  };
}

const fetch = (a: FetchArgs, c = client) => c.request<FetchResponse>(Fetch, a.version ?? 12, fetchBody(a));
const named = (r: FetchResponse) =>
  r.responses.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p.partitionIndex}`));

describe('fetch sessions (KIP-227)', () => {
  it('a full fetch opens a session; incremental fetches name only changed partitions', async () => {
    await start();
    await createTopic('s', 2);
    await produce('s', 0, batch(2));
    const all = [{ topic: 's', partitions: [0, 1].map((p) => ({ partition: p, fetchOffset: 0 })) }];
    const full = await fetch({ sessionId: 0, sessionEpoch: 0, topics: all });
    expect(full.errorCode).toBe(0);
    expect(full.sessionId).toBeGreaterThan(0);
    expect(named(full)).toEqual(['s-0', 's-1']);
    const id = full.sessionId;

    // Nothing new: both partitions are read, neither is named (offsets advance only when the client says).
    const idle = await fetch({
      sessionId: id,
      sessionEpoch: 1,
      topics: [{ topic: 's', partitions: [{ partition: 0, fetchOffset: 2 }] }],
    });
    expect(idle).toMatchObject({ errorCode: 0, sessionId: id });
    expect(named(idle)).toEqual([]);

    await produce('s', 1, batch(3));
    const changed = await fetch({ sessionId: id, sessionEpoch: 2 });
    expect(named(changed)).toEqual(['s-1']);
    expect(changed.responses[0]!.partitions[0]!.highWatermark).toBe(3);
    expect(changed.responses[0]!.partitions[0]!.records.length).toBeGreaterThan(0);

    // Forget partition 1: data there is no longer answered.
    const forgot = await fetch({ sessionId: id, sessionEpoch: 3, forgotten: [{ topic: 's', partitions: [1] }] });
    expect(named(forgot)).toEqual([]);
    await produce('s', 1, batch(1));
    await produce('s', 0, batch(1));
    expect(named(await fetch({ sessionId: id, sessionEpoch: 4 }))).toEqual(['s-0']);
  });

  it('answers unknown sessions and wrong epochs with top-level errors and no partitions', async () => {
    await start();
    await createTopic('e');
    const unknown = await fetch({ sessionId: 12345, sessionEpoch: 1 });
    expect(unknown).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] });
    const full = await fetch({
      sessionEpoch: 0,
      topics: [{ topic: 'e', partitions: [{ partition: 0, fetchOffset: 0 }] }],
    });
    const wrong = await fetch({ sessionId: full.sessionId, sessionEpoch: 7 });
    expect(wrong).toMatchObject({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: 0, responses: [] });
    // The session survives a wrong epoch.
    expect((await fetch({ sessionId: full.sessionId, sessionEpoch: 1 })).errorCode).toBe(0);
  });

  it('epoch -1 closes the named session and opens none; forgetting everything closes it too', async () => {
    await start();
    await createTopic('c');
    const parts = [{ topic: 'c', partitions: [{ partition: 0, fetchOffset: 0 }] }];
    const a = await fetch({ sessionEpoch: 0, topics: parts });
    const closed = await fetch({ sessionId: a.sessionId, sessionEpoch: -1, topics: parts });
    expect(closed.sessionId).toBe(0);
    expect(named(closed)).toEqual(['c-0']);
    expect((await fetch({ sessionId: a.sessionId, sessionEpoch: 1 })).errorCode).toBe(
      ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    );
    const b = await fetch({ sessionEpoch: 0, topics: parts });
    const emptied = await fetch({
      sessionId: b.sessionId,
      sessionEpoch: 1,
      forgotten: [{ topic: 'c', partitions: [0] }],
    });
    expect(emptied.sessionId).toBe(0);
    expect((await fetch({ sessionId: b.sessionId, sessionEpoch: 2 })).errorCode).toBe(
      ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    );
  });

  it('topic-id sessions (v13): unknown ids answer UNKNOWN_TOPIC_ID last; v12 may not continue them', async () => {
    await start();
    const topicId = await createTopic('ids');
    await produce('ids', 0, batch(1));
    const full = await fetch({
      version: 13,
      sessionEpoch: 0,
      topics: [
        { topic: '', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partition: 0, fetchOffset: 0 }] },
        { topic: '', topicId, partitions: [{ partition: 0, fetchOffset: 0 }] },
      ],
    });
    expect(full.sessionId).toBeGreaterThan(0);
    expect(full.responses.map((t) => [t.topicId, t.partitions[0]!.errorCode])).toEqual([
      [topicId, 0],
      ['AAAAAAAAAAAAAAAAAAAAAQ', ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    const mixed = await fetch({ version: 12, sessionId: full.sessionId, sessionEpoch: 1 });
    expect(mixed).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR, responses: [] });
    const inc = await fetch({
      version: 13,
      sessionId: full.sessionId,
      sessionEpoch: 1,
      topics: [{ topic: '', topicId, partitions: [{ partition: 0, fetchOffset: 1 }] }],
    });
    // The unknown id is still an error, so it is named again; the known partition has not changed.
    expect(inc.responses.map((t) => t.topicId)).toEqual(['AAAAAAAAAAAAAAAAAAAAAQ']);
  });

  it('opens no session when max.incremental.fetch.session.cache.slots=0', async () => {
    await start('max.incremental.fetch.session.cache.slots=0\n');
    await createTopic('n');
    const r = await fetch({
      sessionEpoch: 0,
      topics: [{ topic: 'n', partitions: [{ partition: 0, fetchOffset: 0 }] }],
    });
    expect(r).toMatchObject({ errorCode: 0, sessionId: 0 });
    expect(named(r)).toEqual(['n-0']);
  });
});

describe('fetch answers', () => {
  const one = (topic: string, fetchOffset = 0) => [{ topic, partitions: [{ partition: 0, fetchOffset }] }];
  const first = (r: FetchResponse) => r.responses[0]!.partitions[0]!;

  it('read_committed: stops at the last stable offset (the HW) with an empty aborted list; read_uncommitted: null', async () => {
    await start();
    await createTopic('iso');
    await produce('iso', 0, batch(3));
    const committed = first(await fetch({ version: 11, isolationLevel: 1, topics: one('iso') }));
    expect(committed).toMatchObject({ errorCode: 0, highWatermark: 3, lastStableOffset: 3, abortedTransactions: [] });
    expect(committed.preferredReadReplica).toBe(-1);
    const uncommitted = first(await fetch({ version: 11, isolationLevel: 0, topics: one('iso') }));
    expect(uncommitted).toMatchObject({ lastStableOffset: 3, abortedTransactions: null });
    expect(uncommitted.records.length).toBe(committed.records.length);
    // An error answers null, with -1 offsets (Kafka's createLogReadResult).
    expect(first(await fetch({ version: 11, isolationLevel: 1, topics: one('iso', 99) }))).toMatchObject({
      errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
      highWatermark: -1,
      logStartOffset: -1,
      abortedTransactions: null,
    });
  });

  it('answers UNSUPPORTED_COMPRESSION_TYPE to Fetch below v10 on a zstd topic', async () => {
    await start();
    await createTopic('z', 1, { 'compression.type': 'zstd' });
    await produce('z', 0, batch(2));
    for (const version of [4, 9])
      expect(first(await fetch({ version, topics: one('z') }))).toMatchObject({
        errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
        highWatermark: -1,
        records: Buffer.alloc(0),
      });
    expect(first(await fetch({ version: 10, topics: one('z') })).errorCode).toBe(0);
    expect(first(await fetch({ version: 1, topics: one('z') })).errorCode).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('down-converts for v0-3: magic 0 for v0-1, magic 1 for v2-3, dropping records before the fetch offset', async () => {
    await start();
    await createTopic('old');
    await produce('old', 0, batch(4));
    const cases: [number, number][] = [
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
    ];
    for (const [version, magic] of cases) {
      const p = first(await fetch({ version, topics: one('old', 1) }));
      expect(p.errorCode).toBe(0);
      expect(firstMagic(p.records)).toBe(magic);
      const { records } = readLegacyRecords(p.records);
      expect(records.map((r) => [r.offset, r.value?.toString()])).toEqual([
        [1, 'v1'],
        [2, 'v2'],
        [3, 'v3'],
      ]);
    }
  });

  it('keeps compressed batches whole when down-converting, and refuses zstd batches', async () => {
    await start();
    await createTopic('gz');
    await produce('gz', 0, batch(3, CompressionType.GZIP));
    const p = first(await fetch({ version: 2, topics: one('gz', 1) }));
    expect(readLegacyRecords(p.records).records.map((r) => r.offset)).toEqual([0, 1, 2]);
    await createTopic('zb');
    await produce('zb', 0, batch(2, CompressionType.ZSTD));
    expect(first(await fetch({ version: 3, topics: one('zb') })).errorCode).toBe(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    );
  });

  it('message.downconversion.enable=false: UNSUPPORTED_VERSION for a v0-3 consumer, not for a follower', async () => {
    await start();
    await createTopic('nodc', 1, { 'message.downconversion.enable': 'false' });
    await produce('nodc', 0, batch(2));
    expect(first(await fetch({ version: 3, topics: one('nodc') })).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const follower = first(await fetch({ version: 3, replicaId: 0, topics: one('nodc') }));
    expect(follower.errorCode).toBe(0);
    expect(firstMagic(follower.records)).toBe(1);
    expect(first(await fetch({ version: 4, topics: one('nodc') })).errorCode).toBe(0);
  });

  it('replica fetches: a broker outside the replica set is refused; a replica reads to the log end', async () => {
    await start();
    await createTopic('rep');
    await produce('rep', 0, batch(2));
    expect(first(await fetch({ version: 11, replicaId: 7, topics: one('rep') })).errorCode).toBe(
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
    );
    const epoch = [{ topic: 'rep', partitions: [{ partition: 0, fetchOffset: 0, currentLeaderEpoch: 0 }] }];
    expect(first(await fetch({ version: 11, replicaId: 7, topics: epoch })).errorCode).toBe(
      ErrorCode.UNKNOWN_LEADER_EPOCH,
    );
    const r = first(await fetch({ version: 12, replicaId: 0, topics: one('rep') }));
    expect(r).toMatchObject({ errorCode: 0, highWatermark: 2 });
    expect(r.records.length).toBeGreaterThan(0);
    // v15 names the replica in the tagged replica state.
    const topicId = server.services.metadata.topic('rep')!.topicId;
    const v15 = first(
      await fetch({
        version: 15,
        replicaId: 7,
        topics: [{ topic: '', topicId, partitions: [{ partition: 0, fetchOffset: 0 }] }],
      }),
    );
    expect(v15.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('checks the leader epoch before leadership: stale is FENCED_LEADER_EPOCH, future UNKNOWN_LEADER_EPOCH', async () => {
    await start();
    await createTopic('ep');
    const at = (currentLeaderEpoch: number) => [
      { topic: 'ep', partitions: [{ partition: 0, fetchOffset: 0, currentLeaderEpoch }] },
    ];
    expect(first(await fetch({ topics: at(5) })).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect(first(await fetch({ topics: at(0) })).errorCode).toBe(0);
  });
});

describe('delayed fetch', () => {
  const wait = (topic: string, fetchOffset: number, minBytes: number) =>
    fetch({
      version: 12,
      maxWaitMs: 30_000,
      minBytes,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset }] }],
    });

  it('waits until the bytes past the fetch position reach min_bytes', async () => {
    await start();
    await createTopic('d');
    const purgatory = server.services.replicaManager.fetchPurgatory;
    const producer = await RawClient.open(server.boundPorts[0]!);
    const size = batch(1).length;
    const pending = wait('d', 0, size * 2 + 1);
    await until(() => purgatory.size === 1);
    await produce('d', 0, batch(1), producer);
    await produce('d', 0, batch(1), producer);
    // The produce responses come after the append and its synchronous wake-up: still short.
    expect(purgatory.size).toBe(1);
    await produce('d', 0, batch(1), producer);
    const r = await pending;
    expect(purgatory.size).toBe(0);
    expect(r.responses[0]!.partitions[0]!.highWatermark).toBe(3);
    producer.close();
  });

  it('completes at once when the log rolls a segment past the fetch position', async () => {
    await start();
    // Room for the first batch, not for a second.
    await createTopic('roll', 1, { 'segment.bytes': String(batch(20).length + 10) });
    const producer = await RawClient.open(server.boundPorts[0]!);
    await produce('roll', 0, batch(20), producer); // nearly fills the first segment
    expect(server.services.replicaManager.getPartition('roll', 0)!.log.numberOfSegments).toBe(1);
    const pending = wait('roll', 20, 1 << 20);
    await until(() => server.services.replicaManager.fetchPurgatory.size === 1);
    await produce('roll', 0, batch(1), producer); // lands in a new segment
    expect(server.services.replicaManager.getPartition('roll', 0)!.log.numberOfSegments).toBe(2);
    const r = await pending;
    expect(r.responses[0]!.partitions[0]!.highWatermark).toBe(21);
    producer.close();
  });

  it('completes at once when the topic is deleted, answering UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await start();
    await createTopic('gone');
    const pending = wait('gone', 0, 1);
    await until(() => server.services.replicaManager.fetchPurgatory.size === 1);
    await server.services.metadata.deleteTopics([{ name: 'gone' }]);
    const r = await pending;
    expect(r.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}
