import { array, int16, int32, int64, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * OffsetCommit (key 8): a consumer stores its committed offsets with the group coordinator.
 * v1: generation id and member id, plus a per-partition commit timestamp.
 * v2: the commit timestamp gives way to a request-wide retention time. v3: throttle time in the response.
 * v4: throttling is applied after the response is sent. v5: retention time is gone (broker config only).
 * v6: committed leader epoch per partition. v7: group instance id (static membership). v8: flexible.
 * v9: the generation field also carries a KIP-848 member epoch; new STALE_MEMBER_EPOCH and GROUP_ID_NOT_FOUND errors.
 * v10: topics are named by topic id instead of name (unstable in Kafka 4.1). Versions 0-1 exist only in Kafka 3.9.
 */
export const OffsetCommit = api({
  apiKey: 8,
  name: 'OffsetCommit',
  validVersions: '0-10',
  flexibleVersions: '8+',
  request: [
    string('groupId', '0+'),
    int32('generationIdOrMemberEpoch', '1+', { default: -1 }),
    string('memberId', '1+'),
    string('groupInstanceId', '7+', { nullable: '7+', default: null }),
    int64('retentionTimeMs', '2-4', { default: -1 }),
    array('topics', '0+', [
      string('name', '0-9'),
      uuid('topicId', '10+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int64('committedOffset', '0+'),
        int32('committedLeaderEpoch', '6+', { default: -1 }),
        int64('commitTimestamp', '1', { default: -1 }),
        string('committedMetadata', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '3+'),
    array('topics', '0+', [
      string('name', '0-9'),
      uuid('topicId', '10+'),
      array('partitions', '0+', [int32('partitionIndex', '0+'), int16('errorCode', '0+')]),
    ]),
  ],
});
