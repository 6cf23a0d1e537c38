/** Test helpers shared by the records tests. */
import { expect } from 'vitest';
import { RecordsError, type RecordsErrorCode } from './errors.js';
import type { LegacyRecord } from './legacy.js';
import type { DefaultRecord } from './record.js';
import { hexOrNull, type ManifestRecord } from './test-fixtures.js';

export function expectRecordsError(fn: () => unknown, code: RecordsErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a RecordsError').toBeInstanceOf(RecordsError);
  expect((thrown as RecordsError).code).toBe(code);
}

/** A decoded record in the manifest's shape. */
export function asManifest(r: DefaultRecord | LegacyRecord): ManifestRecord {
  const headers = 'headers' in r ? r.headers.map((h): [string, string | null] => [h.key, hexOrNull(h.value)]) : [];
  return { offset: r.offset, timestamp: r.timestamp, key: hexOrNull(r.key), value: hexOrNull(r.value), headers };
}
