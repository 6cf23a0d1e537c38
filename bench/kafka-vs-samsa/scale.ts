import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';
import { decodeResponse } from '../../src/protocol/frame.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';

/**
 * The scale workloads: many partitions (creation time until usable, full-Metadata latency) and many
 * idle connections held open beside a load. Both brokers are driven over the raw-protocol client.
 */

/** Metadata v12: the version current Java clients (3.x) send, so both brokers answer the usual shape. */
const METADATA_VERSION = 12;

interface MetadataTopics {
  topics: { name: string | null; errorCode: number; partitions: { errorCode: number; leaderId: number }[] }[];
}

/** The interval between Metadata polls, and between produce retries, in createPartitions. */
const POLL_MS = 20;

/** The name of topic `i` of a createPartitions run: scale-0000, scale-0001, ... */
function topicName(i: number): string {
  return `scale-${String(i).padStart(4, '0')}`;
}

/**
 * Creates `topics` topics of `partitionsPerTopic` partitions each and returns the milliseconds from
 * sending the first CreateTopics until Metadata shows every partition with a leader (leaderId >= 0)
 * and no error: Kafka's KRaft controller answers CreateTopics once the records are committed and the
 * broker creates the logs afterwards, so "created" here means "usable", the same on both brokers.
 *
 * One CreateTopics request per topic, all pipelined on one connection: Kafka 3.9's controller refuses
 * one operation of more than 10,000 metadata records (QuorumController.MAX_RECORDS_PER_USER_OP; one
 * record per partition plus the topic's, "Excessively large number of partitions per request"), so
 * 10 × 1,000 partitions cannot go in one request; one request per topic stays well under it. Metadata is polled every POLL_MS for the created topics only.
 *
 * producibleMs goes on until one record (acks=1) has been accepted by every partition: Kafka's broker
 * publishes a partition's leader to its metadata cache before its replica manager has created the log,
 * so on Kafka Metadata shows all leaders while logs are still being created (its fd count keeps rising
 * for seconds after createMs). Each partition gets exactly one record; refused ones are retried.
 */
export async function createPartitions(
  port: number,
  topics: number,
  partitionsPerTopic: number,
): Promise<{ createMs: number; producibleMs: number }> {
  const names = Array.from({ length: topics }, (_, i) => topicName(i));
  const c = await RawClient.open(port);
  try {
    const t0 = performance.now();
    const ids = names.map((name) =>
      c.send(CreateTopics, 5, {
        topics: [{ name, numPartitions: partitionsPerTopic, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 300_000,
        validateOnly: false,
      }),
    );
    for (const id of ids) {
      const frame = await c.nextFrame();
      if (frame === null) throw new Error('connection closed during CreateTopics');
      const { header, body } = decodeResponse(CreateTopics, 5, frame);
      const r = body as { topics: { name: string; errorCode: number; errorMessage: string | null }[] };
      if (header.correlationId !== id) throw new Error(`correlation id ${header.correlationId}, expected ${id}`);
      const t = r.topics[0]!;
      if (t.errorCode !== 0) throw new Error(`CreateTopics ${t.name}: error ${t.errorCode} ${t.errorMessage ?? ''}`);
    }
    const wanted = topics * partitionsPerTopic;
    for (;;) {
      const m = await c.request<MetadataTopics>(Metadata, METADATA_VERSION, {
        topics: names.map((name) => ({ name })),
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      });
      let ready = 0;
      for (const t of m.topics) {
        if (t.errorCode !== 0) continue;
        for (const p of t.partitions) if (p.errorCode === 0 && p.leaderId >= 0) ready++;
      }
      if (ready === wanted) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const createMs = performance.now() - t0;
    await produceToEveryPartition(c, names, partitionsPerTopic);
    return { createMs, producibleMs: performance.now() - t0 };
  } finally {
    c.close();
  }
}

/**
 * Sends one record to every partition of `names` (one Produce v9, acks=1, per topic) and retries the
 * partitions that answered an error (a log not created yet) until all have accepted theirs.
 */
async function produceToEveryPartition(c: RawClient, names: readonly string[], partitions: number): Promise<void> {
  const records = buildRecordBatch([{ timestamp: Date.now(), key: null, value: Buffer.from('scale') }]);
  let pending = new Map(names.map((name) => [name, Array.from({ length: partitions }, (_, i) => i)]));
  while (pending.size > 0) {
    const refused = new Map<string, number[]>();
    for (const [name, indexes] of pending) {
      const r = await c.request<ProduceResponse>(Produce, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 30_000,
        topicData: [{ name, partitionData: indexes.map((index) => ({ index, records })) }],
      });
      const again = r.responses[0]!.partitionResponses.filter((p) => p.errorCode !== 0).map((p) => p.index);
      if (again.length > 0) refused.set(name, again);
    }
    pending = refused;
    if (pending.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

interface ProduceResponse {
  responses: { partitionResponses: { index: number; errorCode: number }[] }[];
}

/**
 * Full Metadata (topics: null, i.e. all topics, v12) over one connection: one warmup request, then
 * `samples` sequential requests, each timed from sending until its whole response frame has arrived
 * (decoding is not timed). p99 is nearest-rank, so with few samples it is the slowest one.
 * responseBytes is the response frame's size, its 4-byte size prefix included.
 */
export async function metadataLatency(
  port: number,
  samples: number,
): Promise<{ medianMs: number; p99Ms: number; responseBytes: number }> {
  const c = await RawClient.open(port);
  try {
    const body = { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };
    const once = async (): Promise<{ ms: number; bytes: number }> => {
      const t0 = performance.now();
      const id = c.send(Metadata, METADATA_VERSION, body);
      const frame = await c.nextFrame();
      const ms = performance.now() - t0;
      if (frame === null) throw new Error('connection closed during Metadata');
      const { header } = decodeResponse(Metadata, METADATA_VERSION, frame);
      if (header.correlationId !== id) throw new Error(`correlation id ${header.correlationId}, expected ${id}`);
      return { ms, bytes: 4 + frame.length };
    };
    let { bytes } = await once();
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const s = await once();
      times.push(s.ms);
      bytes = s.bytes;
    }
    times.sort((a, b) => a - b);
    const rank = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
    return { medianMs: rank(0.5), p99Ms: rank(0.99), responseBytes: bytes };
  } finally {
    c.close();
  }
}

/** Connections opened at once by openIdleConnections, so the opening is no SYN flood. */
const OPEN_CONCURRENCY = 32;

/**
 * Opens `count` connections, each sending one ApiVersions v3 and waiting for its answer (so the
 * broker holds a real session for it, not only an accepted socket), then leaving it idle. Opened
 * OPEN_CONCURRENCY at a time. close() ends them all. Both brokers close a connection idle for
 * connections.max.idle.ms (10 minutes by default), so the held set lasts that long.
 */
export async function openIdleConnections(port: number, count: number): Promise<{ close(): void }> {
  const clients: RawClient[] = [];
  const close = () => {
    for (const c of clients) c.close();
  };
  let next = 0;
  const opener = async () => {
    while (next < count) {
      next++;
      const c = await RawClient.open(port);
      clients.push(c);
      const r = await c.request<{ errorCode: number }>(ApiVersions, 3, {
        clientSoftwareName: 'samsa-bench',
        clientSoftwareVersion: '1',
      });
      if (r.errorCode !== 0) throw new Error(`ApiVersions: error ${r.errorCode}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, count) }, opener));
  } catch (err) {
    close();
    throw err;
  }
  if (clients.some((c) => c.closed)) {
    close();
    throw new Error('the broker closed an idle connection while they were being opened');
  }
  return { close };
}
