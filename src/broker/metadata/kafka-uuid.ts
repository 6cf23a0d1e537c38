/**
 * Random Kafka UUIDs for topic ids and the cluster id, as Kafka's `Uuid.randomUuid()` makes them: a
 * version-4 random UUID printed as 22 characters of unpadded base64url (the form of
 * src/protocol/primitives/uuid.ts). Like Kafka we never hand out the reserved ids (the zero UUID, which
 * means "no id" on the wire, and `Uuid.ONE_UUID`, the id of `__cluster_metadata`), nor one whose text
 * starts with '-', which command-line tools would read as an option.
 */
import { randomUUID } from 'node:crypto';
import { ZERO_UUID, uuidFromBytes } from '../../protocol/primitives/uuid.js';

/** Kafka's `Uuid.ONE_UUID` / `METADATA_TOPIC_ID`. */
export const ONE_UUID = 'AAAAAAAAAAAAAAAAAAAAAQ';

export function randomKafkaUuid(source: () => Buffer = randomUuidBytes): string {
  for (;;) {
    const id = uuidFromBytes(source());
    if (id !== ZERO_UUID && id !== ONE_UUID && !id.startsWith('-')) return id;
  }
}

function randomUuidBytes(): Buffer {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex');
}
