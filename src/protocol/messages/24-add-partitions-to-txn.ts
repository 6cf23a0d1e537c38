import { array, bool, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * AddPartitionsToTxn (key 24). v1 changes nothing on the wire (the broker answers before throttling);
 * v2 may answer PRODUCER_FENCED; v3 is flexible; v4 batches several transactions in one request, with
 * verifyOnly and a top-level error code, for broker-to-coordinator checks (clients keep using the
 * "V3AndBelow" fields at v3 and lower); v5 may answer TRANSACTION_ABORTABLE (KIP-890).
 */
const AddPartitionsToTxnTopic = [string('name', '0+'), array('partitions', '0+', 'int32')] as const;

const AddPartitionsToTxnPartitionResult = [int32('partitionIndex', '0+'), int16('partitionErrorCode', '0+')] as const;

const AddPartitionsToTxnTopicResult = [
  string('name', '0+'),
  array('resultsByPartition', '0+', AddPartitionsToTxnPartitionResult),
] as const;

export const AddPartitionsToTxn = api({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: [
    array('transactions', '4+', [
      string('transactionalId', '4+'),
      int64('producerId', '4+'),
      int16('producerEpoch', '4+'),
      bool('verifyOnly', '4+'),
      array('topics', '4+', AddPartitionsToTxnTopic),
    ]),
    string('v3AndBelowTransactionalId', '0-3'),
    int64('v3AndBelowProducerId', '0-3'),
    int16('v3AndBelowProducerEpoch', '0-3'),
    array('v3AndBelowTopics', '0-3', AddPartitionsToTxnTopic),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '4+'),
    array('resultsByTransaction', '4+', [
      string('transactionalId', '4+'),
      array('topicResults', '4+', AddPartitionsToTxnTopicResult),
    ]),
    array('resultsByTopicV3AndBelow', '0-3', AddPartitionsToTxnTopicResult),
  ],
});
