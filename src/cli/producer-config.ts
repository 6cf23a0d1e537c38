import { COMPRESSION_NAMES, CompressionType } from '../protocol/records/index.js';
import { UsageError } from './args.js';
import { DEFAULT_PRODUCER_OPTIONS, type ProducerOptions } from '../client/producer.js';

/**
 * Producer options from Kafka's producer property names (acks, compression.type, batch.size, linger.ms,
 * retries, retry.backoff.ms, max.in.flight.requests.per.connection, buffer.memory); anything else is
 * ignored, as the Java producer ignores unknown properties with a warning.
 */
export function producerOptions(props: ReadonlyMap<string, string>, base = DEFAULT_PRODUCER_OPTIONS): ProducerOptions {
  const int = (key: string, fallback: number, min: number): number => {
    const raw = props.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isSafeInteger(n) || n < min) {
      throw new UsageError(`invalid value "${raw}" for ${key} (an integer of at least ${min})`);
    }
    return n;
  };
  return {
    acks: parseAcks(props.get('acks') ?? String(base.acks)),
    compression: parseCompression(props.get('compression.type') ?? COMPRESSION_NAMES[base.compression]!),
    batchSize: int('batch.size', base.batchSize, 0),
    lingerMs: int('linger.ms', base.lingerMs, 0),
    retries: int('retries', base.retries, 0),
    retryBackoffMs: int('retry.backoff.ms', base.retryBackoffMs, 0),
    maxInFlight: int('max.in.flight.requests.per.connection', base.maxInFlight, 1),
    bufferMemory: int('buffer.memory', base.bufferMemory, 1),
  };
}

/** acks: "all" or -1, 0, 1. */
export function parseAcks(raw: string): number {
  const v = raw.trim().toLowerCase();
  if (v === 'all' || v === '-1') return -1;
  if (v === '0' || v === '1') return Number(v);
  throw new UsageError(`invalid acks "${raw}" (expected all, -1, 0 or 1)`);
}

export function parseCompression(raw: string): CompressionType {
  const id = COMPRESSION_NAMES.indexOf(raw.trim().toLowerCase());
  if (id < 0) throw new UsageError(`unknown compression codec "${raw}" (expected ${COMPRESSION_NAMES.join(', ')})`);
  return id as CompressionType;
}
