import { array, bool, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * CreatePartitions (key 37): raise the partition count of existing topics.
 * v1: no schema change; throttling is applied after the response (KIP-219).
 * v2: flexible versions.
 * v3: no schema change; may answer THROTTLING_QUOTA_EXCEEDED (KIP-599).
 */
export const CreatePartitions = api({
  apiKey: 37,
  name: 'CreatePartitions',
  validVersions: '0-3',
  flexibleVersions: '2+',
  request: [
    array('topics', '0+', [
      string('name', '0+'),
      int32('count', '0+'),
      array('assignments', '0+', [array('brokerIds', '0+', 'int32')], { nullable: '0+' }),
    ]),
    int32('timeoutMs', '0+'),
    bool('validateOnly', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('results', '0+', [
      string('name', '0+'),
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+', default: null }),
    ]),
  ],
});
