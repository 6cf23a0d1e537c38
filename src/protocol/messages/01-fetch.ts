import { array, int16, int32, int64, int8, records, string, struct, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';
import { INT64_MAX } from '../primitives/int64.js';

/**
 * Fetch (key 1). Kafka 4.1 supports v4 and later; v0-3 follow Kafka 3.9.
 * v1: throttle time in the response.
 * v2: no schema change; records may be message format v1.
 * v3: a response-wide byte limit (maxBytes); partitions are served in request order.
 * v4: isolation level; last stable offset and aborted transactions in the response; records of magic 2.
 * v5: log start offset in the request and the response.
 * v6: no schema change; may answer KAFKA_STORAGE_ERROR.
 * v7: incremental fetch sessions: session id and epoch, forgotten topics, top-level error (KIP-227).
 * v8: no schema change; throttling is applied after the response is sent (KIP-219).
 * v9: current leader epoch per partition in the request (KIP-320).
 * v10: no schema change; zstd-compressed records may be returned (KIP-110).
 * v11: rack id in the request, preferred read replica in the response (KIP-392).
 * v12: flexible versions; last fetched epoch in the request; tagged diverging epoch, current leader and
 *      snapshot id in the response, tagged cluster id in the request (KIP-595).
 * v13: topics are named by topic id instead of name (KIP-516).
 * v14: no schema change; may answer OFFSET_MOVED_TO_TIERED_STORAGE (KIP-405).
 * v15: the tagged replica state (id and broker epoch) replaces the replica id (KIP-903).
 * v16: tagged node endpoints in the response (KIP-951).
 * v17: tagged replica directory id per partition in the request (KIP-853).
 * v18: tagged high watermark per partition in the request (KIP-1166).
 */
export const Fetch = api({
  apiKey: 1,
  name: 'Fetch',
  validVersions: '0-18',
  flexibleVersions: '12+',
  request: [
    string('clusterId', '12+', { nullable: '12+', tag: 0, tagged: '12+', default: null }),
    int32('replicaId', '0-14', { default: -1 }),
    struct(
      'replicaState',
      '15+',
      [int32('replicaId', '15+', { default: -1 }), int64('replicaEpoch', '15+', { default: -1 })],
      { tag: 1, tagged: '15+' },
    ),
    int32('maxWaitMs', '0+'),
    int32('minBytes', '0+'),
    int32('maxBytes', '3+', { default: 2147483647 }),
    int8('isolationLevel', '4+'),
    int32('sessionId', '7+'),
    int32('sessionEpoch', '7+', { default: -1 }),
    array('topics', '0+', [
      string('topic', '0-12'),
      uuid('topicId', '13+'),
      array('partitions', '0+', [
        int32('partition', '0+'),
        int32('currentLeaderEpoch', '9+', { default: -1 }),
        int64('fetchOffset', '0+'),
        int32('lastFetchedEpoch', '12+', { default: -1 }),
        int64('logStartOffset', '5+', { default: -1 }),
        int32('partitionMaxBytes', '0+'),
        uuid('replicaDirectoryId', '17+', { tag: 0, tagged: '17+' }),
        int64('highWatermark', '18+', { tag: 1, tagged: '18+', default: INT64_MAX }),
      ]),
    ]),
    array('forgottenTopicsData', '7+', [
      string('topic', '7-12'),
      uuid('topicId', '13+'),
      array('partitions', '7+', 'int32'),
    ]),
    string('rackId', '11+'),
  ],
  response: [
    int32('throttleTimeMs', '1+'),
    int16('errorCode', '7+'),
    int32('sessionId', '7+'),
    array('responses', '0+', [
      string('topic', '0-12'),
      uuid('topicId', '13+'),
      array('partitions', '0+', [
        int32('partitionIndex', '0+'),
        int16('errorCode', '0+'),
        int64('highWatermark', '0+'),
        int64('lastStableOffset', '4+', { default: -1 }),
        int64('logStartOffset', '5+', { default: -1 }),
        struct(
          'divergingEpoch',
          '12+',
          [int32('epoch', '12+', { default: -1 }), int64('endOffset', '12+', { default: -1 })],
          { tag: 0, tagged: '12+' },
        ),
        struct(
          'currentLeader',
          '12+',
          [int32('leaderId', '12+', { default: -1 }), int32('leaderEpoch', '12+', { default: -1 })],
          { tag: 1, tagged: '12+' },
        ),
        struct(
          'snapshotId',
          '12+',
          [int64('endOffset', '0+', { default: -1 }), int32('epoch', '0+', { default: -1 })],
          { tag: 2, tagged: '12+' },
        ),
        array('abortedTransactions', '4+', [int64('producerId', '4+'), int64('firstOffset', '4+')], { nullable: '4+' }),
        int32('preferredReadReplica', '11+', { default: -1 }),
        records('records', '0+', { nullable: '0+' }),
      ]),
    ]),
    array(
      'nodeEndpoints',
      '16+',
      [
        int32('nodeId', '16+'),
        string('host', '16+'),
        int32('port', '16+'),
        string('rack', '16+', { nullable: '16+', default: null }),
      ],
      { tag: 0, tagged: '16+' },
    ),
  ],
});
