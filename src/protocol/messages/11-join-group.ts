import { array, bool, bytes, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * JoinGroup (key 11): a member joins a classic group and, as leader, receives every member's metadata.
 * v1: rebalance timeout. v2: throttle time. v3: throttling is applied after the response is sent.
 * v4: a member without an id is told to rejoin with the id the coordinator assigned (MEMBER_ID_REQUIRED).
 * v5: group instance id (static membership). v6: flexible.
 * v7: the response names the protocol type and the protocol name may be null (KIP-559).
 * v8: a free-text reason for joining (KIP-800). v9: the response can tell the leader to skip assignment.
 */
export const JoinGroup = api({
  apiKey: 11,
  name: 'JoinGroup',
  validVersions: '0-9',
  flexibleVersions: '6+',
  request: [
    string('groupId', '0+'),
    int32('sessionTimeoutMs', '0+'),
    int32('rebalanceTimeoutMs', '1+', { default: -1 }),
    string('memberId', '0+'),
    string('groupInstanceId', '5+', { nullable: '5+', default: null }),
    string('protocolType', '0+'),
    array('protocols', '0+', [string('name', '0+'), bytes('metadata', '0+')]),
    string('reason', '8+', { nullable: '8+', default: null }),
  ],
  response: [
    int32('throttleTimeMs', '2+'),
    int16('errorCode', '0+'),
    int32('generationId', '0+', { default: -1 }),
    string('protocolType', '7+', { nullable: '7+', default: null }),
    string('protocolName', '0+', { nullable: '7+' }),
    string('leader', '0+'),
    bool('skipAssignment', '9+'),
    string('memberId', '0+'),
    array('members', '0+', [
      string('memberId', '0+'),
      string('groupInstanceId', '5+', { nullable: '5+', default: null }),
      bytes('metadata', '0+'),
    ]),
  ],
});
