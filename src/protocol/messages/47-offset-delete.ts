import { array, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * OffsetDelete (key 47): delete a group's committed offsets for some partitions (KIP-496). One version.
 */
export const OffsetDelete = api({
  apiKey: 47,
  name: 'OffsetDelete',
  validVersions: '0',
  flexibleVersions: 'none',
  request: [
    string('groupId', '0+'),
    array('topics', '0+', [string('name', '0+'), array('partitions', '0+', [int32('partitionIndex', '0+')])]),
  ],
  response: [
    int16('errorCode', '0+'),
    int32('throttleTimeMs', '0+'),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [int32('partitionIndex', '0+'), int16('errorCode', '0+')]),
    ]),
  ],
});
