import { array, bool, int16, int32, string, struct, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeTopicPartitions (key 75): topic and partition metadata with paging by a cursor and the
 * eligible leader replicas of each partition (KIP-966). One version, flexible.
 */
export const DescribeTopicPartitions = api({
  apiKey: 75,
  name: 'DescribeTopicPartitions',
  validVersions: '0',
  flexibleVersions: '0+',
  request: [
    array('topics', '0+', [string('name', '0+')]),
    int32('responsePartitionLimit', '0+', { default: 2000 }),
    struct('cursor', '0+', [string('topicName', '0+'), int32('partitionIndex', '0+')], {
      nullable: '0+',
      default: null,
    }),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('topics', '0+', [
      int16('errorCode', '0+'),
      string('name', '0+', { nullable: '0+' }),
      uuid('topicId', '0+'),
      bool('isInternal', '0+'),
      array('partitions', '0+', [
        int16('errorCode', '0+'),
        int32('partitionIndex', '0+'),
        int32('leaderId', '0+'),
        int32('leaderEpoch', '0+', { default: -1 }),
        array('replicaNodes', '0+', 'int32'),
        array('isrNodes', '0+', 'int32'),
        array('eligibleLeaderReplicas', '0+', 'int32', { nullable: '0+', default: null }),
        array('lastKnownElr', '0+', 'int32', { nullable: '0+', default: null }),
        array('offlineReplicas', '0+', 'int32'),
      ]),
      int32('topicAuthorizedOperations', '0+', { default: -2147483648 }),
    ]),
    struct('nextCursor', '0+', [string('topicName', '0+'), int32('partitionIndex', '0+')], {
      nullable: '0+',
      default: null,
    }),
  ],
});
