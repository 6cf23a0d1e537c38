import { createServer, type Server, type Socket } from 'node:net';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { decodeRequest, encodeResponse } from '../../src/protocol/frame.js';
import type { ApiDeclaration, RequestOf } from '../../src/protocol/schema/api.js';

/**
 * A null sink: the smallest thing a producer takes for a broker, to measure the client alone (issue
 * 9's "the client alone against a null sink"). It speaks just enough of the protocol for Kafka's
 * producer — ApiVersions, Metadata (each topic with `partitions(topic)` partitions led by this node),
 * InitProducerId, Produce — and throws every record away: a Produce is acknowledged as soon as it is
 * decoded, offsets counting batches. What a producer reaches against it is the client's own ceiling on
 * this machine (plus this one event loop's decoding), the most any broker could let it do.
 *
 * It is a measuring instrument, never a stand-in for a broker in a test.
 */
const SERVED: readonly (readonly [ApiDeclaration, number, number])[] = [
  [Produce, 3, 9],
  [Metadata, 0, 12],
  [ApiVersions, 0, 3],
  [InitProducerId, 0, 4],
];

/** Every topic's id (22 base64url characters, as Kafka prints a Uuid): the sink keeps no topics. */
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

export interface NullSink {
  readonly port: number;
  close(): Promise<void>;
}

export function startNullSink(partitions: (topic: string) => number): Promise<NullSink> {
  const offsets = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serve(socket, partitions, offsets);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        port,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

/** Reads size-prefixed frames from `socket` and answers each in order. */
function serve(socket: Socket, partitions: (topic: string) => number, offsets: Map<string, number>): void {
  socket.setNoDelay(true);
  // Chunks are kept as they arrive and joined once a whole frame is in: a 512 KiB produce request
  // that comes in 64 KiB reads is copied once, not once per read.
  let chunks: Buffer[] = [];
  let buffered = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    for (;;) {
      if (buffered < 4) return;
      if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks)];
      const size = chunks[0]!.readInt32BE(0);
      if (buffered < 4 + size) return;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      const frame = all.subarray(4, 4 + size);
      const rest = all.subarray(4 + size);
      chunks = rest.length > 0 ? [rest] : [];
      buffered = rest.length;
      const reply = answer(frame, socket.localPort ?? 0, partitions, offsets);
      if (reply) socket.write(reply);
    }
  });
  socket.on('error', () => socket.destroy());
}

function answer(
  frame: Buffer,
  port: number,
  partitions: (topic: string) => number,
  offsets: Map<string, number>,
): Buffer | null {
  const { decl, header, body } = decodeRequest(frame);
  const version = header.requestApiVersion;
  const reply = (response: unknown) =>
    encodeResponse(decl, version, { correlationId: header.correlationId }, response).bytes;
  switch (decl) {
    case ApiVersions:
      return reply({
        errorCode: 0,
        apiKeys: SERVED.map(([d, min, max]) => ({ apiKey: d.apiKey, minVersion: min, maxVersion: max })),
        throttleTimeMs: 0,
      });
    case Metadata: {
      const request = body as RequestOf<typeof Metadata>;
      return reply({
        throttleTimeMs: 0,
        brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
        clusterId: 'null-sink',
        controllerId: 0,
        topics: (request.topics ?? []).map((t) => ({
          errorCode: 0,
          name: t.name,
          topicId: TOPIC_ID,
          isInternal: false,
          partitions: Array.from({ length: partitions(t.name ?? '') }, (_, i) => ({
            errorCode: 0,
            partitionIndex: i,
            leaderId: 0,
            leaderEpoch: 0,
            replicaNodes: [0],
            isrNodes: [0],
            offlineReplicas: [],
          })),
        })),
      });
    }
    case InitProducerId:
      return reply({ throttleTimeMs: 0, errorCode: 0, producerId: 1, producerEpoch: 0 });
    case Produce: {
      const request = body as RequestOf<typeof Produce>;
      if (request.acks === 0) return null;
      return reply({
        throttleTimeMs: 0,
        responses: request.topicData.map((t) => ({
          name: t.name,
          partitionResponses: t.partitionData.map((p) => {
            const key = `${t.name}-${p.index}`;
            const baseOffset = offsets.get(key) ?? 0;
            offsets.set(key, baseOffset + 1);
            return {
              index: p.index,
              errorCode: 0,
              baseOffset,
              logAppendTimeMs: -1,
              logStartOffset: 0,
              recordErrors: [],
            };
          }),
        })),
      });
    }
    default:
      throw new Error(`null sink: ${decl.name} is not served`);
  }
}
