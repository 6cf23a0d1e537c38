import { array, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ListPartitionReassignments (key 46): the reassignments in progress, for all partitions or the ones
 * named (KIP-455). One version, flexible.
 */
export const ListPartitionReassignments = api({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  validVersions: '0',
  flexibleVersions: '0+',
  request: [
    int32('timeoutMs', '0+', { default: 60000 }),
    array('topics', '0+', [string('name', '0+'), array('partitionIndexes', '0+', 'int32')], {
      nullable: '0+',
      default: null,
    }),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+' }),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        array('replicas', '0+', 'int32'),
        array('addingReplicas', '0+', 'int32'),
        array('removingReplicas', '0+', 'int32'),
      ]),
    ]),
  ],
});
