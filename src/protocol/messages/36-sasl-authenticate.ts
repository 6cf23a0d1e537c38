import { bytes, int16, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * SaslAuthenticate (key 36) carries SASL tokens after a v1 SaslHandshake. v1 adds the session lifetime
 * to the response (KIP-368, re-authentication); v2 is flexible.
 */
export const SaslAuthenticate = api({
  apiKey: 36,
  name: 'SaslAuthenticate',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [bytes('authBytes', '0+')],
  response: [
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+' }),
    bytes('authBytes', '0+'),
    int64('sessionLifetimeMs', '1+'),
  ],
});
