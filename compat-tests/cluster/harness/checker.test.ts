// The chaos checker reports each kind of difference (no broker needed).
import { describe, expect, it } from 'vitest';
import { check } from './checker.js';

const produced = [
  'ack 0 0 0 0',
  'ack 0 1 1 0',
  'ack 0 2 0 1',
  'ack 1 0 0 2',
  'fail 1 1 TimeoutException: x',
  'sent 0 3',
];

describe('cluster harness', () => {
  it('checker: a clean run has nothing lost, duplicated, reordered or moved', () => {
    const r = check(produced.join('\n'), ['rec 0 0 0:0', 'rec 0 1 0:2', 'rec 0 2 1:0', 'rec 1 0 0:1'].join('\n'));
    expect(r).toMatchObject({ acknowledged: 4, lost: 0, duplicated: 0, reordered: 0, moved: 0, gaps: 0, failed: 1 });
  });

  it('checker: counts lost, duplicated, reordered, moved, gaps and unacknowledged records', () => {
    const r = check(
      produced.join('\n'),
      ['rec 0 0 0:2', 'rec 0 1 0:0', 'rec 0 3 0:0', 'rec 0 4 1:1', 'rec 1 0 0:1', 'rec 1 1 0:1'].join('\n'),
    );
    expect(r).toMatchObject({
      acknowledged: 4,
      lost: 1, // 1:0
      duplicated: 2, // 0:0 and 0:1 twice each
      reordered: 2, // both copies of 0:0 after 0:2 in partition 0
      moved: 2, // 0:2 acked at 0@1 found at 0@0; 0:0 acked at 0@0 found at 0@1 and 0@3
      gaps: 1, // offset 2 of partition 0
      unacknowledged: 1, // 1:1 failed, yet written
    });
  });
});
