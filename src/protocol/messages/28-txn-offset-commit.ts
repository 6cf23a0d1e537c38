import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * TxnOffsetCommit (key 28). v1 changes nothing on the wire (the broker answers before throttling);
 * v2 adds each partition's committedLeaderEpoch; v3 is flexible and adds the group generation, member
 * id and group instance id (KIP-447); v4 may answer TRANSACTION_ABORTABLE (KIP-890); v5 has v4's
 * shape, and with transactions v2 it also adds the group to the transaction (no AddOffsetsToTxn).
 */
export const TxnOffsetCommit = api({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: [
    string('transactionalId', '0+'),
    string('groupId', '0+'),
    int64('producerId', '0+'),
    int16('producerEpoch', '0+'),
    int32('generationId', '3+', { default: -1 }),
    string('memberId', '3+'),
    string('groupInstanceId', '3+', { nullable: '3+', default: null }),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int64('committedOffset', '0+'),
        int32('committedLeaderEpoch', '2+', { default: -1 }),
        string('committedMetadata', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [int32('partitionIndex', '0+'), int16('errorCode', '0+')]),
    ]),
  ],
});
