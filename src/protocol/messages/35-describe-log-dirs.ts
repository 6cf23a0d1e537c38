import { array, bool, int16, int32, int64, string } from '../schema/fields.js';
import { api } from '../schema/api.js';

/**
 * DescribeLogDirs (key 35). Kafka 4.1 supports v1 and later; v0 follows Kafka 3.9.
 * v1: no schema change; throttling is applied after the response (KIP-219).
 * v2: flexible versions.
 * v3: top-level error code in the response.
 * v4: total and usable bytes of each log dir (KIP-827).
 */
export const DescribeLogDirs = api({
  apiKey: 35,
  name: 'DescribeLogDirs',
  validVersions: '0-4',
  flexibleVersions: '2+',
  request: [array('topics', '0+', [string('topic', '0+'), array('partitions', '0+', 'int32')], { nullable: '0+' })],
  response: [
    int32('throttleTimeMs', '0+'),
    int16('errorCode', '3+'),
    array('results', '0+', [
      int16('errorCode', '0+'),
      string('logDir', '0+'),
      array('topics', '0+', [
        string('name', '0+'),
        array('partitions', '0+', [
          int32('partitionIndex', '0+'),
          int64('partitionSize', '0+'),
          int64('offsetLag', '0+'),
          bool('isFutureKey', '0+'),
        ]),
      ]),
      int64('totalBytes', '4+', { default: -1 }),
      int64('usableBytes', '4+', { default: -1 }),
    ]),
  ],
});
