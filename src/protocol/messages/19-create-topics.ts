import { array, bool, int16, int32, int8, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * CreateTopics (key 19). Kafka 4.1 supports v2 and later; v0-1 follow Kafka 3.9.
 * v1: validateOnly; per-topic error message in the response.
 * v2: throttle time in the response.
 * v3: no schema change.
 * v4: partitions and replication factor may be -1 to take the broker's defaults (KIP-464).
 * v5: flexible versions; the response returns the partition count, replication factor and configs the
 *     topic was created with, and a tagged config error code (KIP-525).
 * v6: no schema change; may answer THROTTLING_QUOTA_EXCEEDED (KIP-599).
 * v7: topic id in the response (KIP-516).
 */
export const CreateTopics = api({
  apiKey: 19,
  name: 'CreateTopics',
  validVersions: '0-7',
  flexibleVersions: '5+',
  request: [
    array('topics', '0+', [
      string('name', '0+'),
      int32('numPartitions', '0+'),
      int16('replicationFactor', '0+'),
      array('assignments', '0+', [int32('partitionIndex', '0+'), array('brokerIds', '0+', 'int32')]),
      array('configs', '0+', [string('name', '0+'), string('value', '0+', { nullable: '0+' })]),
    ]),
    int32('timeoutMs', '0+', { default: 60000 }),
    bool('validateOnly', '1+'),
  ],
  response: [
    int32('throttleTimeMs', '2+'),
    array('topics', '0+', [
      string('name', '0+'),
      uuid('topicId', '7+'),
      int16('errorCode', '0+'),
      string('errorMessage', '1+', { nullable: '0+' }),
      int16('topicConfigErrorCode', '5+', { tag: 0, tagged: '5+' }),
      int32('numPartitions', '5+', { default: -1 }),
      int16('replicationFactor', '5+', { default: -1 }),
      array(
        'configs',
        '5+',
        [
          string('name', '5+'),
          string('value', '5+', { nullable: '5+' }),
          bool('readOnly', '5+'),
          int8('configSource', '5+', { default: -1 }),
          bool('isSensitive', '5+'),
        ],
        { nullable: '5+' },
      ),
    ]),
  ],
});
