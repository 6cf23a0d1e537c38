import { array, bool, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * WriteTxnMarkers (key 27), sent by a transaction coordinator to partition leaders. v1 is flexible;
 * Kafka 4.0 dropped v0, which Kafka 3.9 still accepts.
 */
export const WriteTxnMarkers = api({
  apiKey: 27,
  name: 'WriteTxnMarkers',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: [
    array('markers', '0+', [
      int64('producerId', '0+'),
      int16('producerEpoch', '0+'),
      bool('transactionResult', '0+'),
      array('topics', '0+', [string('name', '0+'), array('partitionIndexes', '0+', 'int32')]),
      int32('coordinatorEpoch', '0+'),
    ]),
  ],
  response: [
    array('markers', '0+', [
      int64('producerId', '0+'),
      array('topics', '0+', [
        string('name', '0+'),
        array('partitions', '0+', [int32('partitionIndex', '0+'), int16('errorCode', '0+')]),
      ]),
    ]),
  ],
});
