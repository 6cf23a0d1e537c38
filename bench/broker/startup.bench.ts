import { readFileSync } from 'node:fs';
import { BrokerProcess } from '../../src/broker/testing/broker-process.js';
import { RawClient } from '../../src/broker/testing/raw-client.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder.js';

/**
 * The standalone broker as a process (`bin/samsa.js server-start`, built dist/; run `npm run build`
 * and `node scripts/bundle.mjs` first: bin/samsa.js runs dist/bundle/ when it is current, else
 * dist/cli/): time from spawn to accepting TCP connections on an empty data dir, the CPU time the
 * process had used by then (user + system from /proc/<pid>/stat; unlike wall time it barely moves
 * when the machine is busy), the broker's own "started in" figure, idle RSS, and RSS while 100
 * clients produce. Set SAMSA_BENCH_ENTRY=source to run the sources through tsx instead. Numbers vary
 * with the machine; compare within one run.
 */
const ROUNDS = 7;
const CLIENTS = 100;
const PRODUCE_MS = 10_000;

const mib = (b: number) => (b / 1048576).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const entry = process.env.SAMSA_BENCH_ENTRY === 'source' ? 'source' : 'dist';

export async function brokerStartupBenchmarks(): Promise<string> {
  const spawnToListen: number[] = [];
  const cpuAtListen: number[] = [];
  const inProcess: number[] = [];
  const idleRss: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const b = await BrokerProcess.start({ entry });
    spawnToListen.push(b.startMs);
    cpuAtListen.push(cpuMs(b.pid));
    const m = /started in (\d+) ms/.exec(b.log);
    if (m) inProcess.push(Number(m[1]));
    await new Promise((r) => setTimeout(r, 2000));
    idleRss.push(b.rssBytes());
    await b.stop();
  }
  const rows = [
    '| measurement | median | min–max |',
    '|---|---:|---:|',
    `| spawn → accepting connections (empty data dir) | ${median(spawnToListen).toFixed(0)} ms | ${Math.min(...spawnToListen).toFixed(0)}–${Math.max(...spawnToListen).toFixed(0)} ms |`,
    `| CPU time used by then (user + system) | ${median(cpuAtListen)} ms | ${Math.min(...cpuAtListen)}–${Math.max(...cpuAtListen)} ms |`,
    `| KafkaServer.start ("started in", in-process) | ${median(inProcess)} ms | ${Math.min(...inProcess)}–${Math.max(...inProcess)} ms |`,
    `| idle RSS, 2 s after start | ${mib(median(idleRss))} MiB | ${mib(Math.min(...idleRss))}–${mib(Math.max(...idleRss))} MiB |`,
  ];
  return `${rows.join('\n')}\n\n${await produceRss()}`;
}

/** User + system CPU time of a process so far, from fields 14 and 15 of /proc/<pid>/stat (clock ticks, 100/s). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** 100 connections, each producing 16 KiB batches (acks=1) back to back to its own partition. */
async function produceRss(): Promise<string> {
  const b = await BrokerProcess.start({ entry, properties: `num.partitions=${CLIENTS}` });
  const idle = b.rssBytes();
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => RawClient.open(b.port)));
  await clients[0]!.request(Metadata, 9, { topics: [{ name: 'bench' }], allowAutoTopicCreation: true });
  const records = buildRecordBatch(
    Array.from({ length: 16 }, (_, i) => ({ timestamp: Date.now(), key: null, value: Buffer.alloc(1000, i) })),
  );
  let batches = 0;
  let running = true;
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(b.rssBytes()), 100);
  const t0 = performance.now();
  setTimeout(() => (running = false), PRODUCE_MS);
  await Promise.all(
    clients.map(async (c, index) => {
      while (running) {
        await c.request(Produce, 9, {
          acks: 1,
          timeoutMs: 30_000,
          topicData: [{ name: 'bench', partitionData: [{ index, records }] }],
        });
        batches++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  for (const c of clients) c.close();
  await b.stop();
  const mbps = (batches * records.length) / secs / 1e6;
  return [
    `| ${CLIENTS} clients producing (${PRODUCE_MS / 1000} s, 16 × 1 KB records per request, acks=1) | value |`,
    '|---|---:|',
    `| RSS before the clients connect | ${mib(idle)} MiB |`,
    `| RSS while producing, median | ${mib(median(samples))} MiB |`,
    `| RSS while producing, peak | ${mib(Math.max(...samples))} MiB |`,
    `| produce throughput | ${(batches / secs).toFixed(0)} requests/s, ${mbps.toFixed(1)} MB/s |`,
  ].join('\n');
}
