import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeTransactions (key 65, KIP-664): the coordinator's state of given transactional ids. One
 * version, flexible.
 */
export const DescribeTransactions = api({
  apiKey: 65,
  name: 'DescribeTransactions',
  validVersions: '0',
  flexibleVersions: '0+',
  request: [array('transactionalIds', '0+', 'string')],
  response: [
    int32('throttleTimeMs', '0+'),
    array('transactionStates', '0+', [
      int16('errorCode', '0+'),
      string('transactionalId', '0+'),
      string('transactionState', '0+'),
      int32('transactionTimeoutMs', '0+'),
      int64('transactionStartTimeMs', '0+'),
      int64('producerId', '0+'),
      int16('producerEpoch', '0+'),
      array('topics', '0+', [string('topic', '0+'), array('partitions', '0+', 'int32')]),
    ]),
  ],
});
