import { describe, expect, it } from 'vitest';
import {
  collisionWarning,
  hasCollisionChars,
  invalidTopicNameReason,
  isInternalTopic,
  isValidTopicName,
  topicNamesCollide,
} from './topic-name.js';

describe('topic names', () => {
  it.each([
    'a',
    'topic-1',
    'my.topic',
    'my_topic',
    'A.b_C-0',
    '__consumer_offsets',
    'x'.repeat(249),
    '...',
    '__proto__',
  ])('accepts %s', (name) => {
    expect(isValidTopicName(name)).toBe(true);
  });

  it.each([
    ['', 'Topic name is invalid: the empty string is not allowed'],
    ['.', "Topic name is invalid: '.' is not allowed"],
    ['..', "Topic name is invalid: '..' is not allowed"],
    [
      'x'.repeat(250),
      `Topic name is invalid: the length of '${'x'.repeat(250)}' is longer than the max allowed length 249`,
    ],
    [
      'a b',
      "Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
    ],
  ])('rejects %j', (name, message) => {
    expect(invalidTopicNameReason(name)).toBe(message);
  });

  it.each(['a/b', 'a:b', 'é', 'a\u0000', 'topic!', 'a,b', 'ü'.repeat(3), 'a\nb'])(
    'rejects illegal characters in %j',
    (name) => {
      expect(isValidTopicName(name)).toBe(false);
    },
  );

  it('sees collisions between . and _', () => {
    expect(hasCollisionChars('a.b')).toBe(true);
    expect(hasCollisionChars('a-b')).toBe(false);
    expect(topicNamesCollide('a.b', 'a_b')).toBe(true);
    expect(topicNamesCollide('a.b_c', 'a_b.c')).toBe(true);
    expect(topicNamesCollide('a.b', 'a-b')).toBe(false);
    expect(collisionWarning('a.b')).toMatch(/could collide/);
    expect(collisionWarning('ab')).toBeNull();
  });

  it('knows the internal topics', () => {
    expect(isInternalTopic('__consumer_offsets')).toBe(true);
    expect(isInternalTopic('__transaction_state')).toBe(true);
    expect(isInternalTopic('__other')).toBe(false);
  });
});
