import { array, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ListGroups (key 16): the groups a broker coordinates.
 * v1: throttle time. v2: throttling is applied after the response is sent. v3: flexible.
 * v4: filter by group state, and each group reports its state (KIP-518).
 * v5: filter by group type, and each group reports its type (KIP-848).
 */
export const ListGroups = api({
  apiKey: 16,
  name: 'ListGroups',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: [array('statesFilter', '4+', 'string'), array('typesFilter', '5+', 'string')],
  response: [
    int32('throttleTimeMs', '1+'),
    int16('errorCode', '0+'),
    array('groups', '0+', [
      string('groupId', '0+'),
      string('protocolType', '0+'),
      string('groupState', '4+'),
      string('groupType', '5+'),
    ]),
  ],
});
