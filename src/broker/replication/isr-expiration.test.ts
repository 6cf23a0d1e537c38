import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleIsrExpiration, type IsrShrinkable } from './isr-expiration.js';

afterEach(() => {
  vi.useRealTimers();
});

function fakePartition(isLeader: boolean): IsrShrinkable & { checks: number[] } {
  const checks: number[] = [];
  return { isLeader, checks, maybeShrinkIsr: (now) => void checks.push(now) };
}

describe('scheduleIsrExpiration', () => {
  it('checks every leader partition each replica.lag.time.max.ms / 2, and stops when told', () => {
    vi.useFakeTimers();
    const leader = fakePartition(true);
    const follower = fakePartition(false);
    let now = 0;
    const stop = scheduleIsrExpiration(
      () => [leader, follower],
      1000,
      () => now,
    );
    now = 500;
    vi.advanceTimersByTime(499);
    expect(leader.checks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(leader.checks).toEqual([500]);
    now = 1000;
    vi.advanceTimersByTime(500);
    expect(leader.checks).toEqual([500, 1000]);
    expect(follower.checks).toEqual([]);
    stop();
    vi.advanceTimersByTime(5000);
    expect(leader.checks).toHaveLength(2);
  });

  it('sees partitions added after it started', () => {
    vi.useFakeTimers();
    const partitions: IsrShrinkable[] = [];
    const stop = scheduleIsrExpiration(() => partitions, 10);
    const p = fakePartition(true);
    partitions.push(p);
    vi.advanceTimersByTime(5);
    expect(p.checks).toHaveLength(1);
    stop();
  });
});
