import { describe, expect, it } from 'vitest';
import { emptyLoad, replayRecord } from './group-loader.js';
import { javaStringHashCode, partitionFor } from './group-partition.js';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  readGroupMetadataValue,
  readKey,
  readOffsetCommitValue,
} from './records.js';
import { subscribedTopics } from './consumer-protocol.js';
import { subscription } from './testing.js';

describe('__consumer_offsets record formats', () => {
  it('writes OffsetCommitKey v1 and OffsetCommitValue v3 byte for byte', () => {
    expect(offsetCommitKey('g', 't', 2).toString('hex')).toBe(
      '0001' + '0001' + '67' + '0001' + '74' + '00000002', // version, group "g", topic "t", partition 2
    );
    const value = offsetCommitValue({
      offset: 5,
      leaderEpoch: 3,
      metadata: 'm',
      commitTimestamp: 1000,
      expireTimestamp: -1,
    });
    expect(value.toString('hex')).toBe('0003' + '0000000000000005' + '00000003' + '0001' + '6d' + '00000000000003e8');
    expect(readOffsetCommitValue(value)).toEqual({
      offset: 5,
      leaderEpoch: 3,
      metadata: 'm',
      commitTimestamp: 1000,
      expireTimestamp: -1,
    });
  });

  it('writes OffsetCommitValue v1 for commits with an expire timestamp', () => {
    const value = offsetCommitValue({
      offset: 1,
      leaderEpoch: -1,
      metadata: '',
      commitTimestamp: 10,
      expireTimestamp: 20,
    });
    expect(value.readInt16BE(0)).toBe(1);
    expect(readOffsetCommitValue(value)).toMatchObject({ offset: 1, commitTimestamp: 10, expireTimestamp: 20 });
  });

  it('reads OffsetCommitValue v0 and the flexible v4', () => {
    const v0 = Buffer.from('0000' + '0000000000000007' + '0000' + '0000000000000009', 'hex');
    expect(readOffsetCommitValue(v0)).toMatchObject({ offset: 7, leaderEpoch: -1, metadata: '', commitTimestamp: 9 });
    // v4: offset, leaderEpoch, compact string "ab" (length+1 = 3), commitTimestamp, no tagged fields.
    const v4 = Buffer.from('0004' + '0000000000000007' + 'ffffffff' + '03' + '6162' + '0000000000000009' + '00', 'hex');
    expect(readOffsetCommitValue(v4)).toMatchObject({ offset: 7, leaderEpoch: -1, metadata: 'ab', commitTimestamp: 9 });
  });

  it('round-trips GroupMetadataKey v2 and GroupMetadataValue v3, and reads v0', () => {
    expect(groupMetadataKey('g').toString('hex')).toBe('0002' + '0001' + '67');
    expect(readKey(groupMetadataKey('g'))).toEqual({ type: 'group', group: 'g' });
    const value = {
      protocolType: 'consumer',
      generation: 4,
      protocol: 'range',
      leader: 'm1',
      currentStateTimestamp: 123,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: 'i1',
          clientId: 'c',
          clientHost: '/127.0.0.1',
          rebalanceTimeout: 300000,
          sessionTimeout: 10000,
          subscription: Buffer.from('s'),
          assignment: Buffer.from('a'),
        },
      ],
    };
    const bytes = groupMetadataValue(value);
    expect(bytes.readInt16BE(0)).toBe(3);
    expect(readGroupMetadataValue(bytes)).toMatchObject({
      ...value,
      members: [expect.objectContaining({ memberId: 'm1' })],
    });
    // v0: no rebalance timeout (read as the session timeout), no state timestamp, no instance id.
    const v0 = Buffer.concat([
      Buffer.from('0000' + '0001' + '63' + '00000001' + '0001' + '72' + '0001' + '6d', 'hex'),
      Buffer.from(
        '00000001' + '0001' + '6d' + '0001' + '63' + '0001' + '68' + '00002710' + '00000000' + '00000000',
        'hex',
      ),
    ]);
    expect(readGroupMetadataValue(v0)).toMatchObject({
      protocolType: 'c',
      generation: 1,
      protocol: 'r',
      leader: 'm',
      currentStateTimestamp: -1,
      members: [
        {
          memberId: 'm',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: 'h',
          sessionTimeout: 10000,
          rebalanceTimeout: 10000,
        },
      ],
    });
  });

  it('replays the log: last value wins, tombstones remove, unknown keys are skipped', () => {
    const into = emptyLoad();
    const v = (offset: number) =>
      offsetCommitValue({ offset, leaderEpoch: -1, metadata: '', commitTimestamp: 0, expireTimestamp: -1 });
    replayRecord(into, offsetCommitKey('g', 't', 0), v(1));
    replayRecord(into, offsetCommitKey('g', 't', 0), v(2));
    replayRecord(into, offsetCommitKey('g', 't', 1), v(3));
    replayRecord(into, offsetCommitKey('g', 't', 1), null);
    replayRecord(into, Buffer.from('0003000167', 'hex'), Buffer.from('00', 'hex')); // a KIP-848 record
    expect(replayRecord(into, Buffer.from('01', 'hex'), null)).toBe(false);
    expect(replayRecord(into, null, null)).toBe(false);
    expect([...into.offsets.get('g')!.get('t')!.entries()].map(([p, o]) => [p, o.offset])).toEqual([[0, 2]]);
  });
});

describe('group placement', () => {
  it("matches Java's String.hashCode and Kafka's Utils.abs", () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('my-group')).toBe(-1906497762);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(partitionFor('my-group', 50)).toBe(12);
    expect(partitionFor('polygenelubricants', 50)).toBe(0); // Utils.abs(MIN_VALUE) is 0
    expect(partitionFor('console-consumer-12345', 50)).toBe(6);
    expect(javaStringHashCode('\u{1F600}')).toBe(0xd83d * 31 + 0xde00); // UTF-16 code units
  });

  it('reads the subscribed topics of a consumer subscription', () => {
    expect(subscribedTopics(subscription('a', 'b'))).toEqual(['a', 'b']);
    expect(subscribedTopics(Buffer.from('00', 'hex'))).toBeNull();
  });
});
