/**
 * Which partition of `__consumer_offsets` holds a group: `Utils.abs(groupId.hashCode) % partitions`,
 * exactly as Kafka computes it, so a group stays on the same partition (and a cluster can place its
 * coordinator on that partition's leader) whichever broker implementation wrote it.
 *
 * Java's String.hashCode is `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units in int32
 * arithmetic; Kafka's Utils.abs maps Integer.MIN_VALUE to 0 rather than leaving it negative.
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

export function partitionFor(groupId: string, numPartitions: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % numPartitions;
}
