import { describe, expect, it } from 'vitest';
import { javaDoubleToString, parseValue } from './value-parser.js';

describe('parseValue', () => {
  it('trims before parsing', () => {
    expect(parseValue('long', ' 1000 ')).toEqual({ ok: true, value: 1000, text: '1000' });
    expect(parseValue('string', '  a b  ')).toEqual({ ok: true, value: 'a b', text: 'a b' });
  });

  it('parses booleans in any case', () => {
    expect(parseValue('boolean', 'TRUE')).toEqual({ ok: true, value: true, text: 'true' });
    expect(parseValue('boolean', 'False')).toEqual({ ok: true, value: false, text: 'false' });
    expect(parseValue('boolean', 'yes')).toEqual({ ok: false, reason: 'Expected value to be either true or false' });
  });

  it('parses integers as Java does, within the type’s range', () => {
    expect(parseValue('int', '+5')).toEqual({ ok: true, value: 5, text: '5' });
    expect(parseValue('int', '-2147483648')).toMatchObject({ ok: true, value: -2147483648 });
    expect(parseValue('int', '2147483648')).toEqual({ ok: false, reason: 'Not a number of type INT' });
    expect(parseValue('short', '32768')).toEqual({ ok: false, reason: 'Not a number of type SHORT' });
    for (const bad of ['', '1.0', '0x10', '1e3', '1_000', '- 1']) {
      expect(parseValue('long', bad)).toEqual({ ok: false, reason: 'Not a number of type LONG' });
    }
  });

  it('keeps the exact text of longs beyond 2^53', () => {
    expect(parseValue('long', '9223372036854775807')).toEqual({
      ok: true,
      value: 2 ** 63,
      text: '9223372036854775807',
    });
    expect(parseValue('long', '9223372036854775808')).toMatchObject({ ok: false });
  });

  it('parses doubles as Java does', () => {
    expect(parseValue('double', '0.5')).toEqual({ ok: true, value: 0.5, text: '0.5' });
    expect(parseValue('double', '1e0')).toEqual({ ok: true, value: 1, text: '1.0' });
    expect(parseValue('double', '2d')).toEqual({ ok: true, value: 2, text: '2.0' });
    expect(parseValue('double', '.5')).toMatchObject({ ok: true, value: 0.5 });
    expect(parseValue('double', 'NaN')).toMatchObject({ ok: true, text: 'NaN' });
    expect(parseValue('double', 'half')).toEqual({ ok: false, reason: 'Not a number of type DOUBLE' });
  });

  it('splits lists on commas with their blanks, keeping empty elements', () => {
    expect(parseValue('list', 'compact , delete')).toEqual({
      ok: true,
      value: ['compact', 'delete'],
      text: 'compact,delete',
    });
    expect(parseValue('list', '')).toEqual({ ok: true, value: [], text: '' });
    expect(parseValue('list', 'a,,b,')).toMatchObject({ value: ['a', '', 'b', ''] });
  });
});

describe('javaDoubleToString', () => {
  it.each([
    [0.5, '0.5'],
    [1, '1.0'],
    [1234567, '1234567.0'],
    [1e7, '1.0E7'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1.7976931348623157e308, '1.7976931348623157E308'],
    [-2.5e-5, '-2.5E-5'],
    [0, '0.0'],
  ])('%s → %s', (value, text) => {
    expect(javaDoubleToString(value)).toBe(text);
  });
});
