import { bool, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * EndTxn (key 26). v1 changes nothing on the wire (the broker answers before throttling); v2 may
 * answer PRODUCER_FENCED; v3 is flexible; v4 may answer TRANSACTION_ABORTABLE (KIP-890); v5 (KIP-890
 * part 2) bumps the epoch at the end of every transaction, so the response carries the producer id
 * and epoch to use next.
 */
export const EndTxn = api({
  apiKey: 26,
  name: 'EndTxn',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: [
    string('transactionalId', '0+'),
    int64('producerId', '0+'),
    int16('producerEpoch', '0+'),
    bool('committed', '0+'),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    int64('producerId', '5+', { default: -1 }),
    int16('producerEpoch', '5+', { default: -1 }),
  ],
});
