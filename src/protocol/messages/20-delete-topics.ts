import { array, int16, int32, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DeleteTopics (key 20). Kafka 4.1 supports v1 and later; v0 follows Kafka 3.9.
 * v1: throttle time in the response.
 * v2, v3: no schema change.
 * v4: flexible versions.
 * v5: per-topic error message; may answer THROTTLING_QUOTA_EXCEEDED (KIP-599).
 * v6: topics named by name or by topic id (KIP-516); topic id in the response.
 */
export const DeleteTopics = api({
  apiKey: 20,
  name: 'DeleteTopics',
  validVersions: '0-6',
  flexibleVersions: '4+',
  request: [
    array('topics', '6+', [string('name', '6+', { nullable: '6+', default: null }), uuid('topicId', '6+')]),
    array('topicNames', '0-5', 'string'),
    int32('timeoutMs', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '1+'),
    array('responses', '0+', [
      string('name', '0+', { nullable: '6+' }),
      uuid('topicId', '6+'),
      int16('errorCode', '0+'),
      string('errorMessage', '5+', { nullable: '5+', default: null }),
    ]),
  ],
});
