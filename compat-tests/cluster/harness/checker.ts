// The chaos checker: what the producers were told was acknowledged against what a consumer reads back
// from the beginning of every partition (the lines of java/ChaosClient.java).
//
// - acknowledged: distinct (producer, seq) with an ack.
// - lost: acknowledged, but not in the log.
// - duplicated: extra copies of a (producer, seq) in the log (acknowledged or not).
// - reordered: records of one producer in one partition whose seq is not above that producer's previous
//   one in that partition (a producer sends partition p the seqs p, p+n, p+2n, ... in that order).
// - moved: acknowledged at an offset other than where the record is (the ack named a place that a
//   truncation later gave to another record).
// - gaps: missing offsets between a partition's first and last record.
// - unacknowledged: records in the log that the producer was never told about or was told failed
//   (allowed: a timed-out request may still have been written).
export interface CheckResult {
  readonly acknowledged: number;
  readonly failed: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly moved: number;
  readonly gaps: number;
  readonly unacknowledged: number;
  readonly consumed: number;
  /** A few examples of each problem, for the failure message. */
  readonly examples: string[];
}

interface Rec {
  readonly partition: number;
  readonly offset: number;
}

export function check(producerOutput: string, consumerOutput: string): CheckResult {
  const acked = new Map<string, Rec>();
  const failed = new Set<string>();
  for (const line of producerOutput.split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'ack') acked.set(`${f[1]}:${f[2]}`, { partition: Number(f[3]), offset: Number(f[4]) });
    else if (f[0] === 'fail') failed.add(`${f[1]}:${f[2]}`);
  }
  const seen = new Map<string, Rec[]>();
  const byPartition = new Map<number, { offset: number; producer: string; seq: number }[]>();
  let consumed = 0;
  for (const line of consumerOutput.split('\n')) {
    const f = line.split(' ');
    if (f[0] !== 'rec') continue;
    consumed++;
    const partition = Number(f[1]);
    const offset = Number(f[2]);
    const value = f.slice(3).join(' ');
    const [producer = '', seq = ''] = value.split(':');
    const list = seen.get(value) ?? [];
    list.push({ partition, offset });
    seen.set(value, list);
    const records = byPartition.get(partition) ?? [];
    records.push({ offset, producer, seq: Number(seq) });
    byPartition.set(partition, records);
  }
  const examples: string[] = [];
  const example = (s: string) => void (examples.length < 20 && examples.push(s));
  let lost = 0;
  let moved = 0;
  for (const [key, at] of acked) {
    const found = seen.get(key);
    if (found === undefined) {
      lost++;
      example(`lost ${key} (acked at ${at.partition}@${at.offset})`);
    } else if (!found.some((r) => r.partition === at.partition && r.offset === at.offset)) {
      moved++;
      example(
        `moved ${key}: acked at ${at.partition}@${at.offset}, found at ${found.map((r) => `${r.partition}@${r.offset}`).join(',')}`,
      );
    }
  }
  let duplicated = 0;
  let unacknowledged = 0;
  for (const [key, found] of seen) {
    if (found.length > 1) {
      duplicated += found.length - 1;
      example(`duplicated ${key} at ${found.map((r) => `${r.partition}@${r.offset}`).join(',')}`);
    }
    if (!acked.has(key)) unacknowledged++;
  }
  let reordered = 0;
  let gaps = 0;
  for (const [partition, records] of byPartition) {
    records.sort((a, b) => a.offset - b.offset);
    const last = new Map<string, number>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (i > 0 && r.offset !== records[i - 1]!.offset + 1) {
        gaps += r.offset - records[i - 1]!.offset - 1;
        example(`gap in partition ${partition} before offset ${r.offset}`);
      }
      const prev = last.get(r.producer);
      if (prev !== undefined && r.seq < prev) {
        reordered++;
        example(
          `reordered in partition ${partition}: producer ${r.producer} seq ${r.seq} at ${r.offset} after ${prev}`,
        );
      }
      last.set(r.producer, Math.max(prev ?? -1, r.seq));
    }
  }
  return {
    acknowledged: acked.size,
    failed: [...failed].filter((k) => !acked.has(k)).length,
    lost,
    duplicated,
    reordered,
    moved,
    gaps,
    unacknowledged,
    consumed,
    examples,
  };
}

export function summary(r: CheckResult): string {
  return (
    `acknowledged ${r.acknowledged}, lost ${r.lost}, duplicated ${r.duplicated}, reordered ${r.reordered}, ` +
    `moved ${r.moved}, gaps ${r.gaps}, unacknowledged-but-present ${r.unacknowledged}, failed ${r.failed}, ` +
    `consumed ${r.consumed}`
  );
}
