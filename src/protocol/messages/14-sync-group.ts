import { array, bytes, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * SyncGroup (key 14): the leader hands out assignments and every member receives its own.
 * v1: throttle time. v2: throttling is applied after the response is sent.
 * v3: group instance id (static membership). v4: flexible.
 * v5: protocol type and name travel in both directions so either side can check them (KIP-559).
 */
export const SyncGroup = api({
  apiKey: 14,
  name: 'SyncGroup',
  validVersions: '0-5',
  flexibleVersions: '4+',
  request: [
    string('groupId', '0+'),
    int32('generationId', '0+'),
    string('memberId', '0+'),
    string('groupInstanceId', '3+', { nullable: '3+', default: null }),
    string('protocolType', '5+', { nullable: '5+', default: null }),
    string('protocolName', '5+', { nullable: '5+', default: null }),
    array('assignments', '0+', [string('memberId', '0+'), bytes('assignment', '0+')]),
  ],
  response: [
    int32('throttleTimeMs', '1+'),
    int16('errorCode', '0+'),
    string('protocolType', '5+', { nullable: '5+', default: null }),
    string('protocolName', '5+', { nullable: '5+', default: null }),
    bytes('assignment', '0+'),
  ],
});
