import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '../../src/protocol/frame.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ZERO_UUID } from '../../src/protocol/primitives/uuid.js';

/**
 * A consumer that does not decode records: Fetch v12 (topic names, no session) for every partition
 * from offset 0, one request in flight like a Kafka consumer, each response's batches walked only far
 * enough to find the next offset (base offset + last offset delta of the last whole batch). It reads
 * `topic` to the high watermark of every partition and reports record bytes per second. What it
 * measures is the broker's fetch path with the client's cost near zero: the counterpart of the perf
 * tool, whose JVM decodes and checks every record.
 */
export async function rawConsume(
  port: number,
  topic: string,
  partitions: number,
  partitionMaxBytes = 1 << 20,
): Promise<{ bytes: number; seconds: number }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  socket.setNoDelay(true);
  const frames = frameReader(socket);
  const offsets = new Array<number>(partitions).fill(0);
  const done = new Array<boolean>(partitions).fill(false);
  let bytes = 0;
  let correlationId = 0;
  const started = performance.now();
  try {
    while (done.includes(false)) {
      const body = {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 50 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic,
            topicId: ZERO_UUID,
            partitions: offsets
              .map((fetchOffset, partition) => ({ partition, fetchOffset }))
              .filter((p) => !done[p.partition])
              .map((p) => ({
                ...p,
                partitionMaxBytes,
                currentLeaderEpoch: -1,
                logStartOffset: -1,
                lastFetchedEpoch: -1,
              })),
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      };
      socket.write(encodeRequest(Fetch, 12, { correlationId: ++correlationId, clientId: 'raw-consumer' }, body));
      const { body: response } = decodeResponse(Fetch, 12, await frames());
      const r = response as {
        responses: {
          partitions: { partitionIndex: number; errorCode: number; highWatermark: number; records: Buffer | null }[];
        }[];
      };
      for (const p of r.responses.flatMap((t) => t.partitions)) {
        if (p.errorCode !== 0) throw new Error(`fetch error ${p.errorCode} on partition ${p.partitionIndex}`);
        const records = p.records ?? Buffer.alloc(0);
        let pos = 0;
        while (pos + 61 <= records.length) {
          const size = records.readInt32BE(pos + 8);
          if (pos + 12 + size > records.length) break; // a partial batch at the end
          offsets[p.partitionIndex] = Number(records.readBigInt64BE(pos)) + records.readInt32BE(pos + 23) + 1;
          bytes += 12 + size;
          pos += 12 + size;
        }
        if (offsets[p.partitionIndex]! >= p.highWatermark) done[p.partitionIndex] = true;
      }
    }
  } finally {
    socket.destroy();
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

/** Whole response frames (size prefix removed), chunks joined once per frame. */
function frameReader(socket: Socket): () => Promise<Buffer> {
  const chunks: Buffer[] = [];
  let buffered = 0;
  let want = -1;
  let waiter: ((frame: Buffer) => void) | null = null;
  let failure: Error | null = null;
  const ready: Buffer[] = [];
  socket.on('data', (c: Buffer) => {
    chunks.push(c);
    buffered += c.length;
    for (;;) {
      if (want < 0 && buffered >= 4) {
        const head = chunks[0]!.length >= 4 ? chunks[0]! : Buffer.concat(chunks);
        want = head.readInt32BE(0);
      }
      if (want < 0 || buffered < 4 + want) break;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      ready.push(all.subarray(4, 4 + want));
      const rest = all.subarray(4 + want);
      chunks.length = 0;
      if (rest.length > 0) chunks.push(rest);
      buffered = rest.length;
      want = -1;
    }
    if (waiter !== null && ready.length > 0) {
      const w = waiter;
      waiter = null;
      w(ready.shift()!);
    }
  });
  socket.on('close', () => (failure = new Error('broker closed the connection')));
  return () =>
    new Promise<Buffer>((resolve, reject) => {
      if (ready.length > 0) resolve(ready.shift()!);
      else if (failure !== null) reject(failure);
      else waiter = resolve;
    });
}
