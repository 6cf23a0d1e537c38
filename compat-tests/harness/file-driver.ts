// The core produce/consume scenario for clients driven out of process (Python clients, kcat). Each such
// driver implements the same commands; records travel through JSON-lines files in a temp dir.
//
//   create_topic {topic, partitions, config?}            -> {ok}
//   produce {topic, dataset, combos}                      -> {offsets: {partition: [offset per record]}}
//                                                           (acks=0 records report -1 or nothing)
//   offsets {topic, partitions, spec: 'earliest'|'latest'|timestamp} -> {partition: offset|null}
//   consume {topic, ranges: {partition: [from, until]}, out} -> {count}; records in `out`
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { COMBOS, CORE_PARTITIONS, CORE_RECORDS, comboName } from './matrix.js';
import {
  baseTimestampNow,
  byPartition,
  generateDataset,
  parseConsumedLines,
  settle,
  verifyPartition,
  writeDatasetFile,
  type ConsumedRecord,
  type Profile,
  type TestRecord,
  type VerifyOptions,
} from './records.js';

export type Driver = <T = Record<string, unknown>>(cmd: string, args: Record<string, unknown>) => Promise<T>;

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'samsa-compat-data-'));
  path(name: string): string {
    return join(this.dir, name);
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function offsets(
  d: Driver,
  topic: string,
  partitions: number[],
  spec: 'earliest' | 'latest' | number,
): Promise<Map<number, number | null>> {
  const r = await d<Record<string, number | null>>('offsets', { topic, partitions, spec });
  return new Map(partitions.map((p) => [p, r[String(p)] ?? null]));
}

export async function consume(
  d: Driver,
  scratch: Scratch,
  topic: string,
  ranges: Map<number, [number, number]>,
): Promise<Map<number, ConsumedRecord[]>> {
  const out = scratch.path(`consumed-${topic}.jsonl`);
  await d('consume', { topic, ranges: Object.fromEntries(ranges), out });
  const got = new Map<number, ConsumedRecord[]>([...ranges.keys()].map((p) => [p, []]));
  for (const r of parseConsumedLines(readFileSync(out, 'utf8'))) got.get(r.partition)?.push(r);
  return got;
}

export interface CoreOptions {
  topic: string;
  seed: number;
  profile?: Profile;
  /** How the client's records are expected back (e.g. kcat stamps its own timestamps). */
  verify?: (produced: { start: number; end: number }) => VerifyOptions;
  /** Client-specific mapping of a produced record to what is expected back. */
  expect?: (r: TestRecord) => TestRecord;
}

/**
 * Produces CORE_RECORDS records over the 15 codec × acks partitions and reads them back with an assigned
 * consumer; asserts per-record offsets from the producer (acks 1/all), end offsets and every record.
 * Returns the dataset for later scenarios (ListOffsets by timestamp).
 */
export async function coreScenario(
  d: Driver,
  scratch: Scratch,
  o: CoreOptions,
): Promise<{ dataset: TestRecord[]; got: Map<number, ConsumedRecord[]> }> {
  const dataset = generateDataset({
    seed: o.seed,
    count: CORE_RECORDS,
    partitions: CORE_PARTITIONS,
    baseTimestamp: baseTimestampNow(),
    profile: o.profile ?? 'binary',
  });
  const parts = byPartition(dataset, CORE_PARTITIONS);
  const file = scratch.path(`dataset-${o.topic}.jsonl`);
  writeDatasetFile(file, dataset);
  expect(await d('create_topic', { topic: o.topic, partitions: CORE_PARTITIONS })).toMatchObject({ ok: true });

  const start = Date.now();
  const produced = await d<{ offsets: Record<string, number[]> }>('produce', {
    topic: o.topic,
    dataset: file,
    combos: COMBOS,
  });
  const end = Date.now();
  for (const c of COMBOS) {
    if (c.acks === 0) continue;
    const n = parts[c.partition]?.length ?? 0;
    expect(produced.offsets[String(c.partition)], comboName(c)).toEqual(Array.from({ length: n }, (_, i) => i));
  }

  // acks=0 has no completion signal: wait (bounded) for the end offsets to reach the record counts.
  const all = COMBOS.map((c) => c.partition);
  const ends = await settle(
    () => offsets(d, o.topic, all, 'latest'),
    (m) => all.every((p) => (m.get(p) ?? 0) >= (parts[p]?.length ?? 0)),
  );
  for (const c of COMBOS) expect(ends.get(c.partition), comboName(c)).toBe(parts[c.partition]?.length);

  const got = await consume(d, scratch, o.topic, new Map(all.map((p) => [p, [0, ends.get(p) ?? 0]])));
  const vopts = o.verify ? o.verify({ start, end }) : { timestamps: 'exact' as const };
  const problems = COMBOS.flatMap((c) =>
    verifyPartition(
      c.partition,
      (parts[c.partition] ?? []).map(o.expect ?? ((r) => r)),
      got.get(c.partition) ?? [],
      vopts,
    ).map((p) => `${comboName(c)} ${p}`),
  );
  expect(problems).toEqual([]);
  return { dataset, got };
}

/** ListOffsets by timestamp against the core topic: the first offset whose record timestamp is >= t. */
export function expectedOffsetsForTime(got: Map<number, ConsumedRecord[]>, t: number): Map<number, number | null> {
  return new Map([...got].map(([p, rs]) => [p, rs.find((r) => r.timestamp >= t)?.offset ?? null]));
}
