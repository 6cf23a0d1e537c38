import { array, bool, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * AlterConfigs (key 33). v1 changes nothing on the wire (the broker answers before throttling); v2 is
 * flexible.
 */
export const AlterConfigs = api({
  apiKey: 33,
  name: 'AlterConfigs',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [
    array('resources', '0+', [
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
      array('configs', '0+', [string('name', '0+'), string('value', '0+', { nullable: '0+' })]),
    ]),
    bool('validateOnly', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('responses', '0+', [
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+' }),
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
    ]),
  ],
});
