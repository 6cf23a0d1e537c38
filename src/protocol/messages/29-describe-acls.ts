import { array, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeAcls (key 29). v1 adds the resource pattern type to the filter and the results (KIP-290);
 * v2 is flexible; v3 allows the USER resource type. Kafka 4.0 dropped v0, which Kafka 3.9 still accepts.
 */
export const DescribeAcls = api({
  apiKey: 29,
  name: 'DescribeAcls',
  validVersions: '0-3',
  flexibleVersions: '2+',
  request: [
    int8('resourceTypeFilter', '0+'),
    string('resourceNameFilter', '0+', { nullable: '0+' }),
    int8('patternTypeFilter', '1+', { default: 3 }),
    string('principalFilter', '0+', { nullable: '0+' }),
    string('hostFilter', '0+', { nullable: '0+' }),
    int8('operation', '0+'),
    int8('permissionType', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+' }),
    array('resources', '0+', [
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
      int8('patternType', '1+', { default: 3 }),
      array('acls', '0+', [
        string('principal', '0+'),
        string('host', '0+'),
        int8('operation', '0+'),
        int8('permissionType', '0+'),
      ]),
    ]),
  ],
});
