import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DeleteRecords (key 21): moves the log start offset of partitions forward.
 * v1: no schema change; throttling is applied after the response is sent (KIP-219).
 * v2: flexible versions.
 */
export const DeleteRecords = api({
  apiKey: 21,
  name: 'DeleteRecords',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [int32('partitionIndex', '0+'), int64('offset', '0+')]),
    ]),
    int32('timeoutMs', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [int32('partitionIndex', '0+'), int64('lowWatermark', '0+'), int16('errorCode', '0+')]),
    ]),
  ],
});
