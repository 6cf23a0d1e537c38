import { UsageError } from './args.js';

/**
 * Kafka's Utils.getDateTime: 'YYYY-MM-DDTHH:mm:SS.sss' in local time, optionally followed by a zone
 * ('Z', '+hh:mm', '-hhmm'); seconds and milliseconds may be left out.
 */
export function parseDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim(),
  );
  if (m === null) {
    throw new UsageError(
      `Error parsing timestamp "${text}": expected the format 'YYYY-MM-DDTHH:mm:SS.sss' (optionally with a zone)`,
    );
  }
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  const parts = [
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((ms ?? '0').padEnd(3, '0')),
  ] as const;
  if (zone === undefined) return new Date(...parts).getTime();
  const utc = Date.UTC(...parts);
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
