import { array, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * ListTransactions (key 66, KIP-664), flexible from v0. v1 adds durationFilter, to list only
 * transactions running longer than a given time (KIP-994); v2 adds transactionalIdPattern, a regular
 * expression on transactional ids (KIP-1152).
 */
export const ListTransactions = api({
  apiKey: 66,
  name: 'ListTransactions',
  validVersions: '0-2',
  flexibleVersions: '0+',
  request: [
    array('stateFilters', '0+', 'string'),
    array('producerIdFilters', '0+', 'int64'),
    int64('durationFilter', '1+', { default: -1 }),
    string('transactionalIdPattern', '2+', { nullable: '2+', default: null }),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    array('unknownStateFilters', '0+', 'string'),
    array('transactionStates', '0+', [
      string('transactionalId', '0+'),
      int64('producerId', '0+'),
      string('transactionState', '0+'),
    ]),
  ],
});
