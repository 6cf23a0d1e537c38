import { array, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * LeaveGroup (key 13): members leave a classic group.
 * v1: throttle time. v2: throttling is applied after the response is sent.
 * v3: a batch of members, each with member id and group instance id, answered per member.
 * v4: flexible. v5: a free-text reason per member (KIP-800).
 */
export const LeaveGroup = api({
  apiKey: 13,
  name: 'LeaveGroup',
  validVersions: '0-5',
  flexibleVersions: '4+',
  request: [
    string('groupId', '0+'),
    string('memberId', '0-2'),
    array('members', '3+', [
      string('memberId', '3+'),
      string('groupInstanceId', '3+', { nullable: '3+', default: null }),
      string('reason', '5+', { nullable: '5+', default: null }),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '1+'),
    int16('errorCode', '0+'),
    array('members', '3+', [
      string('memberId', '3+'),
      string('groupInstanceId', '3+', { nullable: '3+' }),
      int16('errorCode', '3+'),
    ]),
  ],
});
