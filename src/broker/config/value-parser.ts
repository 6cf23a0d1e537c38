/**
 * Text → typed value, with the semantics of Kafka's ConfigDef.parseType: the text is trimmed first;
 * booleans are `true`/`false` in any case; integers are Java's parseInt/parseLong/parseShort (optional
 * sign, decimal digits, range of the Java type); doubles are Java's parseDouble (including NaN,
 * Infinity and a trailing d/f); lists split on commas with the whitespace around them, keeping empty
 * elements, and an empty text is the empty list.
 *
 * Each parsed value also gets its canonical text, which is what Kafka reports for it
 * (ConfigDef.convertToString): "+5" reports as "5", "1e0" as "1.0", "a , b" as "a,b".
 */
import type { ConfigType, ConfigValue } from './types.js';

export type ParseResult =
  | { readonly ok: true; readonly value: ConfigValue; readonly text: string }
  | { readonly ok: false; readonly reason: string };

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const LIST_SEPARATOR = /\s*,\s*/;

const INTEGER_RANGE = {
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

function parseInteger(text: string, type: 'short' | 'int' | 'long'): ParseResult {
  const notANumber = { ok: false, reason: `Not a number of type ${type.toUpperCase()}` } as const;
  if (!INTEGER.test(text)) return notANumber;
  const big = BigInt(text);
  const [min, max] = INTEGER_RANGE[type];
  if (big < min || big > max) return notANumber;
  return { ok: true, value: Number(big), text: big.toString() };
}

function parseDouble(text: string): ParseResult {
  if (!DOUBLE.test(text)) return { ok: false, reason: 'Not a number of type DOUBLE' };
  const value = Number(text.replace(/[fFdD]$/, ''));
  return { ok: true, value, text: javaDoubleToString(value) };
}

/** Java's Double.toString: "1.0", "0.5", "1.0E7", "1.7976931348623157E308", "NaN", "Infinity". */
export function javaDoubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

export function splitList(text: string): readonly string[] {
  return text === '' ? [] : text.split(LIST_SEPARATOR);
}

export function parseValue(type: ConfigType, raw: string): ParseResult {
  const text = raw.trim();
  switch (type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { ok: true, value: lower === 'true', text: lower };
      return { ok: false, reason: 'Expected value to be either true or false' };
    }
    case 'short':
    case 'int':
    case 'long':
      return parseInteger(text, type);
    case 'double':
      return parseDouble(text);
    case 'list': {
      const list = splitList(text);
      return { ok: true, value: list, text: list.join(',') };
    }
    case 'string':
    case 'class':
    case 'password':
      return { ok: true, value: text, text };
  }
}
