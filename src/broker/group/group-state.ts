/**
 * The classic group state machine (Kafka's GroupState), with the transitions Kafka allows:
 *
 * ```
 *  Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
 *    ▲                 ▲   │ (no members left)                        │                                │
 *    │                 │   ▼                                          │ member joins/leaves/dies       │
 *    └─────────────────┼── Empty ◀────────────────────────────────────┘────────────────────────────────┘
 *                      └──────────────── (any change of membership) ─────────────────────────────────┘
 *  Dead: the group was deleted, expired, or its partition unloaded; terminal.
 * ```
 *
 * - Empty: no members; may hold committed offsets (or be a "simple" group used only for offsets).
 * - PreparingRebalance: waiting for members to (re)join; JoinGroup requests are held.
 * - CompletingRebalance: every member has its JoinGroup answer; waiting for the leader's assignment.
 * - Stable: assignment done; members heartbeat.
 */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = [
  'Empty',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
];

const VALID_PREVIOUS: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/** A state name from a ListGroups filter, matched case-insensitively as Kafka does; undefined if unknown. */
export function parseGroupState(name: string): GroupState | undefined {
  const lower = name.toLowerCase();
  return GROUP_STATES.find((s) => s.toLowerCase() === lower);
}
