import { describe, expect, it } from 'vitest';
import { readKey } from '../records.js';
import { decodeConsumerGroupRecord, encodeConsumerGroupRecord, type ConsumerGroupRecord } from './records.js';

const TOPIC_ID = 'AsU00CGFTSuf8DWJONAMBg';

function roundTrip(r: ConsumerGroupRecord): ConsumerGroupRecord | null {
  const { key, value } = encodeConsumerGroupRecord(r);
  const k = readKey(key);
  if (k.type !== 'consumer') throw new Error(`not a consumer record: ${k.type}`);
  return decodeConsumerGroupRecord(k.version, k.key, value);
}

describe('consumer group records (Kafka 4 formats)', () => {
  it.each<ConsumerGroupRecord>([
    { type: 'groupMetadata', group: 'g', value: { epoch: 7 } },
    { type: 'groupMetadata', group: 'g', value: null },
    { type: 'targetAssignmentMetadata', group: 'g', value: { assignmentEpoch: 6 } },
    {
      type: 'memberMetadata',
      group: 'g',
      memberId: 'm',
      value: {
        instanceId: 'i',
        rackId: null,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        subscribedTopicNames: ['a', 'b'],
        subscribedTopicRegex: null,
        rebalanceTimeoutMs: 300000,
        serverAssignor: 'range',
      },
    },
    { type: 'memberMetadata', group: 'g', memberId: 'm', value: null },
    { type: 'targetAssignmentMember', group: 'g', memberId: 'm', value: [{ topicId: TOPIC_ID, partitions: [0, 2] }] },
    {
      type: 'currentMemberAssignment',
      group: 'g',
      memberId: 'm',
      value: {
        memberEpoch: 3,
        previousMemberEpoch: 2,
        state: 1,
        assignedPartitions: [{ topicId: TOPIC_ID, partitions: [0] }],
        partitionsPendingRevocation: [{ topicId: TOPIC_ID, partitions: [1] }],
      },
    },
  ])('$type round-trips', (r) => {
    expect(roundTrip(r)).toEqual(r);
  });

  it('writes the key version as the record type and value version 0 (flexible)', () => {
    const { key, value } = encodeConsumerGroupRecord({ type: 'groupMetadata', group: 'g', value: { epoch: 1 } });
    // int16 3, then a classic string "g".
    expect(key.toString('hex')).toBe('0003' + '0001' + '67');
    // int16 0, int32 epoch 1, then an empty tagged-field section.
    expect(value!.toString('hex')).toBe('0000' + '00000001' + '00');
  });

  it('skips key 4 (deprecated partition metadata)', () => {
    const key = Buffer.from('0004000167', 'hex');
    const k = readKey(key);
    expect(k.type).toBe('consumer');
    if (k.type === 'consumer') expect(decodeConsumerGroupRecord(k.version, k.key, null)).toBeNull();
    expect(readKey(Buffer.from('0009000167', 'hex')).type).toBe('other');
  });
});
