import { ListGroups } from '../../protocol/messages/16-list-groups.js';
import { parseGroupState, type GroupState } from '../group/group-state.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ListGroups (16), v0-5. v1 throttle time; v3 flexible; v4 a state filter (case-insensitive; an
 * unknown state matches nothing) and each group's state (KIP-518); v5 a type filter and each group's
 * type (KIP-848): every group here is "classic". While a `__consumer_offsets` partition is still
 * loading the answer is COORDINATOR_LOAD_IN_PROGRESS with the groups known so far, as in Kafka.
 */
export function listGroupsHandler(s: BrokerServices): Handler<typeof ListGroups> {
  return defineHandler(ListGroups, '0-5', (ctx, request) => {
    const v = ctx.apiVersion;
    let states: Set<GroupState> | null = null;
    if (v >= 4 && request.statesFilter.length > 0) {
      states = new Set();
      for (const name of request.statesFilter) {
        const state = parseGroupState(name);
        if (state !== undefined) states.add(state);
      }
    }
    const typeWanted =
      v < 5 || request.typesFilter.length === 0 || request.typesFilter.some((t) => t.toLowerCase() === 'classic');
    const result = s.groupCoordinator.admin.listGroups(states);
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      groups: typeWanted ? result.groups.map((g) => ({ ...g })) : [],
    };
  });
}
