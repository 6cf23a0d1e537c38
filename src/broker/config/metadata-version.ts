/**
 * Kafka's MetadataVersion strings as of 3.9, for `inter.broker.protocol.version` and
 * `(log.)message.format.version`. Samsa accepts them so that older files load; it does not act on
 * them (since Kafka 3.0 the message format follows the inter-broker protocol, and Samsa speaks every
 * format to every client). Kafka accepts a full version ("2.1-IV2") or a release ("2.1", "2.1.1",
 * "0.10.2", "0.10.2.1"), which means the release's last IV.
 */
import type { Validator } from './validators.js';

/** Release → number of IVs it has (0: the release string is the version itself, as 0.8.0). */
const RELEASES: ReadonlyArray<readonly [string, number]> = [
  ['0.8.0', 0],
  ['0.8.1', 0],
  ['0.8.2', 0],
  ['0.9.0', 0],
  ['0.10.0', 2],
  ['0.10.1', 3],
  ['0.10.2', 1],
  ['0.11.0', 3],
  ['1.0', 1],
  ['1.1', 1],
  ['2.0', 2],
  ['2.1', 3],
  ['2.2', 2],
  ['2.3', 2],
  ['2.4', 2],
  ['2.5', 1],
  ['2.6', 1],
  ['2.7', 3],
  ['2.8', 2],
  ['3.0', 2],
  ['3.1', 1],
  ['3.2', 1],
  ['3.3', 4],
  ['3.4', 1],
  ['3.5', 3],
  ['3.6', 3],
  ['3.7', 5],
  ['3.8', 1],
  ['3.9', 1],
  ['4.0', 2],
];

const KNOWN: ReadonlySet<string> = new Set(
  RELEASES.flatMap(([release, ivs]) => [release, ...Array.from({ length: ivs }, (_, i) => `${release}-IV${i}`)]),
);

/** Every full version string, oldest first, as Kafka lists them. */
export const METADATA_VERSIONS: readonly string[] = RELEASES.flatMap(([release, ivs]) =>
  ivs === 0 ? [release] : Array.from({ length: ivs }, (_, i) => `${release}-IV${i}`),
);

/** True when Kafka's MetadataVersion.fromVersionString would accept the string. */
export function isMetadataVersion(text: string): boolean {
  const segments = text.split('.');
  const wanted = text.startsWith('0.') ? 3 : 2;
  const key = wanted >= segments.length ? text : segments.slice(0, wanted).join('.');
  return KNOWN.has(key);
}

export const metadataVersion: Validator = {
  kafka: `[${METADATA_VERSIONS.join(', ')}]`,
  form: () => 'a Kafka version such as 3.9, 2.1-IV2 or 0.10.2',
  check: (value) =>
    typeof value === 'string' && isMetadataVersion(value)
      ? undefined
      : { reason: `Version ${String(value)} is not a valid version` },
};
