import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../src/protocol/frame.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { measure, type Measurement } from '../harness.js';

/**
 * Encode and decode throughput of the two hot APIs. Records are opaque here (a 16 KiB batch per
 * partition), so these numbers are the cost of the protocol structure around the data; MB/s counts the
 * whole frame.
 */
const records = Buffer.alloc(16 * 1024, 7);

const produceBody = {
  transactionalId: null,
  acks: -1,
  timeoutMs: 30_000,
  topicData: [{ name: 'bench', partitionData: Array.from({ length: 8 }, (_, index) => ({ index, records })) }],
};

const fetchRequestBody = {
  replicaId: -1,
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 52_428_800,
  isolationLevel: 0,
  sessionId: 0,
  sessionEpoch: -1,
  topics: [
    {
      topic: 'bench',
      topicId: 'vLC3ueHfQ6qZCvzMvBBWUw',
      partitions: Array.from({ length: 100 }, (_, partition) => ({
        partition,
        currentLeaderEpoch: 0,
        fetchOffset: 1_000_000 + partition,
        logStartOffset: -1,
        partitionMaxBytes: 1_048_576,
      })),
    },
  ],
  forgottenTopicsData: [],
  rackId: '',
};

const fetchResponseBody = {
  throttleTimeMs: 0,
  errorCode: 0,
  sessionId: 0,
  responses: [
    {
      topic: 'bench',
      topicId: 'vLC3ueHfQ6qZCvzMvBBWUw',
      partitions: Array.from({ length: 8 }, (_, partitionIndex) => ({
        partitionIndex,
        errorCode: 0,
        highWatermark: 5_000_000,
        lastStableOffset: 5_000_000,
        logStartOffset: 0,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records,
      })),
    },
  ],
};

export function codecBenchmarks(): Measurement[] {
  const out: Measurement[] = [];
  const header = { correlationId: 1, clientId: 'bench' };
  for (const version of [7, 9, 11]) {
    const frame = encodeRequest(Produce, version, header, produceBody);
    out.push(
      measure(`Produce v${version} request encode (8 × 16 KiB)`, frame.length, () =>
        encodeRequest(Produce, version, header, produceBody),
      ),
    );
    const body = frame.subarray(4);
    out.push(measure(`Produce v${version} request decode (8 × 16 KiB)`, frame.length, () => decodeRequest(body)));
  }
  for (const version of [11, 13]) {
    const frame = encodeRequest(Fetch, version, header, fetchRequestBody);
    const body = frame.subarray(4);
    out.push(measure(`Fetch v${version} request decode (100 partitions)`, frame.length, () => decodeRequest(body)));
    const response = encodeResponse(Fetch, version, header, fetchResponseBody).bytes;
    out.push(
      measure(`Fetch v${version} response encode (8 × 16 KiB)`, response.length, () =>
        encodeResponse(Fetch, version, header, fetchResponseBody),
      ),
    );
    const rbody = response.subarray(4);
    out.push(
      measure(`Fetch v${version} response decode (8 × 16 KiB)`, response.length, () =>
        decodeResponse(Fetch, version, rbody),
      ),
    );
  }
  return out;
}
