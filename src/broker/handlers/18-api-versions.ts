import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { defineHandler, type Handler } from '../handler.js';
import type { Router } from '../router.js';

/**
 * ApiVersions (18), v0-4. v1 adds throttle time, v3 is flexible and carries the client's software name
 * and version, v4 allows a feature min version of 0. The advertised ranges come from the router's
 * registrations. v3+ software names and versions must match Kafka's pattern or the answer is
 * INVALID_REQUEST (librdkafka then retries with v0). An unknown version never reaches this handler: the
 * router answers it per KIP-511.
 */
const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function apiVersionsHandler(router: Router): Handler<typeof ApiVersions> {
  return defineHandler(ApiVersions, '0-4', (ctx, request) => {
    const invalid =
      ctx.apiVersion >= 3 &&
      (!SOFTWARE.test(request.clientSoftwareName) || !SOFTWARE.test(request.clientSoftwareVersion));
    return {
      errorCode: invalid ? ErrorCode.INVALID_REQUEST : ErrorCode.NONE,
      apiKeys: invalid ? [] : [...router.apiVersions()],
      throttleTimeMs: 0,
    };
  });
}
