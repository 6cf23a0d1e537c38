import type { ConsumerRecord } from '../client/fetcher.js';

/**
 * Kafka 3.9's DefaultMessageFormatter, from the console consumer's --property settings:
 *
 *   [<TimestampType>:<ts> SEP] [Partition:<p> SEP] [Offset:<o> SEP] [<h1>:<v1>,<h2>:<v2> | NO_HEADERS SEP]
 *   [<key> SEP] <value> line.separator
 *
 * SEP is key.separator (a tab); the last column printed ends with line.separator instead. Null keys,
 * values and header values print as null.literal ("null"). Bytes are written as they are (UTF-8 text
 * prints as text). Separators are taken literally, as Kafka takes them (no backslash escapes on the
 * command line; a --formatter-config file has the .properties escapes).
 */
export function messageFormatter(props: ReadonlyMap<string, string>): (r: ConsumerRecord) => string {
  const flag = (k: string, fallback: boolean) => {
    const v = props.get(k);
    return v === undefined ? fallback : v.trim().toLowerCase() === 'true';
  };
  const printTimestamp = flag('print.timestamp', false);
  const printKey = flag('print.key', false);
  const printOffset = flag('print.offset', false);
  const printPartition = flag('print.partition', false);
  const printHeaders = flag('print.headers', false);
  const printValue = flag('print.value', true);
  const keySeparator = props.get('key.separator') ?? '\t';
  const lineSeparator = props.get('line.separator') ?? '\n';
  const headersSeparator = props.get('headers.separator') ?? ',';
  const nullLiteral = props.get('null.literal') ?? 'null';
  const text = (b: Buffer | null) => (b === null ? nullLiteral : b.toString('utf8'));
  const sep = (more: boolean) => (more ? keySeparator : lineSeparator);

  return (r) => {
    let out = '';
    if (printTimestamp) {
      out += `${r.timestampType === 1 ? 'LogAppendTime' : 'CreateTime'}:${r.timestamp}`;
      out += sep(printOffset || printPartition || printHeaders || printKey || printValue);
    }
    if (printPartition) out += `Partition:${r.partition}${sep(printOffset || printHeaders || printKey || printValue)}`;
    if (printOffset) out += `Offset:${r.offset}${sep(printHeaders || printKey || printValue)}`;
    if (printHeaders) {
      out +=
        r.headers.length === 0
          ? 'NO_HEADERS'
          : r.headers.map((h) => `${h.key}:${text(h.value)}`).join(headersSeparator);
      out += sep(printKey || printValue);
    }
    if (printKey) out += text(r.key) + sep(printValue);
    if (printValue) out += text(r.value) + lineSeparator;
    return out;
  };
}
