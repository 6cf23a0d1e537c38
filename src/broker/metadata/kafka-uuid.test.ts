import { describe, expect, it } from 'vitest';
import { ZERO_UUID, isUuid } from '../../protocol/primitives/uuid.js';
import { ONE_UUID, randomKafkaUuid } from './kafka-uuid.js';

describe('randomKafkaUuid', () => {
  it('makes distinct 22-character version-4 Kafka UUIDs', () => {
    const ids = new Set(Array.from({ length: 200 }, () => randomKafkaUuid()));
    expect(ids.size).toBe(200);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id).toHaveLength(22);
      expect(id.startsWith('-')).toBe(false);
      const bytes = Buffer.from(id, 'base64url');
      expect(bytes[6]! >> 4).toBe(4);
      expect(bytes[8]! >> 6).toBe(2);
    }
  });

  it('skips the zero UUID, ONE_UUID and ids starting with "-"', () => {
    const queue = [
      Buffer.alloc(16),
      Buffer.from(ONE_UUID, 'base64url'),
      Buffer.from('-AAAAAAAAAAAAAAAAAAAAA', 'base64url'),
      Buffer.from('AAAAAAAAAAAAAAAAAAAAAg', 'base64url'),
    ];
    expect(randomKafkaUuid(() => queue.shift()!)).toBe('AAAAAAAAAAAAAAAAAAAAAg');
    expect(queue).toHaveLength(0);
    expect(ZERO_UUID).not.toBe(ONE_UUID);
  });
});
