import { ErrorCode } from '../../protocol/errors.js';
import { ControlledShutdown } from '../../protocol/messages/07-controlled-shutdown.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ControlledShutdown (7), v0-3, served in cluster mode only (a ZooKeeper-mode broker asking the
 * controller before it stops). v0: request header v0 (no client id); v1: ordinary header; v2: broker
 * epoch (KIP-380); v3: flexible.
 *
 * The active controller moves the broker's leaderships to other ISR members, takes it out of the ISRs
 * it is in and sends it StopReplica(delete=false) for those (src/broker/controller/), then answers with
 * the replicated partitions the broker still leads (the broker retries while any are left). Errors as
 * Kafka's: NOT_CONTROLLER on a broker that is not the active controller, BROKER_NOT_AVAILABLE for an
 * unregistered broker, STALE_BROKER_EPOCH for an epoch below the registration's (v2+; below v2 the
 * epoch is unknown and not checked); UNKNOWN_SERVER_ERROR if the controller failed (ZooKeeper).
 */
export function controlledShutdownHandler(s: BrokerServices): Handler<typeof ControlledShutdown> {
  return defineHandler(ControlledShutdown, '0-3', async (ctx, request) => {
    const controller = s.controller;
    if (controller === undefined || !controller.isActive)
      return { errorCode: ErrorCode.NOT_CONTROLLER, remainingPartitions: [] };
    const brokerEpoch = ctx.apiVersion >= 2 ? request.brokerEpoch : -1;
    const r = await controller.controlledShutdown(request.brokerId, brokerEpoch).catch((err: unknown) => {
      s.log.error(`ControlledShutdown of broker ${request.brokerId} failed: ${String(err)}`);
      return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, remainingPartitions: [] };
    });
    return {
      errorCode: r.errorCode,
      remainingPartitions: r.remainingPartitions.map((tp) => ({ topicName: tp.topic, partitionIndex: tp.partition })),
    };
  });
}
