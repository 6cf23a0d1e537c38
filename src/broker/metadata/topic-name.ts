/**
 * Kafka's topic name rules (org.apache.kafka.common.internals.Topic): 1 to 249 characters of
 * [a-zA-Z0-9._-], neither "." nor "..". The 249 leaves room for the "-<partition>" suffix and the
 * ".deleted"-style suffixes of the partition directory within a 255-byte file name.
 *
 * '.' and '_' collide in metric names, so Kafka refuses a new topic whose name equals an existing one
 * once every '.' is read as '_' (INVALID_TOPIC_EXCEPTION), and its tools warn about names using both.
 */
export const MAX_TOPIC_NAME_LENGTH = 249;

export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC_NAME = '__transaction_state';

const INTERNAL_TOPICS: ReadonlySet<string> = new Set([GROUP_METADATA_TOPIC_NAME, TRANSACTION_STATE_TOPIC_NAME]);

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why the name is not a legal topic name, in Kafka's words, or null when it is legal. */
export function invalidTopicNameReason(name: string): string | null {
  let reason: string | null = null;
  if (name.length === 0) reason = 'the empty string is not allowed';
  else if (name === '.') reason = "'.' is not allowed";
  else if (name === '..') reason = "'..' is not allowed";
  else if (name.length > MAX_TOPIC_NAME_LENGTH)
    reason = `the length of '${name}' is longer than the max allowed length ${MAX_TOPIC_NAME_LENGTH}`;
  else if (!LEGAL.test(name))
    reason = `'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`;
  return reason === null ? null : `Topic name is invalid: ${reason}`;
}

export function isValidTopicName(name: string): boolean {
  return invalidTopicNameReason(name) === null;
}

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

/** True when the two names are equal once '.' and '_' are read as the same character. */
export function topicNamesCollide(a: string, b: string): boolean {
  return unifyCollisionChars(a) === unifyCollisionChars(b);
}

/** The warning Kafka's topic tool prints for a name with '.' or '_'; null when there is nothing to warn. */
export function collisionWarning(name: string): string | null {
  return hasCollisionChars(name)
    ? "Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. " +
        'To avoid issues it is best to use either, but not both.'
    : null;
}
