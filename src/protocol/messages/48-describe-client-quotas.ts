import { array, bool, float64, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeClientQuotas (key 48, KIP-546). v1 is flexible.
 */
export const DescribeClientQuotas = api({
  apiKey: 48,
  name: 'DescribeClientQuotas',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: [
    array('components', '0+', [
      string('entityType', '0+'),
      int8('matchType', '0+'),
      string('match', '0+', { nullable: '0+' }),
    ]),
    bool('strict', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+' }),
    array(
      'entries',
      '0+',
      [
        array('entity', '0+', [string('entityType', '0+'), string('entityName', '0+', { nullable: '0+' })]),
        array('values', '0+', [string('key', '0+'), float64('value', '0+')]),
      ],
      { nullable: '0+' },
    ),
  ],
});
