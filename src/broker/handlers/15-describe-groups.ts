import { ErrorCode } from '../../protocol/errors.js';
import { DescribeGroups } from '../../protocol/messages/15-describe-groups.js';
import { AUTHORIZED_OPERATIONS_OMITTED, GROUP_OPERATIONS } from '../authorized-operations.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * DescribeGroups (15), v0-6. v1 throttle time; v3 authorized operations on request; v4
 * group.instance.id per member; v5 flexible; v6 an unknown group answers GROUP_ID_NOT_FOUND with a
 * message (KIP-1043) where older versions describe it as Dead with no members. Member metadata and
 * assignments are filled only for a Stable group, and protocol_data is the selected protocol then.
 */
export function describeGroupsHandler(s: BrokerServices): Handler<typeof DescribeGroups> {
  return defineHandler(DescribeGroups, '0-6', (ctx, request) => ({
    throttleTimeMs: 0,
    groups: request.groups.map((groupId) => {
      const d = s.groupCoordinator.admin.describeGroup(groupId);
      const notFound = ctx.apiVersion >= 6 && d.errorCode === ErrorCode.NONE && !d.exists;
      return {
        errorCode: notFound ? ErrorCode.GROUP_ID_NOT_FOUND : d.errorCode,
        errorMessage: notFound ? `Group ${groupId} not found.` : null,
        groupId,
        groupState: d.groupState,
        protocolType: d.protocolType,
        protocolData: d.protocolData,
        members: d.members.map((m) => ({ ...m })),
        authorizedOperations: request.includeAuthorizedOperations ? GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED,
      };
    }),
  }));
}
