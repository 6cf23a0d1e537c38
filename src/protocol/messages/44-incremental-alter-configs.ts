import { array, bool, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * IncrementalAlterConfigs (key 44, KIP-339): set, delete, append to or subtract from single config
 * entries. v1 is flexible.
 */
export const IncrementalAlterConfigs = api({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: [
    array('resources', '0+', [
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
      array('configs', '0+', [
        string('name', '0+'),
        int8('configOperation', '0+'),
        string('value', '0+', { nullable: '0+' }),
      ]),
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
