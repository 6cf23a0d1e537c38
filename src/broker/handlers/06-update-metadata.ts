import { ErrorCode } from '../../protocol/errors.js';
import { UpdateMetadata } from '../../protocol/messages/06-update-metadata.js';
import { defineHandler, type Handler } from '../handler.js';
import type { UpdateMetadataBroker } from '../replication/broker-endpoints.js';
import type { BrokerServices } from '../services.js';

/**
 * UpdateMetadata (6), v0-8 (Kafka 3.9's range; Kafka 4 removed it). v1 endpoints per broker with a
 * security protocol; v2 rack; v3 listener names; v4 offline replicas; v5 the broker epoch (KIP-380)
 * and partitions grouped by topic; v6 flexible; v7 topic ids (KIP-516); v8 isKRaftController and the
 * tagged type (KIP-866).
 *
 * As Kafka's handleUpdateMetadataRequest → ReplicaManager.maybeUpdateMetadataCache: a controller epoch
 * below the highest seen (the fence LeaderAndIsr and StopReplica share) is Kafka's
 * ControllerMovedException, answered NOT_CONTROLLER; otherwise the epoch is recorded, the live
 * brokers' endpoints (the one named like our inter-broker listener) become where followers reach
 * leaders, and the answer is NONE.
 *
 * Differences: the partition states are not applied to a metadata cache: Metadata requests are served
 * from the metadata store, whose ZooKeeper cache is fed by watches on the same znodes the controller
 * wrote before sending this. The broker epoch is not checked (no STALE_BROKER_EPOCH).
 */
export function updateMetadataHandler(s: BrokerServices): Handler<typeof UpdateMetadata> {
  return defineHandler(UpdateMetadata, '0-8', (ctx, request) => {
    const fence = s.replicaManager.stateChanges.fence;
    if (fence.isStale(request.controllerEpoch)) {
      s.log.warn(
        `Ignoring UpdateMetadata from controller ${request.controllerId} with epoch ${request.controllerEpoch}: ` +
          `the latest known controller epoch is ${fence.controllerEpoch}`,
      );
      return { errorCode: ErrorCode.NOT_CONTROLLER };
    }
    fence.accept(request.controllerEpoch);
    const v = ctx.apiVersion;
    const brokers: UpdateMetadataBroker[] = request.liveBrokers.map((b) => ({
      id: b.id,
      endpoints:
        v === 0
          ? [{ host: b.v0Host, port: b.v0Port, listener: '' }]
          : b.endpoints.map((e) => ({ host: e.host, port: e.port, listener: e.listener })),
    }));
    s.replicaManager.brokerEndpoints.updateLiveBrokers(brokers);
    return { errorCode: ErrorCode.NONE };
  });
}
