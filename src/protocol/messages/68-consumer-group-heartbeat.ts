import { array, int16, int32, string, struct, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ConsumerGroupHeartbeat (key 68): the single call of the KIP-848 consumer protocol: join, heartbeat,
 * report owned partitions and receive the assignment. v0 is the first version.
 * v1: subscription by regular expression, and the consumer creates its own member id (KIP-1082).
 */
const TopicPartitions = [uuid('topicId', '0+'), array('partitions', '0+', 'int32')] as const;

export const ConsumerGroupHeartbeat = api({
  apiKey: 68,
  name: 'ConsumerGroupHeartbeat',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: [
    string('groupId', '0+'),
    string('memberId', '0+'),
    int32('memberEpoch', '0+'),
    string('instanceId', '0+', { nullable: '0+', default: null }),
    string('rackId', '0+', { nullable: '0+', default: null }),
    int32('rebalanceTimeoutMs', '0+', { default: -1 }),
    array('subscribedTopicNames', '0+', 'string', { nullable: '0+', default: null }),
    string('subscribedTopicRegex', '1+', { nullable: '1+', default: null }),
    string('serverAssignor', '0+', { nullable: '0+', default: null }),
    array('topicPartitions', '0+', [uuid('topicId', '0+'), array('partitions', '0+', 'int32')], {
      nullable: '0+',
      default: null,
    }),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+', default: null }),
    string('memberId', '0+', { nullable: '0+', default: null }),
    int32('memberEpoch', '0+'),
    int32('heartbeatIntervalMs', '0+'),
    struct('assignment', '0+', [array('topicPartitions', '0+', TopicPartitions)], { nullable: '0+', default: null }),
  ],
});
