import { array, int16, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * SaslHandshake (key 17): the client names the SASL mechanism it wants and learns which ones the broker
 * enables. After a v0 handshake the SASL tokens travel as bare size-prefixed frames outside the Kafka
 * protocol; v1 moves them into SaslAuthenticate requests. Never flexible: clients up to 2.4 negotiate
 * this API's version wrongly, so Kafka cannot raise it.
 */
export const SaslHandshake = api({
  apiKey: 17,
  name: 'SaslHandshake',
  validVersions: '0-1',
  flexibleVersions: 'none',
  request: [string('mechanism', '0+')],
  response: [int16('errorCode', '0+'), array('mechanisms', '0+', 'string')],
});
