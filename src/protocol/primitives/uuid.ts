/**
 * A Kafka UUID (16 bytes on the wire) is held as the 22-character URL-safe base64 string without
 * padding that Kafka's own `Uuid.toString()` prints, so topic ids look the same in our logs and tools as
 * in Kafka's. `ZERO_UUID` is Kafka's `Uuid.ZERO_UUID`, meaning "no id".
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const UUID_PATTERN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function uuidFromBytes(bytes: Buffer): string {
  return bytes.toString('base64url');
}

export function uuidToBytes(value: string): Buffer {
  if (!UUID_PATTERN.test(value)) throw new TypeError(`not a Kafka UUID (22 base64url characters): ${value}`);
  return Buffer.from(value, 'base64url');
}
