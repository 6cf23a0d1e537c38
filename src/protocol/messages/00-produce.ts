import { array, int16, int32, int64, records, string, struct, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * Produce (key 0). Kafka 4.1 supports v3 and later; v0-2 follow Kafka 3.9.
 * v1: throttle time in the response.
 * v2: log append time per partition in the response (message format v1 timestamps).
 * v3: transactional id; the records must be record batches of magic 2.
 * v4: no schema change; may answer KAFKA_STORAGE_ERROR.
 * v5: log start offset per partition in the response.
 * v6: no schema change; throttling is applied after the response is sent (KIP-219).
 * v7: no schema change; zstd compression allowed (KIP-110).
 * v8: per-record errors and a partition error message in the response (KIP-467).
 * v9: flexible versions.
 * v10: tagged current leader per partition and tagged node endpoints in the response (KIP-951).
 * v11: no schema change; may answer TRANSACTION_ABORTABLE (KIP-890).
 * v12: no schema change; the broker adds partitions to the transaction itself (KIP-890).
 * v13: topics are named by topic id instead of name (KIP-516).
 */
export const Produce = api({
  apiKey: 0,
  name: 'Produce',
  validVersions: '0-13',
  flexibleVersions: '9+',
  request: [
    string('transactionalId', '3+', { nullable: '3+', default: null }),
    int16('acks', '0+'),
    int32('timeoutMs', '0+'),
    array('topicData', '0+', [
      string('name', '0-12'),
      uuid('topicId', '13+'),
      array('partitionData', '0+', [int32('index', '0+'), records('records', '0+', { nullable: '0+' })]),
    ]),
  ],
  response: [
    array('responses', '0+', [
      string('name', '0-12'),
      uuid('topicId', '13+'),
      array('partitionResponses', '0+', [
        int32('index', '0+'),
        int16('errorCode', '0+'),
        int64('baseOffset', '0+'),
        int64('logAppendTimeMs', '2+', { default: -1 }),
        int64('logStartOffset', '5+', { default: -1 }),
        array('recordErrors', '8+', [
          int32('batchIndex', '8+'),
          string('batchIndexErrorMessage', '8+', { nullable: '8+', default: null }),
        ]),
        string('errorMessage', '8+', { nullable: '8+', default: null }),
        struct(
          'currentLeader',
          '10+',
          [int32('leaderId', '10+', { default: -1 }), int32('leaderEpoch', '10+', { default: -1 })],
          { tag: 0, tagged: '10+' },
        ),
      ]),
    ]),
    int32('throttleTimeMs', '1+'),
    array(
      'nodeEndpoints',
      '10+',
      [
        int32('nodeId', '10+'),
        string('host', '10+'),
        int32('port', '10+'),
        string('rack', '10+', { nullable: '10+', default: null }),
      ],
      { tag: 0, tagged: '10+' },
    ),
  ],
});
