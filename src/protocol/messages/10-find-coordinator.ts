import { array, int16, int32, int8, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * FindCoordinator (key 10): which broker coordinates a group or a transactional id.
 * v1: key type (group or transaction); the response gains throttle time and an error message.
 * v2: throttling is applied after the response is sent. v3: flexible.
 * v4: many keys in one request (KIP-699), answered per key in the Coordinators array.
 * v5: may answer TRANSACTION_ABORTABLE (KIP-890). v6: share-group keys (KIP-932).
 */
export const FindCoordinator = api({
  apiKey: 10,
  name: 'FindCoordinator',
  validVersions: '0-6',
  flexibleVersions: '3+',
  request: [string('key', '0-3'), int8('keyType', '1+'), array('coordinatorKeys', '4+', 'string')],
  response: [
    int32('throttleTimeMs', '1+'),
    int16('errorCode', '0-3'),
    string('errorMessage', '1-3', { nullable: '1-3' }),
    int32('nodeId', '0-3'),
    string('host', '0-3'),
    int32('port', '0-3'),
    array('coordinators', '4+', [
      string('key', '4+'),
      int32('nodeId', '4+'),
      string('host', '4+'),
      int32('port', '4+'),
      int16('errorCode', '4+'),
      string('errorMessage', '4+', { nullable: '4+' }),
    ]),
  ],
});
