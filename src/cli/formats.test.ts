import { describe, expect, it } from 'vitest';
import { helpText, parseArgs } from './args.js';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  rangeAssign,
} from '../client/consumer-protocol.js';
import { parseDateTime } from './datetime.js';
import { lineReaderConfig, parseLine } from './line-reader.js';
import { messageFormatter } from './message-formatter.js';

const props = (o: Record<string, string>) => new Map(Object.entries(o));

describe('LineMessageReader', () => {
  it('reads headers, key and value with the default separators', () => {
    const c = lineReaderConfig(props({ 'parse.key': 'true', 'parse.headers': 'true' }));
    const r = parseLine(c, 'h1:v1,h2:v2\tk\tthe\tvalue', 1);
    expect(r.key?.toString()).toBe('k');
    expect(r.value?.toString()).toBe('the\tvalue');
    expect(r.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['h1', 'v1'],
      ['h2', 'v2'],
    ]);
  });

  it('maps null.marker to null and rejects bad separators as Kafka does', () => {
    const c = lineReaderConfig(props({ 'parse.key': 'true', 'null.marker': 'NULL' }));
    expect(parseLine(c, 'NULL\tv', 1).key).toBeNull();
    expect(parseLine(c, 'k\tNULL', 1).value).toBeNull();
    expect(() => lineReaderConfig(props({ 'headers.separator': ':' }))).toThrow(
      'headers.separator and headers.key.separator may not be equal',
    );
    expect(() => parseLine(lineReaderConfig(props({ 'parse.headers': 'true' })), 'nohdr\tv', 3)).toThrow(
      "No header key separator found in pair 'nohdr' on line number 3",
    );
    expect(parseLine(lineReaderConfig(props({ 'parse.key': 'true', 'ignore.error': 'true' })), 'v', 1).key).toBeNull();
  });
});

describe('DefaultMessageFormatter', () => {
  const record = {
    topic: 't',
    partition: 2,
    offset: 7,
    timestamp: 1000,
    timestampType: 1,
    key: null,
    value: Buffer.from('v'),
    headers: [],
  };
  it('prints the value alone by default', () => {
    expect(messageFormatter(props({}))(record)).toBe('v\n');
  });
  it('prints every column in order, nulls as null.literal', () => {
    const f = messageFormatter(
      props({
        'print.timestamp': 'true',
        'print.partition': 'true',
        'print.offset': 'true',
        'print.headers': 'true',
        'print.key': 'true',
        'key.separator': ' | ',
      }),
    );
    expect(f(record)).toBe('LogAppendTime:1000 | Partition:2 | Offset:7 | NO_HEADERS | null | v\n');
    expect(messageFormatter(props({ 'print.key': 'true', 'print.value': 'false' }))(record)).toBe('null\n');
  });
});

describe('consumer protocol', () => {
  it('round-trips subscriptions and assignments', () => {
    expect(decodeSubscription(encodeSubscription(['a', 'b']))).toEqual(['a', 'b']);
    const a = [{ topic: 't', partitions: [0, 2] }];
    expect(decodeAssignment(encodeAssignment(a))).toEqual(a);
    expect(decodeAssignment(Buffer.alloc(0))).toEqual([]);
  });
  it('assigns contiguous ranges, the first members taking the extra partitions', () => {
    const out = rangeAssign(
      [
        { memberId: 'b', topics: ['t'] },
        { memberId: 'a', topics: ['t'] },
      ],
      new Map([['t', 3]]),
    );
    expect(out.get('a')).toEqual([{ topic: 't', partitions: [0, 1] }]);
    expect(out.get('b')).toEqual([{ topic: 't', partitions: [2] }]);
  });
});

describe('options', () => {
  const specs = [
    { name: 'topic', arg: 'String', description: 'd' },
    { name: 'codec', arg: 'String', optionalArg: true, implied: 'gzip', description: 'd' },
    { name: 'flag', description: 'd' },
  ];
  it('parses --name value, --name=value, optional arguments and repeats', () => {
    const p = parseArgs(specs, ['--topic', 'a', '--topic=b', '--codec', '--flag']);
    expect(p.values('topic')).toEqual(['a', 'b']);
    expect(p.value('codec')).toBe('gzip');
    expect(p.has('flag')).toBe(true);
  });
  it('rejects unknown options and missing arguments', () => {
    expect(() => parseArgs(specs, ['--nope'])).toThrow('nope is not a recognized option');
    expect(() => parseArgs(specs, ['--topic'])).toThrow('option --topic requires an argument');
    expect(() => parseArgs(specs, ['--flag=1'])).toThrow('does not take an argument');
  });
  it("prints Kafka's option table", () => {
    expect(helpText('Tool.', specs)).toContain(
      'Option            Description\n------            -----------\n--topic <String>  d',
    );
  });
  it("parses Kafka's datetime format", () => {
    expect(parseDateTime('2024-01-02T03:04:05.006Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(parseDateTime('2024-01-02T03:04:05.006+01:00')).toBe(Date.UTC(2024, 0, 2, 2, 4, 5, 6));
    expect(parseDateTime('2024-01-02T03:04')).toBe(new Date(2024, 0, 2, 3, 4).getTime());
  });
});
