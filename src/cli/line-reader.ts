import type { RecordHeader } from '../protocol/records/index.js';
import { CliError } from '../client/errors.js';

/**
 * Kafka 3.9's LineMessageReader (the console producer's --property settings): a line is
 *
 *   [headers <headers.delimiter>] [key <key.separator>] value
 *
 * with headers as `k1:v1,k2:v2` (headers.separator is a regular expression, headers.key.separator
 * plain text), any field equal to null.marker read as null, and a missing separator an error unless
 * ignore.error=true.
 */
export interface LineReaderConfig {
  readonly parseKey: boolean;
  readonly keySeparator: string;
  readonly parseHeaders: boolean;
  readonly headersDelimiter: string;
  readonly headersSeparator: RegExp;
  readonly headersKeySeparator: string;
  readonly ignoreError: boolean;
  readonly nullMarker: string | null;
}

export interface ParsedLine {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
}

export function lineReaderConfig(props: ReadonlyMap<string, string>): LineReaderConfig {
  const flag = (k: string) => props.get(k)?.trim().toLowerCase() === 'true';
  const keySeparator = props.get('key.separator') ?? '\t';
  const headersDelimiter = props.get('headers.delimiter') ?? '\t';
  const headersSeparator = props.get('headers.separator') ?? ',';
  const headersKeySeparator = props.get('headers.key.separator') ?? ':';
  const nullMarker = props.get('null.marker') ?? null;
  const distinct: [string, string | null, string, string][] = [
    ['headers.delimiter', headersDelimiter, 'headers.separator', headersSeparator],
    ['headers.delimiter', headersDelimiter, 'headers.key.separator', headersKeySeparator],
    ['headers.separator', headersSeparator, 'headers.key.separator', headersKeySeparator],
    ['null.marker', nullMarker, 'key.separator', keySeparator],
    ['null.marker', nullMarker, 'headers.separator', headersSeparator],
    ['null.marker', nullMarker, 'headers.delimiter', headersDelimiter],
    ['null.marker', nullMarker, 'headers.key.separator', headersKeySeparator],
  ];
  for (const [a, av, b, bv] of distinct) {
    if (av === bv) throw new CliError(`${a} and ${b} may not be equal`);
  }
  let separator: RegExp;
  try {
    separator = new RegExp(headersSeparator, 'u');
  } catch {
    throw new CliError(`headers.separator "${headersSeparator}" is not a valid regular expression`);
  }
  return {
    parseKey: flag('parse.key'),
    keySeparator,
    parseHeaders: flag('parse.headers'),
    headersDelimiter,
    headersSeparator: separator,
    headersKeySeparator,
    ignoreError: flag('ignore.error'),
    nullMarker,
  };
}

export function parseLine(config: LineReaderConfig, line: string, lineNumber: number): ParsedLine {
  const field = (enabled: boolean, start: number, demarcation: string, name: string): string | null => {
    if (!enabled) return null;
    const at = line.indexOf(demarcation, start);
    if (at >= 0) return line.slice(start, at);
    if (config.ignoreError) return null;
    throw new CliError(`No ${name} found on line number ${lineNumber}: '${line}'`);
  };
  const headers = field(config.parseHeaders, 0, config.headersDelimiter, 'headers delimiter');
  const headerOffset = headers === null ? 0 : headers.length + config.headersDelimiter.length;
  const key = field(config.parseKey, headerOffset, config.keySeparator, 'key separator');
  const keyOffset = key === null ? 0 : key.length + config.keySeparator.length;
  const value = line.slice(headerOffset + keyOffset);
  const bytes = (s: string | null) => (s === null || s === config.nullMarker ? null : Buffer.from(s, 'utf8'));
  return {
    key: bytes(key),
    value: bytes(value),
    headers: headers === null || headers === config.nullMarker ? [] : splitHeaders(config, headers, lineNumber),
  };
}

function splitHeaders(config: LineReaderConfig, headers: string, lineNumber: number): RecordHeader[] {
  return headers.split(config.headersSeparator).map((pair) => {
    const at = pair.indexOf(config.headersKeySeparator);
    if (at < 0) {
      if (config.ignoreError) return { key: pair, value: null };
      throw new CliError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
    }
    const key = pair.slice(0, at);
    if (key === config.nullMarker) {
      throw new CliError(
        `Header keys should not be equal to the null marker '${config.nullMarker}' as they can't be null`,
      );
    }
    const value = pair.slice(at + config.headersKeySeparator.length);
    return { key, value: value === config.nullMarker ? null : Buffer.from(value, 'utf8') };
  });
}
