/**
 * Validators check a parsed value. Each carries two descriptions: Kafka's (the `reason` of the
 * ConfigException Kafka would throw, and ConfigDef's short form for the docs table) so that
 * CreateTopics and AlterConfigs answer with Kafka's own INVALID_CONFIG messages; and ours (`form`),
 * which completes "expected ..." in the startup errors we print.
 */
import type { ConfigType, ConfigValue } from './types.js';

export interface ValidationFailure {
  /** Kafka's wording: "Value must be at least 14". */
  readonly reason: string;
  /** What Kafka shows as the invalid value when it is not the whole value (one element of a list). */
  readonly shown?: string;
}

export interface Validator {
  /** Kafka's ConfigDef notation, e.g. "[14,...]" or "[compact, delete]". */
  readonly kafka: string;
  /** Ours, completing "expected ...": "an int of at least 14", "one of CreateTime, LogAppendTime". */
  form(type: ConfigType): string;
  /** True when `form` already lists every allowed value, so an example adds nothing. */
  readonly enumerates?: boolean;
  check(value: ConfigValue): ValidationFailure | undefined;
}

const ARTICLE: Record<ConfigType, string> = {
  boolean: 'true or false',
  string: 'a string',
  int: 'an int',
  short: 'a short',
  long: 'a long',
  double: 'a double',
  list: 'a comma-separated list',
  class: 'a class name',
  password: 'a password',
};

/** "an int", "a long", ... : the form of a value of the type when no validator narrows it. */
export function typeForm(type: ConfigType): string {
  return ARTICLE[type];
}

function asNumber(value: ConfigValue): number {
  if (typeof value !== 'number') throw new TypeError(`numeric validator applied to ${typeof value}`);
  return value;
}

/** Kafka's Range.atLeast. */
export function atLeast(min: number): Validator {
  return {
    kafka: `[${min},...]`,
    form: (type) => `${typeForm(type)} of at least ${min}`,
    check: (value) => (asNumber(value) < min ? { reason: `Value must be at least ${min}` } : undefined),
  };
}

/** Kafka's Range.between (inclusive). */
export function between(min: number, max: number): Validator {
  return {
    kafka: `[${min},...,${max}]`,
    form: (type) => `${typeForm(type)} between ${min} and ${max}`,
    check: (value) => {
      const n = asNumber(value);
      if (n < min) return { reason: `Value must be at least ${min}` };
      if (n > max) return { reason: `Value must be no more than ${max}` };
      return undefined;
    },
  };
}

/** Kafka's ValidString.in: a case-sensitive choice. */
export function oneOf(...allowed: readonly string[]): Validator {
  const set = new Set(allowed);
  return {
    kafka: `[${allowed.join(', ')}]`,
    form: () => `one of ${allowed.join(', ')}`,
    enumerates: true,
    check: (value) =>
      typeof value === 'string' && set.has(value)
        ? undefined
        : { reason: `String must be one of: ${allowed.join(', ')}` },
  };
}

/** Kafka's ValidList.in: every element is one of the allowed values (an empty list is valid). */
export function listOf(...allowed: readonly string[]): Validator {
  const set = new Set(allowed);
  return {
    kafka: `[${allowed.join(', ')}]`,
    form: () => `a comma-separated list of ${allowed.join(', ')}`,
    enumerates: true,
    check: (value) => {
      if (!Array.isArray(value)) throw new TypeError('list validator applied to a non-list');
      const bad = (value as readonly string[]).find((element) => !set.has(element));
      return bad === undefined ? undefined : { reason: `String must be one of: ${allowed.join(', ')}`, shown: bad };
    },
  };
}

/** compression.gzip.level: 1 to 9, or -1 for zlib's default. */
export const gzipLevel: Validator = {
  kafka: '[1,...,9] or -1',
  form: () => 'an int between 1 and 9, or -1',
  check: (value) => {
    const n = asNumber(value);
    return n === -1 || (n >= 1 && n <= 9) ? undefined : { reason: 'Value must be between 1 and 9 or equal to -1' };
  },
};

const REPLICA = /^\d+:\d+$/;

/** leader/follower.replication.throttled.replicas: "*" or partition:broker pairs. */
export function throttledReplicas(name: string): Validator {
  return {
    kafka: '[partitionId]:[brokerId],[partitionId]:[brokerId],...',
    form: () => '"*" or a comma-separated list of partitionId:brokerId',
    check: (value) => {
      const list = value as readonly string[];
      const ok = (list.length === 1 && list[0] === '*') || list.every((entry) => REPLICA.test(entry.trim()));
      return ok
        ? undefined
        : {
            reason: `${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`,
            shown: `[${list.join(', ')}]`,
          };
    },
  };
}
