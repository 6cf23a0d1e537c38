import { array, bool, int16, int32, int64, int8, string, uuid } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * UpdateMetadata (key 6), sent by a ZooKeeper-mode controller to push cluster metadata to every broker.
 * Kafka 4 removed it; the range is Kafka 3.9's.
 * v1: a list of endpoints per broker, each with its security protocol, instead of one host and port.
 * v2: broker rack.
 * v3: listener name per endpoint.
 * v4: offline replicas per partition.
 * v5: broker epoch (KIP-380); partitions grouped under their topic.
 * v6: flexible versions.
 * v7: topic ids (KIP-516).
 * v8: isKRaftController and the tagged full/incremental Type, for ZooKeeper migration (KIP-866).
 */
const updateMetadataPartitionState = [
  string('topicName', '0-4'),
  int32('partitionIndex', '0+'),
  int32('controllerEpoch', '0+'),
  int32('leader', '0+'),
  int32('leaderEpoch', '0+'),
  array('isr', '0+', 'int32'),
  int32('zkVersion', '0+'),
  array('replicas', '0+', 'int32'),
  array('offlineReplicas', '4+', 'int32'),
] as const;

export const UpdateMetadata = api({
  apiKey: 6,
  name: 'UpdateMetadata',
  validVersions: '0-8',
  flexibleVersions: '6+',
  request: [
    int32('controllerId', '0+'),
    bool('isKRaftController', '8+'),
    int8('type', '8+', { tag: 0, tagged: '8+' }),
    int32('controllerEpoch', '0+'),
    int64('brokerEpoch', '5+', { default: -1 }),
    array('ungroupedPartitionStates', '0-4', updateMetadataPartitionState),
    array('topicStates', '5+', [
      string('topicName', '5+'),
      uuid('topicId', '7+'),
      array('partitionStates', '5+', updateMetadataPartitionState),
    ]),
    array('liveBrokers', '0+', [
      int32('id', '0+'),
      string('v0Host', '0'),
      int32('v0Port', '0'),
      array('endpoints', '1+', [
        int32('port', '1+'),
        string('host', '1+'),
        string('listener', '3+'),
        int16('securityProtocol', '1+'),
      ]),
      string('rack', '2+', { nullable: '0+' }),
    ]),
  ],
  response: [int16('errorCode', '0+')],
});
