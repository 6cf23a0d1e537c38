/**
 * The one thing the coordinator reads from the opaque member metadata of a group whose protocol type
 * is "consumer": the subscribed topics (Kafka's ConsumerProtocolSubscription), used by OffsetDelete
 * (GROUP_SUBSCRIBED_TO_TOPIC) and offset expiration.
 *
 * Layout, big-endian: version int16, then topics as int32 count + int16-length strings, then (v0+)
 * user data bytes, (v1+) owned partitions, (v2+) generation id, (v3+) rack id. Newer versions only
 * append fields, so any version >= 0 starts with the topics.
 */
import { Reader } from '../../protocol/primitives/reader.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The subscribed topics, or null when the metadata is not a readable subscription. */
export function subscribedTopics(metadata: Buffer): string[] | null {
  try {
    const r = new Reader(metadata);
    if (r.readInt16() < 0) return null;
    const n = r.readInt32();
    if (n < 0 || n > metadata.length) return null;
    const topics: string[] = [];
    for (let i = 0; i < n; i++) topics.push(r.readString());
    return topics;
  } catch {
    return null;
  }
}
