import { array, bool, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeCluster (key 60), flexible from v0 (KIP-700).
 * v1: endpoint type, to describe brokers or controllers (KIP-919).
 * v2: includeFencedBrokers in the request and isFenced per broker in the response (KIP-1073).
 */
export const DescribeCluster = api({
  apiKey: 60,
  name: 'DescribeCluster',
  validVersions: '0-2',
  flexibleVersions: '0+',
  request: [
    bool('includeClusterAuthorizedOperations', '0+'),
    int8('endpointType', '1+', { default: 1 }),
    bool('includeFencedBrokers', '2+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    string('errorMessage', '0+', { nullable: '0+', default: null }),
    int8('endpointType', '1+', { default: 1 }),
    string('clusterId', '0+'),
    int32('controllerId', '0+', { default: -1 }),
    array('brokers', '0+', [
      int32('brokerId', '0+'),
      string('host', '0+'),
      int32('port', '0+'),
      string('rack', '0+', { nullable: '0+', default: null }),
      bool('isFenced', '2+'),
    ]),
    int32('clusterAuthorizedOperations', '0+', { default: -2147483648 }),
  ],
});
