import { array, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ElectLeaders (key 43), formerly ElectPreferredLeaders: v0 elects preferred leaders only.
 * v1: election type, preferred or unclean (KIP-460); top-level error code in the response.
 * v2: flexible versions.
 */
export const ElectLeaders = api({
  apiKey: 43,
  name: 'ElectLeaders',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [
    int8('electionType', '1+'),
    array('topicPartitions', '0+', [string('topic', '0+'), array('partitions', '0+', 'int32')], { nullable: '0+' }),
    int32('timeoutMs', '0+', { default: 60000 }),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '1+'),
    array('replicaElectionResults', '0+', [
      string('topic', '0+'),
      array('partitionResult', '0+', [
        int32('partitionId', '0+'),
        int16('errorCode', '0+'),
        string('errorMessage', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
