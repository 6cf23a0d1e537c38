/**
 * The `__consumer_offsets` records of KIP-848 consumer groups, in Kafka 4's formats
 * (group-coordinator's common/message/ConsumerGroup*.json), so a log written here loads in Kafka 4
 * and one written by Kafka 4 loads here.
 *
 * A key's int16 version is its record type; keys are not flexible. Every value starts with int16 0 and
 * is flexible (compact strings and arrays, tagged fields). A null value is a tombstone.
 *
 * | key | record                         | key fields        | value (v0)                                                      |
 * | --- | ------------------------------ | ----------------- | --------------------------------------------------------------- |
 * | 3   | ConsumerGroupMetadata          | group             | epoch int32 (tag 0: metadataHash int64, not written)            |
 * | 4   | ConsumerGroupPartitionMetadata | group             | deprecated in Kafka 4.1: skipped on load, never written         |
 * | 5   | ConsumerGroupMemberMetadata    | group, memberId   | instanceId?, rackId?, clientId, clientHost, subscribedTopicNames |
 * |     |                                |                   | [string], subscribedTopicRegex?, rebalanceTimeoutMs int32,      |
 * |     |                                |                   | serverAssignor? (tag 0: classic member metadata, not written)    |
 * | 6   | ConsumerGroupTargetAssignmentMetadata | group      | assignmentEpoch int32                                           |
 * | 7   | ConsumerGroupTargetAssignmentMember   | group, memberId | topicPartitions [topicId uuid, partitions [int32]]            |
 * | 8   | ConsumerGroupCurrentMemberAssignment  | group, memberId | memberEpoch, previousMemberEpoch int32, state int8,          |
 * |     |                                |                   | assignedPartitions, partitionsPendingRevocation [topicId, [int32]] |
 *
 * Keys 9+ (regular expressions, share and streams groups) are skipped on load.
 */
import { Reader } from '../../../protocol/primitives/reader.js';
import { Writer } from '../../../protocol/primitives/writer.js';
import { compileCodec, type Codec } from '../../../protocol/schema/compile.js';
import { array, int32, int8, string, uuid, type AnyField, type StructOf } from '../../../protocol/schema/fields.js';

export const CONSUMER_GROUP_METADATA = 3;
export const CONSUMER_GROUP_PARTITION_METADATA = 4;
export const CONSUMER_GROUP_MEMBER_METADATA = 5;
export const CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA = 6;
export const CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER = 7;
export const CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT = 8;

const TopicPartitions = [uuid('topicId', '0+'), array('partitions', '0+', 'int32')] as const;

const GroupKey = [string('group', '0+')] as const;
const MemberKey = [string('group', '0+'), string('memberId', '0+')] as const;

const GroupMetadataValue = [int32('epoch', '0+')] as const;
const MemberMetadataValue = [
  string('instanceId', '0+', { nullable: '0+' }),
  string('rackId', '0+', { nullable: '0+' }),
  string('clientId', '0+'),
  string('clientHost', '0+'),
  array('subscribedTopicNames', '0+', 'string'),
  string('subscribedTopicRegex', '0+', { nullable: '0+' }),
  int32('rebalanceTimeoutMs', '0+', { default: -1 }),
  string('serverAssignor', '0+', { nullable: '0+' }),
] as const;
const TargetAssignmentMetadataValue = [int32('assignmentEpoch', '0+')] as const;
const TargetAssignmentMemberValue = [array('topicPartitions', '0+', TopicPartitions)] as const;
const CurrentMemberAssignmentValue = [
  int32('memberEpoch', '0+'),
  int32('previousMemberEpoch', '0+'),
  int8('state', '0+'),
  array('assignedPartitions', '0+', TopicPartitions),
  array('partitionsPendingRevocation', '0+', TopicPartitions),
] as const;

export type MemberMetadataRecord = Omit<StructOf<typeof MemberMetadataValue>, '_unknownTaggedFields'>;
export type TopicPartitionsRecord = { readonly topicId: string; readonly partitions: readonly number[] };
export type CurrentAssignmentRecord = {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: number;
  readonly assignedPartitions: readonly TopicPartitionsRecord[];
  readonly partitionsPendingRevocation: readonly TopicPartitionsRecord[];
};

function lazy<F extends readonly AnyField[]>(fields: F, flexible: boolean): () => Codec<StructOf<F>> {
  let codec: Codec<StructOf<F>> | undefined;
  return () => (codec ??= compileCodec<StructOf<F>>(fields, 0, flexible));
}

const groupKey = lazy(GroupKey, false);
const memberKey = lazy(MemberKey, false);
const groupValue = lazy(GroupMetadataValue, true);
const memberValue = lazy(MemberMetadataValue, true);
const targetMetaValue = lazy(TargetAssignmentMetadataValue, true);
const targetMemberValue = lazy(TargetAssignmentMemberValue, true);
const currentValue = lazy(CurrentMemberAssignmentValue, true);

function encode<T>(version: number, codec: Codec<T>, value: T): Buffer {
  const w = Writer.alloc(2 + codec.size(value));
  w.writeInt16(version);
  codec.write(w, value);
  return w.buf;
}

function withTags<T extends object>(v: T): T & { _unknownTaggedFields: null } {
  return { ...v, _unknownTaggedFields: null };
}

