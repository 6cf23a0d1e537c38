import { JoinGroup } from '../../protocol/messages/11-join-group.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * JoinGroup (11), v0-9. v1 adds the rebalance timeout (v0 uses the session timeout for both); v2
 * throttle time; v4 KIP-394: a member without an id gets MEMBER_ID_REQUIRED and an id to rejoin with;
 * v5 group.instance.id (KIP-345 static membership, FENCED_INSTANCE_ID); v6 flexible; v7 the protocol
 * type in the response and a nullable protocol name (KIP-559); v8 a reason (KIP-800); v9
 * skip_assignment for a static leader rejoining a Stable group. The request is held until the
 * rebalance's join phase completes; the coordinator (group/group-coordinator.ts) decides everything.
 */
export function joinGroupHandler(s: BrokerServices): Handler<typeof JoinGroup> {
  return defineHandler(JoinGroup, '0-9', async (ctx, request) => {
    const v = ctx.apiVersion;
    const result = await s.groupCoordinator.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: v >= 5 ? request.groupInstanceId : null,
      requireKnownMemberId: v >= 4,
      supportSkippingAssignment: v >= 9,
      clientId: ctx.clientId,
      clientHost: ctx.clientHost,
      rebalanceTimeoutMs: v >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      // Copies: the decoded bytes are views of the request frame, and the group keeps them.
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
      reason: v >= 8 ? request.reason : null,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolType: result.protocolType,
      // Below v7 the protocol name is not nullable: Kafka writes "" for none.
      protocolName: v >= 7 ? result.protocolName : (result.protocolName ?? ''),
      leader: result.leaderId,
      skipAssignment: result.skipAssignment,
      memberId: result.memberId,
      members: result.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        metadata: m.metadata,
      })),
    };
  });
}
