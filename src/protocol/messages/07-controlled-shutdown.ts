import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ControlledShutdown (key 7), a broker asking the ZooKeeper-mode controller to move leadership away
 * before it stops. Kafka 4 removed it; the range is Kafka 3.9's.
 * v0: the request header is v0, without a client id (declared below as requestHeaderV0).
 * v1: the same body with the ordinary request header.
 * v2: broker epoch (KIP-380).
 * v3: flexible versions.
 */
export const ControlledShutdown = api({
  apiKey: 7,
  name: 'ControlledShutdown',
  validVersions: '0-3',
  flexibleVersions: '3+',
  requestHeaderV0: '0',
  request: [int32('brokerId', '0+'), int64('brokerEpoch', '2+', { default: -1 })],
  response: [
    int16('errorCode', '0+'),
    array('remainingPartitions', '0+', [string('topicName', '0+'), int32('partitionIndex', '0+')]),
  ],
});
