import { int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * Request and response headers, declared like APIs whose "versions" are header versions:
 * request v0 (ControlledShutdown v0 only), v1 (adds the client id), v2 (adds tagged fields);
 * response v0, v1 (adds tagged fields). The client id is a classic int16 string even in header v2
 * (its flexible override is "none"), a trap every flexible-version implementation must keep.
 */
export const RequestHeader = api({
  apiKey: -1,
  name: 'RequestHeader',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [
    int16('requestApiKey', '0+'),
    int16('requestApiVersion', '0+'),
    int32('correlationId', '0+'),
    string('clientId', '1+', { nullable: '1+', flexible: 'none' }),
  ],
  response: [],
});

export const ResponseHeader = api({
  apiKey: -1,
  name: 'ResponseHeader',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: [],
  response: [int32('correlationId', '0+')],
});
