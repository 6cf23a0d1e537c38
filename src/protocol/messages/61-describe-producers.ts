import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeProducers (key 61): the active producers of partitions (KIP-664). One version, flexible.
 */
export const DescribeProducers = api({
  apiKey: 61,
  name: 'DescribeProducers',
  validVersions: '0',
  flexibleVersions: '0+',
  request: [array('topics', '0+', [string('name', '0+'), array('partitionIndexes', '0+', 'int32')])],
  response: [
    int32('throttleTimeMs', '0+'),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int16('errorCode', '0+'),
        string('errorMessage', '0+', { nullable: '0+', default: null }),
        array('activeProducers', '0+', [
          int64('producerId', '0+'),
          int32('producerEpoch', '0+'),
          int32('lastSequence', '0+', { default: -1 }),
          int64('lastTimestamp', '0+', { default: -1 }),
          int32('coordinatorEpoch', '0+'),
          int64('currentTxnStartOffset', '0+', { default: -1 }),
        ]),
      ]),
    ]),
  ],
});
