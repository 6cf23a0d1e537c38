import { array, bool, int16, int32, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * Metadata (key 3).
 * v1: a null topic list means all topics; broker rack, controller id and isInternal in the response.
 * v2: cluster id in the response.
 * v3: throttle time in the response.
 * v4: allowAutoTopicCreation in the request.
 * v5: offline replicas per partition.
 * v6: no schema change; throttling is applied after the response is sent (KIP-219).
 * v7: leader epoch per partition (KIP-320).
 * v8: topic and cluster authorized operations (KIP-430).
 * v9: flexible versions.
 * v10: topic ids in the response and the request, where a name may be null (KIP-516).
 * v11: cluster authorized operations removed (DescribeCluster carries them).
 * v12: topics may be looked up by id (v10-11 carry the id but brokers ignore it); the response name is nullable.
 * v13: top-level error code in the response, for REBOOTSTRAP_REQUIRED (KIP-1102).
 */
export const Metadata = api({
  apiKey: 3,
  name: 'Metadata',
  validVersions: '0-13',
  flexibleVersions: '9+',
  request: [
    array('topics', '0+', [uuid('topicId', '10+'), string('name', '0+', { nullable: '10+' })], { nullable: '1+' }),
    bool('allowAutoTopicCreation', '4+', { default: true }),
    bool('includeClusterAuthorizedOperations', '8-10'),
    bool('includeTopicAuthorizedOperations', '8+'),
  ],
  response: [
    int32('throttleTimeMs', '3+'),
    array('brokers', '0+', [
      int32('nodeId', '0+'),
      string('host', '0+'),
      int32('port', '0+'),
      string('rack', '1+', { nullable: '1+', default: null }),
    ]),
    string('clusterId', '2+', { nullable: '2+', default: null }),
    int32('controllerId', '1+', { default: -1 }),
    array('topics', '0+', [
      int16('errorCode', '0+'),
      string('name', '0+', { nullable: '12+' }),
      uuid('topicId', '10+'),
      bool('isInternal', '1+'),
      array('partitions', '0+', [
        int16('errorCode', '0+'),
        int32('partitionIndex', '0+'),
        int32('leaderId', '0+'),
        int32('leaderEpoch', '7+', { default: -1 }),
        array('replicaNodes', '0+', 'int32'),
        array('isrNodes', '0+', 'int32'),
        array('offlineReplicas', '5+', 'int32'),
      ]),
      int32('topicAuthorizedOperations', '8+', { default: -2147483648 }),
    ]),
    int32('clusterAuthorizedOperations', '8-10', { default: -2147483648 }),
    int16('errorCode', '13+'),
  ],
});
