import { int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * InitProducerId (key 22). Kafka 4.1 also has an unstable v6 (two-phase commit, KIP-939), not declared here.
 * v1: no schema change; throttling is applied after the response is sent (KIP-219).
 * v2: flexible versions.
 * v3: the producer's current id and epoch in the request, to bump the epoch (KIP-360).
 * v4: no schema change; may answer PRODUCER_FENCED (KIP-588).
 * v5: no schema change; may answer TRANSACTION_ABORTABLE (KIP-890).
 */
export const InitProducerId = api({
  apiKey: 22,
  name: 'InitProducerId',
  validVersions: '0-5',
  flexibleVersions: '2+',
  request: [
    string('transactionalId', '0+', { nullable: '0+' }),
    int32('transactionTimeoutMs', '0+'),
    int64('producerId', '3+', { default: -1 }),
    int16('producerEpoch', '3+', { default: -1 }),
  ],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '0+'),
    int64('producerId', '0+', { default: -1 }),
    int16('producerEpoch', '0+'),
  ],
});
