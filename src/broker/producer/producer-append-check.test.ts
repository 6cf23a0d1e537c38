import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors.js';
import { type ProducerBatch, checkClientBatch } from './producer-append-check.js';
import { ProducerStateEntry, decrementSequence, firstSeqOf, inSequence } from './producer-state-entry.js';

const INT32_MAX = 0x7fffffff;

function batch(epoch: number, baseSequence: number, count = 1, extra: Partial<ProducerBatch> = {}): ProducerBatch {
  const lastSequence =
    baseSequence + count - 1 > INT32_MAX ? baseSequence + count - 1 - INT32_MAX - 1 : baseSequence + count - 1;
  return { producerId: 7, producerEpoch: epoch, baseSequence, lastSequence, isTransactional: false, ...extra };
}

/** An entry with batches of `count` records each, appended from sequence `from` at offset 100. */
function entryWith(epoch: number, from: number, batches: number, count = 2): ProducerStateEntry {
  const e = new ProducerStateEntry(7);
  let seq = from;
  let offset = 100;
  for (let i = 0; i < batches; i++) {
    e.addBatch(epoch, {
      lastSeq: seq + count - 1,
      lastOffset: offset + count - 1,
      offsetDelta: count - 1,
      timestamp: 5 + i,
    });
    seq += count;
    offset += count;
  }
  return e;
}

const check = (entry: ProducerStateEntry | undefined, b: ProducerBatch) => checkClientBatch(entry, b, 500, 't-0');

describe('checkClientBatch', () => {
  it('accepts an unknown producer at sequence 0 and at any other sequence (KIP-360)', () => {
    expect(check(undefined, batch(0, 0))).toEqual({ kind: 'append' });
    expect(check(undefined, batch(3, 42))).toEqual({ kind: 'append' });
  });

  it('accepts the next sequence and refuses a gap or a repeat that is not an exact duplicate', () => {
    const e = entryWith(0, 0, 2); // seqs 0-1 @100-101, 2-3 @102-103
    expect(check(e, batch(0, 4))).toEqual({ kind: 'append' });
    const gap = check(e, batch(0, 6));
    expect(gap).toMatchObject({ kind: 'rejected', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(gap.kind === 'rejected' && gap.message).toContain(
      '6 (incoming seq. number), 3 (current end sequence number)',
    );
    expect(check(e, batch(0, 3))).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(check(e, batch(0, 2, 1))).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('finds a duplicate among the last five batches and answers the original offsets', () => {
    const e = entryWith(0, 0, 7); // 7 batches; the first two are forgotten
    expect(e.batches).toHaveLength(5);
    const dup = check(e, batch(0, 4, 2));
    expect(dup).toEqual({ kind: 'duplicate', batch: { lastSeq: 5, lastOffset: 105, offsetDelta: 1, timestamp: 7 } });
    expect(check(e, batch(0, 12, 2))).toMatchObject({ kind: 'duplicate', batch: { lastOffset: 113 } });
    // Older than the window: out of order, as in Kafka.
    expect(check(e, batch(0, 2, 2))).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    // Same sequences at another epoch: not a duplicate.
    expect(check(e, batch(1, 4, 2))).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('refuses an older epoch with INVALID_PRODUCER_EPOCH, before looking at sequences', () => {
    const e = entryWith(3, 0, 1);
    const r = check(e, batch(2, 2));
    expect(r).toMatchObject({ kind: 'rejected', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(r.kind === 'rejected' && r.message).toBe(
      'Epoch of producer 7 at offset 500 in partition t-0 is 2, which is smaller than the last seen epoch 3',
    );
  });

  it('requires a new epoch to start at sequence 0 (the client-side KIP-360 bump)', () => {
    const e = entryWith(0, 0, 2);
    expect(check(e, batch(1, 0))).toEqual({ kind: 'append' });
    expect(check(e, batch(1, 4))).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('wraps sequences at Int.MAX', () => {
    const e = new ProducerStateEntry(7);
    e.addBatch(0, { lastSeq: INT32_MAX, lastOffset: 10, offsetDelta: 1, timestamp: 1 });
    expect(check(e, batch(0, 0))).toEqual({ kind: 'append' });
    expect(check(e, batch(0, INT32_MAX - 1, 2))).toMatchObject({ kind: 'duplicate' });
    expect(firstSeqOf({ lastSeq: 1, lastOffset: 10, offsetDelta: 3, timestamp: 0 })).toBe(INT32_MAX - 1);
    expect(decrementSequence(0, 1)).toBe(INT32_MAX);
    expect(inSequence(INT32_MAX, 0)).toBe(true);
  });

  it('accepts any sequence for an entry without an epoch, and refuses transactional batches', () => {
    expect(check(new ProducerStateEntry(7), batch(0, 9))).toEqual({ kind: 'append' });
    expect(check(undefined, batch(-1, 9))).toEqual({ kind: 'append' });
    expect(check(undefined, batch(0, 0, 1, { isTransactional: true }))).toMatchObject({
      kind: 'rejected',
      errorCode: ErrorCode.INVALID_TXN_STATE,
    });
  });

  it('a new epoch clears the retained batches', () => {
    const e = entryWith(0, 0, 3);
    e.addBatch(1, { lastSeq: 0, lastOffset: 200, offsetDelta: 0, timestamp: 9 });
    expect(e.batches).toHaveLength(1);
    expect(e.producerEpoch).toBe(1);
    expect(e.lastTimestamp).toBe(9);
  });
});
