import { int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * Heartbeat (key 12): a classic group member tells the coordinator it is alive.
 * v1: throttle time. v2: throttling is applied after the response is sent.
 * v3: group instance id (static membership). v4: flexible.
 */
export const Heartbeat = api({
  apiKey: 12,
  name: 'Heartbeat',
  validVersions: '0-4',
  flexibleVersions: '4+',
  request: [
    string('groupId', '0+'),
    int32('generationId', '0+'),
    string('memberId', '0+'),
    string('groupInstanceId', '3+', { nullable: '3+', default: null }),
  ],
  response: [int32('throttleTimeMs', '1+'), int16('errorCode', '0+')],
});
