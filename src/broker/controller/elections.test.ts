import { describe, expect, it } from 'vitest';
import {
  controlledShutdownElection,
  initialLeaderAndIsr,
  leaderImbalance,
  offlinePartitionElection,
  preferredReplicaElection,
  removeReplicasFromIsr,
} from './elections.js';

const live = (...ids: number[]) => new Set(ids);
const state = (leader: number, leaderEpoch: number, isr: number[]) => ({ leader, leaderEpoch, isr });

describe('initialLeaderAndIsr', () => {
  it.each([
    { replicas: [1, 2, 3], live: [1, 2, 3], want: state(1, 0, [1, 2, 3]) },
    { replicas: [3, 1, 2], live: [1, 2], want: state(1, 0, [1, 2]) },
    { replicas: [2], live: [2], want: state(2, 0, [2]) },
    { replicas: [1, 2], live: [3], want: null },
    { replicas: [], live: [1], want: null },
  ])('replicas $replicas, live $live', ({ replicas, live: l, want }) => {
    expect(initialLeaderAndIsr(replicas, live(...l))).toEqual(want);
  });
});

describe('offlinePartitionElection', () => {
  it.each([
    // the first live ISR member in assignment order, the ISR shrunk to live members, epoch + 1
    { replicas: [1, 2, 3], cur: state(1, 4, [1, 2, 3]), live: [2, 3], unclean: false, want: state(2, 5, [2, 3]) },
    { replicas: [1, 2, 3], cur: state(1, 4, [3, 1, 2]), live: [2, 3], unclean: false, want: state(2, 5, [3, 2]) },
    { replicas: [3, 2, 1], cur: state(1, 0, [1, 2, 3]), live: [2, 3], unclean: false, want: state(3, 1, [2, 3]) },
    // no live ISR member: nothing, unless unclean (first live replica, alone in the ISR)
    { replicas: [1, 2], cur: state(1, 2, [1]), live: [2], unclean: false, want: null },
    { replicas: [1, 2], cur: state(1, 2, [1]), live: [2], unclean: true, want: state(2, 3, [2]) },
    { replicas: [1, 2, 3], cur: state(-1, 2, [1]), live: [3, 2], unclean: true, want: state(2, 3, [2]) },
    { replicas: [1, 2], cur: state(1, 2, [1]), live: [], unclean: true, want: null },
    // a live replica out of the ISR is not chosen while an ISR member lives
    { replicas: [2, 3], cur: state(-1, 7, [3]), live: [2, 3], unclean: true, want: state(3, 8, [3]) },
  ])('$replicas $cur live $live unclean $unclean', ({ replicas, cur, live: l, unclean, want }) => {
    expect(offlinePartitionElection(replicas, cur, live(...l), unclean)).toEqual(want);
  });
});

describe('controlledShutdownElection', () => {
  it.each([
    { replicas: [1, 2, 3], cur: state(1, 0, [1, 2, 3]), live: [2, 3], down: [1], want: state(2, 1, [2, 3]) },
    { replicas: [1, 2, 3], cur: state(1, 3, [1, 3]), live: [2, 3], down: [1], want: state(3, 4, [3]) },
    { replicas: [1, 2], cur: state(1, 0, [1]), live: [2], down: [1], want: null },
    { replicas: [1, 2, 3], cur: state(1, 0, [1, 2, 3]), live: [3], down: [1, 2], want: state(3, 1, [3]) },
  ])('$replicas $cur down $down', ({ replicas, cur, live: l, down, want }) => {
    expect(controlledShutdownElection(replicas, cur, live(...l), new Set(down))).toEqual(want);
  });
});

describe('preferredReplicaElection', () => {
  it.each([
    { replicas: [1, 2], cur: state(2, 5, [2, 1]), live: [1, 2], want: state(1, 6, [2, 1]) },
    { replicas: [1, 2], cur: state(2, 5, [2]), live: [1, 2], want: null }, // preferred not in the ISR
    { replicas: [1, 2], cur: state(2, 5, [2, 1]), live: [2], want: null }, // preferred not live
    { replicas: [], cur: state(-1, 0, []), live: [], want: null },
  ])('$replicas $cur live $live', ({ replicas, cur, live: l, want }) => {
    expect(preferredReplicaElection(replicas, cur, live(...l))).toEqual(want);
  });
});

describe('removeReplicasFromIsr', () => {
  it.each([
    { cur: state(1, 0, [1, 2, 3]), remove: [2], want: state(1, 1, [1, 3]) },
    { cur: state(1, 0, [1, 2, 3]), remove: [1], want: state(-1, 1, [2, 3]) },
    // the last ISR member stays: leader -1, isr [last]
    { cur: state(1, 3, [1]), remove: [1], want: state(-1, 4, [1]) },
    { cur: state(1, 3, [1, 2]), remove: [1, 2], want: state(-1, 4, [2]) },
    { cur: state(1, 3, [1, 2]), remove: [3], want: null },
  ])('$cur minus $remove', ({ cur, remove, want }) => {
    expect(removeReplicasFromIsr(cur, remove)).toEqual(want);
  });
});

describe('leaderImbalance', () => {
  it('is the percentage of its preferred partitions a broker does not lead', () => {
    const ratio = leaderImbalance([
      { assignment: [1, 2], leader: 1 },
      { assignment: [1, 2], leader: 2 },
      { assignment: [2, 1], leader: 2 },
      { assignment: [1, 2], leader: 2 },
      { assignment: [1, 2], leader: 1 },
      { assignment: [], leader: -1 },
    ]);
    expect(ratio).toEqual(
      new Map([
        [1, 50],
        [2, 0],
      ]),
    );
  });
});
