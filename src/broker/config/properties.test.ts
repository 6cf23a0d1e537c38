import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseOverride, parseProperties } from './properties.js';

const pairs = (text: string) => parseProperties(text).map(({ key, value }) => [key, value]);

describe('parseProperties', () => {
  it('reads key=value, key: value and key value', () => {
    expect(pairs('a=1\nb: 2\nc 3\nd\t=\t4\ne  :5')).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
      ['e', '5'],
    ]);
  });

  it('skips blank lines and # and ! comments, even indented', () => {
    expect(pairs('# one\n! two\n   # three\n\n \t \nk=v\n')).toEqual([['k', 'v']]);
  });

  it('keeps a # inside a value', () => {
    expect(pairs('k=a#b')).toEqual([['k', 'a#b']]);
  });

  it('accepts \\n, \\r\\n and \\r line ends', () => {
    expect(pairs('a=1\r\nb=2\rc=3')).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('joins continued lines and drops the continuation’s leading blanks', () => {
    expect(pairs('k=one,\\\n    two,\\\n\tthree\nnext=x')).toEqual([
      ['k', 'one,two,three'],
      ['next', 'x'],
    ]);
  });

  it('does not continue after an even number of backslashes', () => {
    expect(pairs('k=a\\\\\nj=b')).toEqual([
      ['k', 'a\\'],
      ['j', 'b'],
    ]);
  });

  it('never continues a comment line', () => {
    expect(pairs('# comment \\\nk=v')).toEqual([['k', 'v']]);
  });

  it('ends a continuation at a blank line', () => {
    expect(pairs('k=a\\\n\nj=b')).toEqual([
      ['k', 'a'],
      ['j', 'b'],
    ]);
  });

  it('keeps a continued line that ends the file', () => {
    expect(pairs('k=a\\')).toEqual([['k', 'a']]);
  });

  it('resolves escapes in keys and values', () => {
    expect(pairs('a\\=b\\ c=x\\ty\\nz\\\\\\u00e9\\q')).toEqual([['a=b c', 'x\ty\nz\\éq']]);
  });

  it('keeps trailing blanks of values and drops leading ones', () => {
    expect(pairs('k =   v  ')).toEqual([['k', 'v  ']]);
  });

  it('gives an empty value to a key alone or with an empty value', () => {
    expect(pairs('alone\nempty=\ncolon:')).toEqual([
      ['alone', ''],
      ['empty', ''],
      ['colon', ''],
    ]);
  });

  it('takes only the first separator', () => {
    expect(pairs('k==v\nj = : w')).toEqual([
      ['k', '=v'],
      ['j', ': w'],
    ]);
  });

  it('records the line of each entry as its origin', () => {
    const entries = parseProperties('# c\n\na=1\nb=2\\\n3\nc=4', 'server.properties');
    expect(entries.map((e) => e.origin)).toEqual(['server.properties:3', 'server.properties:4', 'server.properties:6']);
  });

  it('keeps duplicates in order', () => {
    expect(pairs('k=1\nk=2')).toEqual([
      ['k', '1'],
      ['k', '2'],
    ]);
  });

  it('refuses a malformed \\u escape', () => {
    expect(() => parseProperties('k=\\u12g4', 'f')).toThrow(ConfigError);
    expect(() => parseProperties('k=\\u12g4', 'f')).toThrow(/f:1: \\u12g4: expected a \\uXXXX escape/);
  });
});

describe('parseOverride', () => {
  it('splits at the first =', () => {
    expect(parseOverride('log.dirs=/a=b')).toEqual({ key: 'log.dirs', value: '/a=b', origin: '--override' });
  });

  it('accepts an empty value', () => {
    expect(parseOverride('advertised.host.name=')).toMatchObject({ key: 'advertised.host.name', value: '' });
  });

  it('refuses an argument without = or without a key', () => {
    expect(() => parseOverride('broker.id')).toThrow(/--override=broker.id: expected key=value/);
    expect(() => parseOverride('=1')).toThrow(ConfigError);
  });
});
