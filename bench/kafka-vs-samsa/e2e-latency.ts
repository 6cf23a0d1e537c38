import { join } from 'node:path';
import { KAFKA_VERSION, ROOT, kafkaLibs } from './brokers.js';
import { compileJava } from '../../compat-tests/kafka-tools/tools.js';
import { javaWithCpu } from './tools.js';

export interface EndToEndLatencyResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** Records sent after the warmup. */
  readonly sent: number;
  /** Of those, the records the consumer received. */
  readonly received: number;
  /** Records sent after the warmup per second of sending: below the requested rate when it fell behind. */
  readonly achievedRate: number;
}

export interface EndToEndLatencyOptions {
  readonly ratePerSec: number;
  /** Measured seconds, after the warmup. */
  readonly seconds: number;
  /** Seconds of sending at the rate whose records are consumed but not counted. */
  readonly warmupSeconds: number;
  /** Value bytes per record (at least 8: the send time). */
  readonly recordSize: number;
}

/**
 * End-to-end latency at a fixed rate: java/EndToEndLatency.java (Kafka 3.9.2's producer and consumer in
 * one JVM, so one clock times send() to poll()), compiled against the Kafka jars into
 * .cache/bench-java/<version> (a build artefact, recompiled when the source is newer) and run with the
 * tools' heap (-Xmx512M).
 */
const SOURCE = join(ROOT, 'bench/kafka-vs-samsa/java/EndToEndLatency.java');

const CLASSES = join(ROOT, '.cache/bench-java', KAFKA_VERSION);

function compile(): string {
  compileJava(SOURCE, kafkaLibs(), CLASSES);
  return CLASSES;
}

/**
 * Produces to every partition of `topic` at `ratePerSec` for warmup + `seconds`, consuming from the
 * partitions' ends meanwhile. Rejects when a send failed or a counted record did not arrive.
 */
export async function endToEndLatency(
  port: number,
  topic: string,
  opts: EndToEndLatencyOptions,
): Promise<EndToEndLatencyResult> {
  const args = [
    `127.0.0.1:${port}`,
    topic,
    String(opts.ratePerSec),
    String(opts.seconds),
    String(opts.warmupSeconds),
    String(opts.recordSize),
  ];
  let out: string;
  try {
    out = (await javaWithCpu('EndToEndLatency', args, [compile()])).stdout;
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`EndToEndLatency failed:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
  }
  // "E2E sent=N received=N errors=N p50_ms=F p99_ms=F p999_ms=F max_ms=F achieved_rate=F"
  const m =
    /^E2E sent=(\d+) received=(\d+) errors=\d+ p50_ms=([\d.]+) p99_ms=([\d.]+) p999_ms=([\d.]+) max_ms=([\d.]+) achieved_rate=([\d.]+)$/m.exec(
      out,
    );
  if (!m) throw new Error(`unexpected EndToEndLatency output:\n${out.slice(-2000)}`);
  return {
    sent: Number(m[1]),
    received: Number(m[2]),
    p50Ms: Number(m[3]),
    p99Ms: Number(m[4]),
    p999Ms: Number(m[5]),
    maxMs: Number(m[6]),
    achievedRate: Number(m[7]),
  };
}
