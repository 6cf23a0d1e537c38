import { LeaveGroup } from '../../protocol/messages/13-leave-group.js';
import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * LeaveGroup (13), v0-5. v1 throttle time; v3 a batch of members, each by member id and/or
 * group.instance.id (an empty member id with an instance id removes that static member, as
 * kafka-consumer-groups and the admin client do), answered per member; v4 flexible; v5 a reason per
 * member. Below v3 the single member's error is the top-level error, as Kafka's LeaveGroupResponse does.
 */
export function leaveGroupHandler(s: BrokerServices): Handler<typeof LeaveGroup> {
  return defineHandler(LeaveGroup, '0-5', (ctx, request) => {
    const v = ctx.apiVersion;
    const leaving =
      v >= 3
        ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason }))
        : [{ memberId: request.memberId, groupInstanceId: null }];
    const result = s.groupCoordinator.leaveGroup(request.groupId, leaving);
    if (v >= 3) return { throttleTimeMs: 0, errorCode: result.errorCode, members: [...result.members] };
    const memberError = result.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError,
      members: [],
    };
  });
}