/** One consumer-group record as the coordinator writes and replays it; `value` null is a tombstone. */
export type ConsumerGroupRecord =
  | { readonly type: 'groupMetadata'; readonly group: string; readonly value: { epoch: number } | null }
  | {
      readonly type: 'memberMetadata';
      readonly group: string;
      readonly memberId: string;
      readonly value: MemberMetadataRecord | null;
    }
  | {
      readonly type: 'targetAssignmentMetadata';
      readonly group: string;
      readonly value: { assignmentEpoch: number } | null;
    }
  | {
      readonly type: 'targetAssignmentMember';
      readonly group: string;
      readonly memberId: string;
      readonly value: readonly TopicPartitionsRecord[] | null;
    }
  | {
      readonly type: 'currentMemberAssignment';
      readonly group: string;
      readonly memberId: string;
      readonly value: CurrentAssignmentRecord | null;
    };

/** The key and value bytes of a record. */
export function encodeConsumerGroupRecord(r: ConsumerGroupRecord): { key: Buffer; value: Buffer | null } {
  const groupOnly = { group: r.group } as StructOf<typeof GroupKey>;
  switch (r.type) {
    case 'groupMetadata':
      return {
        key: encode(CONSUMER_GROUP_METADATA, groupKey(), groupOnly),
        value: r.value === null ? null : encode(0, groupValue(), withTags(r.value)),
      };
    case 'targetAssignmentMetadata':
      return {
        key: encode(CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA, groupKey(), groupOnly),
        value: r.value === null ? null : encode(0, targetMetaValue(), withTags(r.value)),
      };
    case 'memberMetadata':
      return {
        key: encode(CONSUMER_GROUP_MEMBER_METADATA, memberKey(), { group: r.group, memberId: r.memberId }),
        value:
          r.value === null ? null : encode(0, memberValue(), withTags(r.value) as StructOf<typeof MemberMetadataValue>),
      };
    case 'targetAssignmentMember':
      return {
        key: encode(CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER, memberKey(), { group: r.group, memberId: r.memberId }),
        value:
          r.value === null
            ? null
            : encode(0, targetMemberValue(), withTags({ topicPartitions: r.value.map((t) => withTags(t)) }) as never),
      };
    case 'currentMemberAssignment':
      return {
        key: encode(CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT, memberKey(), { group: r.group, memberId: r.memberId }),
        value:
          r.value === null
            ? null
            : encode(
                0,
                currentValue(),
                withTags({
                  ...r.value,
                  assignedPartitions: r.value.assignedPartitions.map((t) => withTags(t)),
                  partitionsPendingRevocation: r.value.partitionsPendingRevocation.map((t) => withTags(t)),
                }) as never,
              ),
      };
  }
}

/**
 * Reads a record whose key version is 3-8; null for key 4 (deprecated partition metadata). Throws on
 * bytes it cannot read.
 */
export function decodeConsumerGroupRecord(
  keyVersion: number,
  key: Reader,
  value: Buffer | null,
): ConsumerGroupRecord | null {
  const valueReader = () => {
    if (value === null) return null;
    const r = new Reader(value);
    const v = r.readInt16();
    if (v !== 0) throw new RangeError(`unknown consumer group record value version ${v}`);
    return r;
  };
  switch (keyVersion) {
    case CONSUMER_GROUP_METADATA: {
      const { group } = groupKey().read(key);
      const r = valueReader();
      return { type: 'groupMetadata', group, value: r === null ? null : { epoch: groupValue().read(r).epoch } };
    }
    case CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA: {
      const { group } = groupKey().read(key);
      const r = valueReader();
      return {
        type: 'targetAssignmentMetadata',
        group,
        value: r === null ? null : { assignmentEpoch: targetMetaValue().read(r).assignmentEpoch },
      };
    }
    case CONSUMER_GROUP_MEMBER_METADATA: {
      const { group, memberId } = memberKey().read(key);
      const r = valueReader();
      if (r === null) return { type: 'memberMetadata', group, memberId, value: null };
      const { _unknownTaggedFields, ...v } = memberValue().read(r);
      void _unknownTaggedFields;
      return { type: 'memberMetadata', group, memberId, value: v };
    }
    case CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER: {
      const { group, memberId } = memberKey().read(key);
      const r = valueReader();
      return {
        type: 'targetAssignmentMember',
        group,
        memberId,
        value: r === null ? null : targetMemberValue().read(r).topicPartitions.map(plainTopicPartitions),
      };
    }
    case CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT: {
      const { group, memberId } = memberKey().read(key);
      const r = valueReader();
      if (r === null) return { type: 'currentMemberAssignment', group, memberId, value: null };
      const v = currentValue().read(r);
      return {
        type: 'currentMemberAssignment',
        group,
        memberId,
        value: {
          memberEpoch: v.memberEpoch,
          previousMemberEpoch: v.previousMemberEpoch,
          state: v.state,
          assignedPartitions: v.assignedPartitions.map(plainTopicPartitions),
          partitionsPendingRevocation: v.partitionsPendingRevocation.map(plainTopicPartitions),
        },
      };
    }
    default:
      return null;
  }
}

function plainTopicPartitions(t: { topicId: string; partitions: readonly number[] }): TopicPartitionsRecord {
  return { topicId: t.topicId, partitions: [...t.partitions] };
}
