import { array, bool, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * StopReplica (key 5), sent by a ZooKeeper-mode controller to stop (and optionally delete) replicas.
 * Kafka 4 removed it; the range is Kafka 3.9's.
 * v1: broker epoch (KIP-380); partitions grouped under their topic.
 * v2: flexible versions.
 * v3: per-partition leader epoch and delete flag, replacing the request-wide flag (KIP-570).
 * v4: isKRaftController, for a KRaft controller during ZooKeeper migration (KIP-866).
 */
export const StopReplica = api({
  apiKey: 5,
  name: 'StopReplica',
  validVersions: '0-4',
  flexibleVersions: '2+',
  request: [
    int32('controllerId', '0+'),
    bool('isKRaftController', '4+'),
    int32('controllerEpoch', '0+'),
    int64('brokerEpoch', '1+', { default: -1 }),
    bool('deletePartitions', '0-2'),
    array('ungroupedPartitions', '0', [string('topicName', '0'), int32('partitionIndex', '0')]),
    array('topics', '1-2', [string('name', '1-2'), array('partitionIndexes', '1-2', 'int32')]),
    array('topicStates', '3+', [
      string('topicName', '3+'),
      array('partitionStates', '3+', [
        int32('partitionIndex', '3+'),
        int32('leaderEpoch', '3+', { default: -1 }),
        bool('deletePartition', '3+'),
      ]),
    ]),
  ],
  response: [
    int16('errorCode', '0+'),
    array('partitionErrors', '0+', [
      string('topicName', '0+'),
      int32('partitionIndex', '0+'),
      int16('errorCode', '0+'),
    ]),
  ],
});
