import { ErrorCode } from '../../protocol/errors.js';
import { SyncGroup } from '../../protocol/messages/14-sync-group.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * SyncGroup (14), v0-5. v1 throttle time; v3 group.instance.id; v4 flexible; v5 protocol type and
 * name in both directions (KIP-559): a v5 request without both is INCONSISTENT_GROUP_PROTOCOL, as in
 * Kafka. The leader's request carries every member's assignment; every member's request is held until
 * the leader's has been stored, then answered with its own assignment.
 */
export function syncGroupHandler(s: BrokerServices): Handler<typeof SyncGroup> {
  return defineHandler(SyncGroup, '0-5', async (ctx, request) => {
    const v = ctx.apiVersion;
    const error = (errorCode: number) => ({
      throttleTimeMs: 0,
      errorCode,
      protocolType: null,
      protocolName: null,
      assignment: Buffer.alloc(0),
    });
    if (v >= 5 && (request.protocolType === null || request.protocolName === null))
      return error(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const result = await s.groupCoordinator.syncGroup({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: v >= 3 ? request.groupInstanceId : null,
      protocolType: v >= 5 ? request.protocolType : null,
      protocolName: v >= 5 ? request.protocolName : null,
      // Copies: the decoded bytes are views of the request frame, and the group keeps them.
      assignments: new Map(request.assignments.map((a) => [a.memberId, Buffer.from(a.assignment)])),
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      protocolType: result.protocolType,
      protocolName: result.protocolName,
      assignment: result.assignment,
    };
  });
}
