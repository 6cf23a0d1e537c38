/**
 * The records of `__consumer_offsets`, in Kafka's own key and value formats (group-coordinator's
 * common/message/*.json), so Kafka's tools (kafka-console-consumer with the OffsetsMessageFormatter,
 * kafka-dump-log --offsets-decoder) read our topic and we read one written by Kafka.
 *
 * Every key and value starts with an int16 schema version, followed by the fields of that version:
 *
 * | key version | record                                   | value versions                             |
 * | ----------- | ---------------------------------------- | ------------------------------------------ |
 * | 0, 1        | OffsetCommitKey: group, topic, partition | OffsetCommitValue 0-4 (4 is flexible)      |
 * | 2           | GroupMetadataKey: group                  | GroupMetadataValue 0-4 (4 is flexible)     |
 * | 3-8         | KIP-848 consumer group records           | consumer/records.ts                        |
 * | 9+          | regex, streams and share group records   | skipped                                    |
 *
 * A null value is a tombstone: the offset, or the whole group's metadata, was deleted. We write
 * OffsetCommitKey v1 with OffsetCommitValue v3 (v1 when the commit carries an expire timestamp, from
 * OffsetCommit v2-4's retention time) and GroupMetadataKey v2 with GroupMetadataValue v3, as Kafka
 * 3.x does.
 */
import { Reader } from '../../protocol/primitives/reader.js';
import { Writer } from '../../protocol/primitives/writer.js';
import { compileCodec, type Codec } from '../../protocol/schema/compile.js';
import { array, bytes, int32, int64, string, type StructOf, type AnyField } from '../../protocol/schema/fields.js';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
const OFFSET_COMMIT_VALUE_VERSION = 3;
const OFFSET_COMMIT_VALUE_WITH_EXPIRY = 1;
const GROUP_METADATA_VALUE_VERSION = 3;

const OffsetCommitKeyFields = [string('group', '0+'), string('topic', '0+'), int32('partition', '0+')] as const;
const GroupMetadataKeyFields = [string('group', '0+')] as const;

const OffsetCommitValueFields = [
  int64('offset', '0+'),
  int32('leaderEpoch', '3+', { default: -1 }),
  string('metadata', '0+'),
  int64('commitTimestamp', '0+'),
  int64('expireTimestamp', '1', { default: -1 }),
] as const;

const MemberMetadataFields = [
  string('memberId', '0+'),
  string('groupInstanceId', '3+', { nullable: '3+', default: null }),
  string('clientId', '0+'),
  string('clientHost', '0+'),
  int32('rebalanceTimeout', '1+', { default: -1 }),
  int32('sessionTimeout', '0+'),
  bytes('subscription', '0+'),
  bytes('assignment', '0+'),
] as const;

const GroupMetadataValueFields = [
  string('protocolType', '0+'),
  int32('generation', '0+'),
  string('protocol', '0+', { nullable: '0+' }),
  string('leader', '0+', { nullable: '0+' }),
  int64('currentStateTimestamp', '2+', { default: -1 }),
  array('members', '0+', MemberMetadataFields),
] as const;

export type OffsetCommitValue = StructOf<typeof OffsetCommitValueFields>;
export type GroupMetadataValue = StructOf<typeof GroupMetadataValueFields>;
export type GroupMemberValue = StructOf<typeof MemberMetadataFields>;

/** Codecs by schema version, compiled once on first use. Value version 4 is the first flexible one. */
function codecs<F extends readonly AnyField[]>(fields: F, versions: number, flexibleFrom: number) {
  const compiled: Codec<StructOf<F>>[] = [];
  return (version: number): Codec<StructOf<F>> => {
    if (version < 0 || version >= versions) throw new RangeError(`unknown record version ${version}`);
    return (compiled[version] ??= compileCodec<StructOf<F>>(fields, version, version >= flexibleFrom));
  };
}

const offsetKeyCodec = codecs(OffsetCommitKeyFields, 2, 99);
const groupKeyCodec = codecs(GroupMetadataKeyFields, 3, 99);
const offsetValueCodec = codecs(OffsetCommitValueFields, 5, 4);
const groupValueCodec = codecs(GroupMetadataValueFields, 5, 4);

function encode<T>(version: number, codec: Codec<T>, value: T): Buffer {
  const w = Writer.alloc(2 + codec.size(value));
  w.writeInt16(version);
  codec.write(w, value);
  return w.buf;
}

export function offsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return encode(OFFSET_COMMIT_KEY_VERSION, offsetKeyCodec(OFFSET_COMMIT_KEY_VERSION), { group, topic, partition });
}

export function groupMetadataKey(group: string): Buffer {
  return encode(GROUP_METADATA_KEY_VERSION, groupKeyCodec(GROUP_METADATA_KEY_VERSION), { group });
}

/** What a committed offset holds, as the coordinator keeps it (Kafka's OffsetAndMetadata). */
export interface OffsetAndMetadata {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** Only from OffsetCommit v2-4 with an explicit retention time; -1 otherwise. */
  readonly expireTimestamp: number;
}

export function offsetCommitValue(o: OffsetAndMetadata): Buffer {
  const version = o.expireTimestamp >= 0 ? OFFSET_COMMIT_VALUE_WITH_EXPIRY : OFFSET_COMMIT_VALUE_VERSION;
  return encode(version, offsetValueCodec(version), { ...o, _unknownTaggedFields: null });
}

export function groupMetadataValue(v: Omit<GroupMetadataValue, '_unknownTaggedFields'>): Buffer {
  return encode(GROUP_METADATA_VALUE_VERSION, groupValueCodec(GROUP_METADATA_VALUE_VERSION), v as GroupMetadataValue);
}

export type CoordinatorKey =
  | { readonly type: 'offset'; readonly group: string; readonly topic: string; readonly partition: number }
  | { readonly type: 'group'; readonly group: string }
  /** A KIP-848 consumer group record (key versions 3-8): `key` is positioned after the version. */
  | { readonly type: 'consumer'; readonly version: number; readonly key: Reader }
  /** A record of a newer group type (regular expressions, share and streams groups): skipped. */
  | { readonly type: 'other'; readonly version: number };

/** Reads a key; throws a DecodeError (or RangeError) on bytes that are not a key we know. */
export function readKey(key: Buffer): CoordinatorKey {
  const r = new Reader(key);
  const version = r.readInt16();
  if (version === 0 || version === 1) {
    const k = offsetKeyCodec(version).read(r);
    return { type: 'offset', group: k.group, topic: k.topic, partition: k.partition };
  }
  if (version === GROUP_METADATA_KEY_VERSION) return { type: 'group', group: groupKeyCodec(version).read(r).group };
  if (version >= 3 && version <= 8) return { type: 'consumer', version, key: r };
  return { type: 'other', version };
}

export function readOffsetCommitValue(value: Buffer): OffsetAndMetadata {
  const r = new Reader(value);
  const v = offsetValueCodec(r.readInt16()).read(r);
  return {
    offset: v.offset,
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: v.commitTimestamp,
    expireTimestamp: v.expireTimestamp,
  };
}

export function readGroupMetadataValue(value: Buffer): GroupMetadataValue {
  const r = new Reader(value);
  const version = r.readInt16();
  const v = groupValueCodec(version).read(r);
  // v0 had no rebalance timeout: Kafka reads it as the session timeout.
  if (version === 0) return { ...v, members: v.members.map((m) => ({ ...m, rebalanceTimeout: m.sessionTimeout })) };
  return v;
}
