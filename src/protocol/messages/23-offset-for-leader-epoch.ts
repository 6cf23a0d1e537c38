import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * OffsetForLeaderEpoch (key 23). Kafka 4.1 supports v2 and later; v0-1 follow Kafka 3.9.
 * v1: the leader epoch of the returned end offset in the response.
 * v2: current leader epoch in the request, throttle time in the response (KIP-320).
 * v3: replica id in the request; followers send theirs, the default -2 marks a debugging client.
 * v4: flexible versions.
 */
export const OffsetForLeaderEpoch = api({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  validVersions: '0-4',
  flexibleVersions: '4+',
  request: [
    int32('replicaId', '3+', { default: -2 }),
    array('topics', '0+', [
      string('topic', '0+'),
      array('partitions', '0+', [
        int32('partition', '0+'),
        int32('currentLeaderEpoch', '2+', { default: -1 }),
        int32('leaderEpoch', '0+'),
      ]),
    ]),
  ],
  response: [
    int32('throttleTimeMs', '2+'),
    array('topics', '0+', [
      string('topic', '0+'),
      array('partitions', '0+', [
        int16('errorCode', '0+'),
        int32('partition', '0+'),
        int32('leaderEpoch', '1+', { default: -1 }),
        int64('endOffset', '0+', { default: -1 }),
      ]),
    ]),
  ],
});
