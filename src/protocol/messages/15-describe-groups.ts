import { array, bool, bytes, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeGroups (key 15): state, protocol and members of classic groups.
 * v1: throttle time. v2: throttling is applied after the response is sent.
 * v3: authorized operations on request. v4: group instance id per member. v5: flexible.
 * v6: an unknown group answers GROUP_ID_NOT_FOUND, with an error message (KIP-1043).
 */
export const DescribeGroups = api({
  apiKey: 15,
  name: 'DescribeGroups',
  validVersions: '0-6',
  flexibleVersions: '5+',
  request: [array('groups', '0+', 'string'), bool('includeAuthorizedOperations', '3+')],
  response: [
    int32('throttleTimeMs', '1+'),
    array('groups', '0+', [
      int16('errorCode', '0+'),
      string('errorMessage', '6+', { nullable: '6+', default: null }),
      string('groupId', '0+'),
      string('groupState', '0+'),
      string('protocolType', '0+'),
      string('protocolData', '0+'),
      array('members', '0+', [
        string('memberId', '0+'),
        string('groupInstanceId', '4+', { nullable: '4+', default: null }),
        string('clientId', '0+'),
        string('clientHost', '0+'),
        bytes('memberMetadata', '0+'),
        bytes('memberAssignment', '0+'),
      ]),
      int32('authorizedOperations', '3+', { default: -2147483648 }),
    ]),
  ],
});
