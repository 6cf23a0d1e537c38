import { array, bool, int16, int32, int8, string, struct, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ConsumerGroupDescribe (key 69): state, members and assignments of KIP-848 consumer groups.
 * v1: each member reports whether it is a classic or a consumer member (KIP-1099).
 */
const TopicPartitions = [uuid('topicId', '0+'), string('topicName', '0+'), array('partitions', '0+', 'int32')] as const;

const Assignment = [array('topicPartitions', '0+', TopicPartitions)] as const;

export const ConsumerGroupDescribe = api({
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: [array('groupIds', '0+', 'string'), bool('includeAuthorizedOperations', '0+')],
  response: [
    int32('throttleTimeMs', '0+'),
    array('groups', '0+', [
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+', default: null }),
      string('groupId', '0+'),
      string('groupState', '0+'),
      int32('groupEpoch', '0+'),
      int32('assignmentEpoch', '0+'),
      string('assignorName', '0+'),
      array('members', '0+', [
        string('memberId', '0+'),
        string('instanceId', '0+', { nullable: '0+', default: null }),
        string('rackId', '0+', { nullable: '0+', default: null }),
        int32('memberEpoch', '0+'),
        string('clientId', '0+'),
        string('clientHost', '0+'),
        array('subscribedTopicNames', '0+', 'string'),
        string('subscribedTopicRegex', '0+', { nullable: '0+', default: null }),
        struct('assignment', '0+', Assignment),
        struct('targetAssignment', '0+', Assignment),
        int8('memberType', '1+', { default: -1 }),
      ]),
      int32('authorizedOperations', '0+', { default: -2147483648 }),
    ]),
  ],
});
