import { array, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DeleteGroups (key 42): delete empty groups and their committed offsets.
 * v1: throttling is applied after the response is sent. v2: flexible.
 */
export const DeleteGroups = api({
  apiKey: 42,
  name: 'DeleteGroups',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [array('groupsNames', '0+', 'string')],
  response: [
    int32('throttleTimeMs', '0+'),
    array('results', '0+', [string('groupId', '0+'), int16('errorCode', '0+')]),
  ],
});
