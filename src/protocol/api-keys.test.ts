import { describe, expect, it } from 'vitest';
import { ApiKey, apiName } from './api-keys.js';

describe('api keys', () => {
  it('covers every key from 0 to 92 once', () => {
    expect(Object.values(ApiKey).sort((a, b) => a - b)).toEqual(Array.from({ length: 93 }, (_, i) => i));
  });

  it('has the known keys and names', () => {
    const known: Record<number, string> = {
      0: 'Produce',
      1: 'Fetch',
      2: 'ListOffsets',
      3: 'Metadata',
      4: 'LeaderAndIsr',
      5: 'StopReplica',
      6: 'UpdateMetadata',
      7: 'ControlledShutdown',
      8: 'OffsetCommit',
      18: 'ApiVersions',
      19: 'CreateTopics',
      36: 'SaslAuthenticate',
      68: 'ConsumerGroupHeartbeat',
      74: 'ListConfigResources',
      75: 'DescribeTopicPartitions',
      92: 'DeleteShareGroupOffsets',
    };
    for (const [key, name] of Object.entries(known)) expect(apiName(Number(key))).toBe(name);
    expect(ApiKey.ApiVersions).toBe(18);
  });

  it('round-trips every key through its name', () => {
    for (const [name, key] of Object.entries(ApiKey)) expect(apiName(key)).toBe(name);
  });

  it('returns undefined for keys Kafka does not define', () => {
    expect(apiName(-1)).toBeUndefined();
    expect(apiName(93)).toBeUndefined();
    expect(apiName(1.5)).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ApiKey)).toBe(true);
  });
});
