import { array, bool, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ApiVersions (key 18). v1 adds throttle time; v3 is flexible and adds the client's software name and
 * version; v4 lets SupportedFeatures report a min version of 0 (KAFKA-17011). The response header is
 * v0 at every version, so a client can read an UNSUPPORTED_VERSION body whatever version it asked for.
 */
export const ApiVersions = api({
  apiKey: 18,
  name: 'ApiVersions',
  validVersions: '0-4',
  flexibleVersions: '3+',
  responseHeaderV0Always: true,
  request: [string('clientSoftwareName', '3+'), string('clientSoftwareVersion', '3+')],
  response: [
    int16('errorCode', '0+'),
    array('apiKeys', '0+', [int16('apiKey', '0+'), int16('minVersion', '0+'), int16('maxVersion', '0+')]),
    int32('throttleTimeMs', '1+'),
    array('supportedFeatures', '3+', [string('name', '3+'), int16('minVersion', '3+'), int16('maxVersion', '3+')], {
      tag: 0,
      tagged: '3+',
    }),
    int64('finalizedFeaturesEpoch', '3+', { tag: 1, tagged: '3+', default: -1 }),
    array(
      'finalizedFeatures',
      '3+',
      [string('name', '3+'), int16('maxVersionLevel', '3+'), int16('minVersionLevel', '3+')],
      { tag: 2, tagged: '3+' },
    ),
    bool('zkMigrationReady', '3+', { tag: 3, tagged: '3+' }),
  ],
});
