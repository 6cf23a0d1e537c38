import { DeleteGroups } from '../../protocol/messages/42-delete-groups.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * DeleteGroups (42), v0-2. v1 throttling after the response; v2 flexible. Only an Empty group can be
 * deleted (NON_EMPTY_GROUP otherwise; GROUP_ID_NOT_FOUND for none); its offsets go with it, as
 * tombstones in `__consumer_offsets`. A group named twice is answered once, as Kafka does.
 */
export function deleteGroupsHandler(s: BrokerServices): Handler<typeof DeleteGroups> {
  return defineHandler(DeleteGroups, '0-2', (_ctx, request) => ({
    throttleTimeMs: 0,
    results: [...new Set(request.groupsNames)].map((groupId) => ({
      groupId,
      errorCode: s.groupCoordinator.admin.deleteGroup(groupId),
    })),
  }));
}
