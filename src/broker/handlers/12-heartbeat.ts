import { Heartbeat } from '../../protocol/messages/12-heartbeat.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * Heartbeat (12), v0-4. v1 throttle time; v3 group.instance.id (static membership); v4 flexible.
 * REBALANCE_IN_PROGRESS tells a member of a Stable generation to rejoin; ILLEGAL_GENERATION,
 * UNKNOWN_MEMBER_ID and FENCED_INSTANCE_ID tell it its membership is gone.
 */
export function heartbeatHandler(s: BrokerServices): Handler<typeof Heartbeat> {
  return defineHandler(Heartbeat, '0-4', (ctx, request) => ({
    throttleTimeMs: 0,
    errorCode: s.groupCoordinator.heartbeat(
      request.groupId,
      request.memberId,
      ctx.apiVersion >= 3 ? request.groupInstanceId : null,
      request.generationId,
    ),
  }));
}
