import { array, bool, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeConfigs (key 32). v1 adds includeSynonyms, and each config's source and synonyms in place of
 * v0's isDefault; v2 changes nothing on the wire (the broker answers before throttling); v3 adds
 * includeDocumentation, and each config's type and documentation; v4 is flexible. Kafka 4.0 dropped
 * v0, which Kafka 3.9 still accepts, so isDefault is kept at v0.
 */
export const DescribeConfigs = api({
  apiKey: 32,
  name: 'DescribeConfigs',
  validVersions: '0-4',
  flexibleVersions: '4+',
  request: [
    array('resources', '0+', [
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
      array('configurationKeys', '0+', 'string', { nullable: '0+' }),
    ]),
    bool('includeSynonyms', '1+'),
    bool('includeDocumentation', '3+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('results', '0+', [
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+' }),
      int8('resourceType', '0+'),
      string('resourceName', '0+'),
      array('configs', '0+', [
        string('name', '0+'),
        string('value', '0+', { nullable: '0+' }),
        bool('readOnly', '0+'),
        bool('isDefault', '0'),
        int8('configSource', '1+', { default: -1 }),
        bool('isSensitive', '0+'),
        array('synonyms', '1+', [
          string('name', '1+'),
          string('value', '1+', { nullable: '0+' }),
          int8('source', '1+'),
        ]),
        int8('configType', '3+'),
        string('documentation', '3+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
