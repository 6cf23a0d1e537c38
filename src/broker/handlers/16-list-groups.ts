import { ListGroups } from '../../protocol/messages/16-list-groups.js';
import { parseGroupState, type GroupState } from '../group/group-state.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * ListGroups (16), v0-5. v1 throttle time; v3 flexible; v4 a state filter (case-insensitive; an
 * unknown state matches nothing) and each group's state (KIP-518); v5 a type filter and each group's
 * type (KIP-848): "classic", or "consumer" for KIP-848 groups (states Empty, Assigning, Reconciling,
 * Stable; protocol type "consumer"). While a `__consumer_offsets` partition is still
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
    const types = v >= 5 && request.typesFilter.length > 0 ? request.typesFilter.map((t) => t.toLowerCase()) : null;
    const result = s.groupCoordinator.admin.listGroups(states);
    const groups: { groupId: string; protocolType: string; groupState: string; groupType: string }[] =
      types === null || types.includes('classic') ? result.groups.map((g) => ({ ...g })) : [];
    if (types === null || types.includes('consumer')) {
      const wanted =
        v >= 4 && request.statesFilter.length > 0 ? request.statesFilter.map((n) => n.toLowerCase()) : null;
      for (const g of s.groupCoordinator.manager.consumerGroups.values()) {
        if (wanted !== null && !wanted.includes(g.state.toLowerCase())) continue;
        groups.push({ groupId: g.groupId, protocolType: 'consumer', groupState: g.state, groupType: 'consumer' });
      }
    }
    return { throttleTimeMs: 0, errorCode: result.errorCode, groups };
  });
}
