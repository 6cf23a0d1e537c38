import { int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * AddOffsetsToTxn (key 25). v1 changes nothing on the wire (the broker answers before throttling);
 * v2 may answer PRODUCER_FENCED; v3 is flexible; v4 may answer TRANSACTION_ABORTABLE (KIP-890).
 */
export const AddOffsetsToTxn = api({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  validVersions: '0-4',
  flexibleVersions: '3+',
  request: [
    string('transactionalId', '0+'),
    int64('producerId', '0+'),
    int16('producerEpoch', '0+'),
    string('groupId', '0+'),
  ],
  response: [int32('throttleTimeMs', '0+'), int16('errorCode', '0+')],
});
