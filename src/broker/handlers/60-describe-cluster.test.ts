import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeCluster } from '../../protocol/messages/60-describe-cluster.js';
import { AUTHORIZED_OPERATIONS_OMITTED, CLUSTER_OPERATIONS } from '../authorized-operations.js';
import { TestBroker } from '../testing/admin-broker.js';

let b: TestBroker;
beforeEach(async () => {
  b = await TestBroker.start('broker.rack=r1\n');
});
afterEach(async () => {
  await b.stop();
});

interface Response {
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: { brokerId: number; host: string; port: number; rack: string | null; isFenced: boolean }[];
  clusterAuthorizedOperations: number;
}

function describeCluster(version: number, body: Record<string, unknown> = {}): Promise<Response> {
  return b.client.request<Response>(DescribeCluster, version, {
    includeClusterAuthorizedOperations: false,
    endpointType: 1,
    includeFencedBrokers: false,
    ...body,
  });
}

describe('DescribeCluster', () => {
  it('describes the live brokers on this listener, the controller and the cluster id', async () => {
    const r = await describeCluster(2);
    expect(r).toMatchObject({
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: b.server.services.metadata.clusterId,
      controllerId: 0,
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    });
    expect(r.brokers).toMatchObject([
      { brokerId: 0, host: '127.0.0.1', port: b.server.boundPorts[0], rack: 'r1', isFenced: false },
    ]);
  });

  it('reports the cluster authorized operations when asked', async () => {
    const r = await describeCluster(0, { includeClusterAuthorizedOperations: true });
    expect(r.clusterAuthorizedOperations).toBe(CLUSTER_OPERATIONS);
  });

  it('answers v0, v1 and v2, with and without fenced brokers', async () => {
    for (let v = 0; v <= 2; v++) expect((await describeCluster(v)).brokers, `v${v}`).toHaveLength(1);
    expect((await describeCluster(2, { includeFencedBrokers: true })).brokers).toHaveLength(1);
  });

  it('refuses the controller endpoint type and unknown ones', async () => {
    expect(await describeCluster(1, { endpointType: 2 })).toMatchObject({
      errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE,
      errorMessage: 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
      brokers: [],
    });
    expect(await describeCluster(2, { endpointType: 7 })).toMatchObject({
      errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
      errorMessage: 'Unsupported endpoint type 7',
    });
    expect((await describeCluster(1, { endpointType: 0 })).errorCode).toBe(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE);
  });
});
