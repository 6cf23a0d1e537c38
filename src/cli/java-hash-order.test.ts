import { describe, expect, it } from 'vitest';
import { javaHashMapCapacity, javaHashMapOrder, javaStringHash } from './java-hash-order.js';

describe('javaStringHash', () => {
  it("is Java's String.hashCode", () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('Aa')).toBe(javaStringHash('BB'));
    // Overflows wrap to int32 as in Java (value from java: "__consumer_offsets".hashCode()).
    expect(javaStringHash('__consumer_offsets')).toBe(-970371369);
  });
});

describe('javaHashMapCapacity', () => {
  it('starts at the power of two at or above the initial capacity and doubles past 0.75 full', () => {
    expect(javaHashMapCapacity(0, 1)).toBe(2);
    expect(javaHashMapCapacity(3, 3)).toBe(4);
    expect(javaHashMapCapacity(12, 12)).toBe(16);
    expect(javaHashMapCapacity(13, 13)).toBe(32);
    expect(javaHashMapCapacity(36, 36)).toBe(64);
    expect(javaHashMapCapacity(16, 13)).toBe(32);
  });
});

describe('javaHashMapOrder', () => {
  it('orders as Kafka 3.9 kafka-topics.sh --describe printed these topics (captured from the stock tool)', () => {
    const names = ['__consumer_offsets', 't1', ...'abcdefghij'.split('').map((c) => `topic-${c}`)].sort();
    expect(javaHashMapOrder(names, (n) => n)).toEqual([
      'topic-f',
      'topic-g',
      'topic-h',
      'topic-i',
      'topic-j',
      'topic-a',
      'topic-b',
      't1',
      'topic-c',
      '__consumer_offsets',
      'topic-d',
      'topic-e',
    ]);
  });

  it('keeps insertion order within a bucket', () => {
    expect(javaHashMapOrder(['BB', 'Aa'], (n) => n)).toEqual(['BB', 'Aa']);
    expect(javaHashMapOrder(['Aa', 'BB'], (n) => n)).toEqual(['Aa', 'BB']);
  });
});
