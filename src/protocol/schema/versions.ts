/**
 * Version ranges in the notation of Kafka's message definitions: `"3+"` (3 and later), `"0-12"`
 * (inclusive), `"7"` (exactly 7) and `"none"`. An open range ends at MAX_VERSION.
 */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export const MAX_VERSION = 0x7fff;

export const NO_VERSIONS: VersionRange = Object.freeze({ min: 1, max: 0 });

const RANGE = /^(\d+)(?:(\+)|-(\d+))?$/;

export function parseVersions(spec: string): VersionRange {
  if (spec === 'none') return NO_VERSIONS;
  const m = RANGE.exec(spec);
  if (!m) throw new Error(`bad version range "${spec}": expected "N", "N+", "N-M" or "none"`);
  const min = Number(m[1]);
  const max = m[2] ? MAX_VERSION : m[3] !== undefined ? Number(m[3]) : min;
  if (max < min) throw new Error(`bad version range "${spec}": ${max} < ${min}`);
  return Object.freeze({ min, max });
}

export function inRange(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}

export function isEmptyRange(range: VersionRange): boolean {
  return range.max < range.min;
}

export function formatVersions(range: VersionRange): string {
  if (isEmptyRange(range)) return 'none';
  if (range.max === MAX_VERSION) return `${range.min}+`;
  return range.min === range.max ? `${range.min}` : `${range.min}-${range.max}`;
}
