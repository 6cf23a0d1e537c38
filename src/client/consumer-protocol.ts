/**
 * The "consumer" protocol type's embedded formats (Kafka's ConsumerProtocolSubscription and
 * ConsumerProtocolAssignment), which JoinGroup and SyncGroup carry as opaque bytes. Both open with
 * version:int16; later versions only append fields, so a reader of v0 reads any version's prefix:
 *
 *   Subscription v0: topics:[string] | userData:bytes (int32 length, -1 null)
 *   Assignment   v0: assignedPartitions:[topic:string | partitions:[int32]] | userData:bytes
 *
 * Strings are int16-length UTF-8; arrays int32-counted.
 */
export interface Assignment {
  readonly topic: string;
  readonly partitions: number[];
}

class ByteWriter {
  private readonly parts: Buffer[] = [];
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  string(): string {
    const n = this.int16();
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

export function encodeSubscription(topics: readonly string[]): Buffer {
  const w = new ByteWriter().int16(0).int32(topics.length);
  for (const t of topics) w.string(t);
  return w.int32(-1).done();
}

export function decodeSubscription(bytes: Buffer): string[] {
  if (bytes.length < 6) return [];
  const r = new ByteReader(bytes);
  r.int16();
  const n = r.int32();
  return Array.from({ length: n }, () => r.string());
}

export function encodeAssignment(assignments: readonly Assignment[]): Buffer {
  const w = new ByteWriter().int16(0).int32(assignments.length);
  for (const a of assignments) {
    w.string(a.topic).int32(a.partitions.length);
    for (const p of a.partitions) w.int32(p);
  }
  return w.int32(-1).done();
}

/** An empty buffer (a member not yet assigned) decodes as no partitions. */
export function decodeAssignment(bytes: Buffer): Assignment[] {
  if (bytes.length < 6) return [];
  const r = new ByteReader(bytes);
  r.int16();
  const n = r.int32();
  return Array.from({ length: n }, () => {
    const topic = r.string();
    const count = r.int32();
    return { topic, partitions: Array.from({ length: count }, () => r.int32()) };
  });
}

/**
 * Kafka's RangeAssignor: per topic, the subscribed members sorted by id each take a contiguous range;
 * the first (partitions % members) take one extra.
 */
export function rangeAssign(
  members: readonly { memberId: string; topics: readonly string[] }[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Assignment[]> {
  const out = new Map<string, Assignment[]>(members.map((m) => [m.memberId, []]));
  for (const [topic, count] of [...partitionCounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const subscribed = members
      .filter((m) => m.topics.includes(topic))
      .map((m) => m.memberId)
      .sort();
    if (subscribed.length === 0) continue;
    const per = Math.floor(count / subscribed.length);
    const extra = count % subscribed.length;
    subscribed.forEach((memberId, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      if (length > 0) out.get(memberId)!.push({ topic, partitions: Array.from({ length }, (_, k) => start + k) });
    });
  }
  return out;
}
