import { array, bool, float64, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * AlterClientQuotas (key 49, KIP-546). v1 is flexible.
 */
export const AlterClientQuotas = api({
  apiKey: 49,
  name: 'AlterClientQuotas',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: [
    array('entries', '0+', [
      array('entity', '0+', [string('entityType', '0+'), string('entityName', '0+', { nullable: '0+' })]),
      array('ops', '0+', [string('key', '0+'), float64('value', '0+'), bool('remove', '0+')]),
    ]),
    bool('validateOnly', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('entries', '0+', [
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+' }),
      array('entity', '0+', [string('entityType', '0+'), string('entityName', '0+', { nullable: '0+' })]),
    ]),
  ],
});
