/**
 * Kafka reads its config files with java.util.Properties.load; this is that format.
 *
 * - A natural line ends at \n, \r or \r\n. Blank lines and lines whose first non-blank character is
 *   `#` or `!` are skipped (a comment never continues onto the next line).
 * - A line ending in an odd number of backslashes continues on the next line, whose leading blanks
 *   are dropped. Blanks are space, tab and form feed.
 * - The key runs from the first non-blank character to the first unescaped `=`, `:` or blank; then
 *   blanks, at most one `=` or `:`, and blanks again are skipped; the rest of the line is the value,
 *   trailing blanks included (ConfigDef trims them when it parses the value).
 * - In keys and values, `\t \n \r \f` and `\uXXXX` are escapes, and a backslash before any other
 *   character stands for that character.
 * - A key given twice keeps the last value (we also warn).
 *
 * Java decodes the bytes as ISO-8859-1; we read files as UTF-8, which agrees on ASCII and keeps
 * non-ASCII paths intact.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error.js';

export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  /** Where the entry came from, for messages: "config/server.properties:12" or "--override". */
  readonly origin?: string;
}

const BLANK = new Set([' ', '\t', '\f']);

interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

/** Joins continued natural lines into logical lines, dropping blank and comment lines. */
function logicalLines(input: string): LogicalLine[] {
  const natural = input.split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  let pending: { text: string; line: number } | undefined;
  for (let i = 0; i < natural.length; i++) {
    let text = natural[i] ?? '';
    let start = 0;
    while (start < text.length && BLANK.has(text[start] ?? '')) start++;
    text = text.slice(start);
    if (pending === undefined) {
      if (text === '' || text.startsWith('#') || text.startsWith('!')) continue;
    }
    let backslashes = 0;
    while (backslashes < text.length && text[text.length - 1 - backslashes] === '\\') backslashes++;
    const continues = backslashes % 2 === 1;
    const body = continues ? text.slice(0, -1) : text;
    pending = pending === undefined ? { text: body, line: i + 1 } : { text: pending.text + body, line: pending.line };
    if (!continues) {
      out.push(pending);
      pending = undefined;
    }
  }
  if (pending !== undefined) out.push(pending);
  return out;
}

/** Resolves escapes; `\uXXXX` must have four hex digits. */
function unescape(text: string, where: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ConfigError([
          { key: '', value: `\\u${hex}`, expected: 'a \\uXXXX escape with four hex digits', origin: where },
        ]);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += { t: '\t', n: '\n', r: '\r', f: '\f' }[next] ?? next;
    }
  }
  return out;
}

/** Splits a logical line into its raw (still escaped) key and value. */
function splitLine(text: string): [string, string] {
  let keyEnd = 0;
  let separator = false;
  while (keyEnd < text.length) {
    const c = text[keyEnd] ?? '';
    if (c === '\\') {
      keyEnd += 2;
      continue;
    }
    if (c === '=' || c === ':') {
      separator = true;
      break;
    }
    if (BLANK.has(c)) break;
    keyEnd++;
  }
  keyEnd = Math.min(keyEnd, text.length);
  let valueStart = separator ? keyEnd + 1 : keyEnd;
  while (valueStart < text.length && BLANK.has(text[valueStart] ?? '')) valueStart++;
  if (!separator && (text[valueStart] === '=' || text[valueStart] === ':')) {
    valueStart++;
    while (valueStart < text.length && BLANK.has(text[valueStart] ?? '')) valueStart++;
  }
  return [text.slice(0, keyEnd), text.slice(valueStart)];
}

/**
 * Parses the text of a .properties file into entries in file order (duplicates included; the last
 * one wins when they are applied). `source` names the file in origins.
 */
export function parseProperties(input: string, source = '<properties>'): PropertyEntry[] {
  return logicalLines(input).map(({ text, line }) => {
    const origin = `${source}:${line}`;
    const [key, value] = splitLine(text);
    return { key: unescape(key, origin), value: unescape(value, origin), origin };
  });
}

/** Reads and parses a .properties file (UTF-8). */
export async function readPropertiesFile(path: string): Promise<PropertyEntry[]> {
  return parseProperties(await readFile(path, 'utf8'), path);
}

/**
 * One `--override key=value` argument. The value is everything after the first `=` and may be empty
 * (as in Kafka); the key is trimmed and must not be empty.
 */
export function parseOverride(argument: string): PropertyEntry {
  const at = argument.indexOf('=');
  const key = (at < 0 ? argument : argument.slice(0, at)).trim();
  if (at < 0 || key === '') {
    throw new ConfigError([{ key: '--override', value: argument, expected: 'key=value', origin: '--override' }]);
  }
  return { key, value: argument.slice(at + 1), origin: '--override' };
}
