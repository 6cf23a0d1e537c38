import { array, bool, int16, int32, int64, int8, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * LeaderAndIsr (key 4), sent by a ZooKeeper-mode controller to tell brokers which replicas lead and
 * which are in sync. Kafka 4 removed it; the range is Kafka 3.9's.
 * v1: per-partition IsNew flag.
 * v2: partitions grouped under their topic; broker epoch (KIP-380).
 * v3: replicas being added and removed by a reassignment (KIP-455).
 * v4: flexible versions.
 * v5: topic ids and the full/incremental request type; response errors grouped by topic id (KIP-516).
 * v6: per-partition leader recovery state (KIP-704).
 * v7: isKRaftController, for a KRaft controller during ZooKeeper migration (KIP-866).
 */
const leaderAndIsrPartitionState = [
  string('topicName', '0-1'),
  int32('partitionIndex', '0+'),
  int32('controllerEpoch', '0+'),
  int32('leader', '0+'),
  int32('leaderEpoch', '0+'),
  array('isr', '0+', 'int32'),
  int32('partitionEpoch', '0+'),
  array('replicas', '0+', 'int32'),
  array('addingReplicas', '3+', 'int32'),
  array('removingReplicas', '3+', 'int32'),
  bool('isNew', '1+'),
  int8('leaderRecoveryState', '6+'),
] as const;

const leaderAndIsrPartitionError = [
  string('topicName', '0-4'),
  int32('partitionIndex', '0+'),
  int16('errorCode', '0+'),
] as const;

export const LeaderAndIsr = api({
  apiKey: 4,
  name: 'LeaderAndIsr',
  validVersions: '0-7',
  flexibleVersions: '4+',
  request: [
    int32('controllerId', '0+'),
    bool('isKRaftController', '7+'),
    int32('controllerEpoch', '0+'),
    int64('brokerEpoch', '2+', { default: -1 }),
    int8('type', '5+'),
    array('ungroupedPartitionStates', '0-1', leaderAndIsrPartitionState),
    array('topicStates', '2+', [
      string('topicName', '2+'),
      uuid('topicId', '5+'),
      array('partitionStates', '2+', leaderAndIsrPartitionState),
    ]),
    array('liveLeaders', '0+', [int32('brokerId', '0+'), string('hostName', '0+'), int32('port', '0+')]),
  ],
  response: [
    int16('errorCode', '0+'),
    array('partitionErrors', '0-4', leaderAndIsrPartitionError),
    array('topics', '5+', [uuid('topicId', '5+'), array('partitionErrors', '5+', leaderAndIsrPartitionError)]),
  ],
});
