import { array, bool, int16, int32, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * AlterPartitionReassignments (key 45): start or cancel partition reassignments (KIP-455). Flexible
 * from v0.
 * v1: AllowReplicationFactorChange, letting a client forbid reassignments that change a partition's
 *     replication factor; echoed in the response (KIP-860).
 */
export const AlterPartitionReassignments = api({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: [
    int32('timeoutMs', '0+', { default: 60000 }),
    bool('allowReplicationFactorChange', '1+', { default: true }),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        array('replicas', '0+', 'int32', { nullable: '0+', default: null }),
      ]),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    bool('allowReplicationFactorChange', '1+', { default: true }),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+' }),
    array('responses', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int16('errorCode', '0+'),
        string('errorMessage', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
