import { describe, expect, it } from 'vitest';
import { ErrorCode, KAFKA_ERRORS, errorInfo, type ErrorName } from './errors.js';

// The errors whose Kafka 4.1 exception class extends RetriableException (read from kafka-clients 4.1.2).
const RETRIABLE: readonly ErrorName[] = [
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'REPLICA_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'NOT_CONTROLLER',
  'CONCURRENT_TRANSACTIONS',
  'KAFKA_STORAGE_ERROR',
  'FETCH_SESSION_ID_NOT_FOUND',
  'INVALID_FETCH_SESSION_EPOCH',
  'LISTENER_NOT_FOUND',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'ELIGIBLE_LEADERS_NOT_AVAILABLE',
  'ELECTION_NOT_NEEDED',
  'UNSTABLE_OFFSET_COMMIT',
  'THROTTLING_QUOTA_EXCEEDED',
  'UNKNOWN_TOPIC_ID',
  'INCONSISTENT_TOPIC_ID',
  'FETCH_SESSION_TOPIC_ID_ERROR',
  'SHARE_SESSION_NOT_FOUND',
  'INVALID_SHARE_SESSION_EPOCH',
  'SHARE_SESSION_LIMIT_REACHED',
];

describe('errors', () => {
  it('covers every code from -1 to 133 once, in order, with unique names', () => {
    const codes = KAFKA_ERRORS.map((e) => e.code);
    expect(codes).toEqual(Array.from({ length: 135 }, (_, i) => i - 1));
    expect(new Set(KAFKA_ERRORS.map((e) => e.name)).size).toBe(KAFKA_ERRORS.length);
  });

  it('has the known codes', () => {
    const known: Partial<Record<ErrorName, number>> = {
      NONE: 0,
      UNKNOWN_SERVER_ERROR: -1,
      OFFSET_OUT_OF_RANGE: 1,
      CORRUPT_MESSAGE: 2,
      UNKNOWN_TOPIC_OR_PARTITION: 3,
      NOT_LEADER_OR_FOLLOWER: 6,
      MESSAGE_TOO_LARGE: 10,
      NOT_COORDINATOR: 16,
      REBALANCE_IN_PROGRESS: 27,
      UNSUPPORTED_VERSION: 35,
      TOPIC_ALREADY_EXISTS: 36,
      INVALID_REQUEST: 42,
      KAFKA_STORAGE_ERROR: 56,
      FETCH_SESSION_ID_NOT_FOUND: 70,
      PRODUCER_FENCED: 90,
      UNKNOWN_TOPIC_ID: 100,
      SHARE_SESSION_LIMIT_REACHED: 133,
    };
    for (const [name, code] of Object.entries(known)) {
      expect(ErrorCode[name as ErrorName], name).toBe(code);
      expect(errorInfo(code)?.name).toBe(name);
    }
  });

  it('marks exactly the RetriableException errors retriable', () => {
    const retriable = KAFKA_ERRORS.filter((e) => e.retriable).map((e) => e.name);
    expect(retriable).toEqual(RETRIABLE);
  });

  it('agrees between ErrorCode and errorInfo, and has a message for every error', () => {
    for (const [name, code] of Object.entries(ErrorCode)) {
      const info = errorInfo(code);
      expect(info?.name).toBe(name);
      expect(info?.message.length).toBeGreaterThan(0);
    }
    expect(Object.keys(ErrorCode)).toHaveLength(KAFKA_ERRORS.length);
  });

  it('returns undefined for codes Kafka does not define', () => {
    expect(errorInfo(-2)).toBeUndefined();
    expect(errorInfo(134)).toBeUndefined();
    expect(errorInfo(1.5)).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ErrorCode)).toBe(true);
    expect(Object.isFrozen(KAFKA_ERRORS)).toBe(true);
    expect(Object.isFrozen(errorInfo(3))).toBe(true);
  });
});
