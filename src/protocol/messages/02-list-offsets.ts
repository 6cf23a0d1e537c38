import { array, int16, int32, int64, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ListOffsets (key 2). Kafka 4.1 supports v1 and later; v0 follows Kafka 3.9.
 * v0: asks for up to maxNumOffsets offsets before a timestamp and gets them as a list.
 * v1: one timestamp and offset per partition instead of the list (KIP-79).
 * v2: isolation level in the request, throttle time in the response.
 * v3: no schema change; throttling is applied after the response is sent (KIP-219).
 * v4: current leader epoch in the request, leader epoch in the response (KIP-320).
 * v5: no schema change; may answer OFFSET_NOT_AVAILABLE.
 * v6: flexible versions.
 * v7: no schema change; timestamp -3 asks for the offset of the largest timestamp (KIP-734).
 * v8: no schema change; timestamp -4 asks for the earliest local (non-tiered) offset (KIP-405).
 * v9: no schema change; timestamp -5 asks for the latest tiered offset (KIP-1005).
 * v10: timeout for lookups that read from remote storage (KIP-1075).
 */
export const ListOffsets = api({
  apiKey: 2,
  name: 'ListOffsets',
  validVersions: '0-10',
  flexibleVersions: '6+',
  request: [
    int32('replicaId', '0+'),
    int8('isolationLevel', '2+'),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int32('currentLeaderEpoch', '4+', { default: -1 }),
        int64('timestamp', '0+'),
        int32('maxNumOffsets', '0', { default: 1 }),
      ]),
    ]),
    int32('timeoutMs', '10+'),
  ],
  response: [
    int32('throttleTimeMs', '2+'),
    array('topics', '0+', [
      string('name', '0+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int16('errorCode', '0+'),
        array('oldStyleOffsets', '0', 'int64'),
        int64('timestamp', '1+', { default: -1 }),
        int64('offset', '1+', { default: -1 }),
        int32('leaderEpoch', '4+', { default: -1 }),
      ]),
    ]),
  ],
});
