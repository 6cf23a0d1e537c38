import { array, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeUserScramCredentials (key 50, KIP-554): the SCRAM mechanisms and iteration counts stored for
 * users, never the secrets. One version, flexible.
 */
export const DescribeUserScramCredentials = api({
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  validVersions: '0',
  flexibleVersions: '0+',
  request: [array('users', '0+', [string('name', '0+')], { nullable: '0+' })],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+' }),
    array('results', '0+', [
      string('user', '0+'),
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+' }),
      array('credentialInfos', '0+', [int8('mechanism', '0+'), int32('iterations', '0+')]),
    ]),
  ],
});
