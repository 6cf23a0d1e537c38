import { array, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * CreateAcls (key 30). v1 adds the resource pattern type of each ACL (KIP-290); v2 is flexible; v3
 * allows the USER resource type. Kafka 4.0 dropped v0, which Kafka 3.9 still accepts.
 */
export const CreateAcls = api({
  apiKey: 30,
  name: 'CreateAcls',
  validVersions: '0-3',
  flexibleVersions: '2+',
  request: [
    array('creations', '0+', [
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
      int8('resourcePatternType', '1+', { default: 3 }),
      string('principal', '0+'),
      string('host', '0+'),
      int8('operation', '0+'),
      int8('permissionType', '0+'),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('results', '0+', [int16('errorCode', '0+'), string('errorMessage', '0+', { nullable: '0+' })]),
  ],
});
