import { array, bool, int16, int32, int64, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * OffsetFetch (key 9): a consumer reads back its group's committed offsets.
 * v0 read offsets kept in ZooKeeper; v1 reads them from __consumer_offsets (Kafka 4.1 dropped v0).
 * v2: a null topic list asks for every topic, and the response gains a group-level error code.
 * v3: throttle time. v4: throttling is applied after the response is sent. v5: committed leader epoch.
 * v6: flexible. v7: the require-stable flag (pending transactional commits answer UNSTABLE_OFFSET_COMMIT).
 * v8: many groups in one request, with results per group. v9: member id and epoch for KIP-848 consumers.
 * v10: topics are named by topic id instead of name (unstable in Kafka 4.1).
 */
export const OffsetFetch = api({
  apiKey: 9,
  name: 'OffsetFetch',
  validVersions: '0-10',
  flexibleVersions: '6+',
  request: [
    string('groupId', '0-7'),
    array('topics', '0-7', [string('name', '0-7'), array('partitionIndexes', '0-7', 'int32')], { nullable: '2-7' }),
    array('groups', '8+', [
      string('groupId', '8+'),
      string('memberId', '9+', { nullable: '9+', default: null }),
      int32('memberEpoch', '9+', { default: -1 }),
      array('topics', '8+', [string('name', '8-9'), uuid('topicId', '10+'), array('partitionIndexes', '8+', 'int32')], {
        nullable: '8+',
      }),
    ]),
    bool('requireStable', '7+'),
  ],
  response: [
    int32('throttleTimeMs', '3+'),
    array('topics', '0-7', [
      string('name', '0-7'),
      array('partitions', '0-7', [
        int32('partitionIndex', '0-7'),
        int64('committedOffset', '0-7'),
        int32('committedLeaderEpoch', '5-7', { default: -1 }),
        string('metadata', '0-7', { nullable: '0-7' }),
        int16('errorCode', '0-7'),
      ]),
    ]),
    int16('errorCode', '2-7'),
    array('groups', '8+', [
      string('groupId', '8+'),
      array('topics', '8+', [
        string('name', '8-9'),
        uuid('topicId', '10+'),
        array('partitions', '8+', [
          int32('partitionIndex', '8+'),
          int64('committedOffset', '8+'),
          int32('committedLeaderEpoch', '8+', { default: -1 }),
          string('metadata', '8+', { nullable: '8+' }),
          int16('errorCode', '8+'),
        ]),
      ]),
      int16('errorCode', '8+'),
    ]),
  ],
});
