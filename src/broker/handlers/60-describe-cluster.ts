import { ErrorCode } from '../../protocol/errors.js';
import { DescribeCluster } from '../../protocol/messages/60-describe-cluster.js';
import { AUTHORIZED_OPERATIONS_OMITTED, CLUSTER_OPERATIONS } from '../authorized-operations.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * DescribeCluster (60), v0-2, flexible from v0 (KIP-700: what Metadata v11 stopped returning). v1
 * endpoint_type (KIP-919: 1 brokers, 2 controllers); v2 include_fenced_brokers and is_fenced
 * (KIP-1073, Kafka 4.0).
 *
 * The live brokers reachable on the listener the request came in on, the controller (-1 when it is
 * not among them, as Kafka does), the cluster id and, when asked, the cluster's authorized operations
 * (all: Samsa has no authorizer). Samsa has no fenced brokers, so is_fenced is always false and
 * include_fenced_brokers changes nothing. This is a broker endpoint: endpoint type 2 is
 * MISMATCHED_ENDPOINT_TYPE, any other but 1 UNSUPPORTED_ENDPOINT_TYPE.
 */
const BROKER_ENDPOINT = 1;
const CONTROLLER_ENDPOINT = 2;

export function describeClusterHandler(s: BrokerServices): Handler<typeof DescribeCluster> {
  return defineHandler(DescribeCluster, '0-2', (ctx, request) => {
    const v = ctx.apiVersion;
    const type = v >= 1 ? request.endpointType : BROKER_ENDPOINT;
    if (type !== BROKER_ENDPOINT) {
      const known = type === CONTROLLER_ENDPOINT;
      return {
        throttleTimeMs: 0,
        errorCode:
          v === 0
            ? ErrorCode.INVALID_REQUEST
            : known
              ? ErrorCode.MISMATCHED_ENDPOINT_TYPE
              : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
        errorMessage: known
          ? 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER'
          : `Unsupported endpoint type ${type}`,
        endpointType: BROKER_ENDPOINT,
        clusterId: '',
        controllerId: -1,
        brokers: [],
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
    }
    const brokers = s.metadata.liveBrokers().flatMap((b) => {
      const endpoint = b.endpoints.find((e) => e.listenerName === ctx.listenerName);
      return endpoint === undefined
        ? []
        : [{ brokerId: b.brokerId, host: endpoint.host, port: endpoint.port, rack: b.rack, isFenced: false }];
    });
    const controllerId = s.metadata.controllerId();
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: BROKER_ENDPOINT,
      clusterId: s.metadata.clusterId,
      controllerId: brokers.some((b) => b.brokerId === controllerId) ? controllerId : -1,
      brokers,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? CLUSTER_OPERATIONS
        : AUTHORIZED_OPERATIONS_OMITTED,
    };
  });
}
