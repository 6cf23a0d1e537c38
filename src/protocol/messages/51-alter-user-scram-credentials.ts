import { array, bytes, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * AlterUserScramCredentials (key 51, KIP-554): adds (as salted passwords) or removes SCRAM credentials.
 * One version, flexible.
 */
export const AlterUserScramCredentials = api({
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  validVersions: '0',
  flexibleVersions: '0+',
  request: [
    array('deletions', '0+', [string('name', '0+'), int8('mechanism', '0+')]),
    array('upsertions', '0+', [
      string('name', '0+'),
      int8('mechanism', '0+'),
      int32('iterations', '0+'),
      bytes('salt', '0+'),
      bytes('saltedPassword', '0+'),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('results', '0+', [
      string('user', '0+'),
      int16('errorCode', '0+'),
      string('errorMessage', '0+', { nullable: '0+' }),
    ]),
  ],
});
