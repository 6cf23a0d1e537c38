/**
 * What a partition remembers about one producer id (Kafka's ProducerStateEntry and BatchMetadata):
 * its epoch, the metadata of its last NUM_BATCHES_TO_RETAIN appended batches (oldest first), and the
 * timestamp of its last append, which producer.id.expiration.ms is measured from.
 *
 * Invariants: every retained batch belongs to `producerEpoch` (a new epoch clears them); batches are in
 * append order, so their sequences and offsets increase (sequences modulo the wrap at 2^31 - 1).
 * coordinatorEpoch and currentTxnFirstOffset belong to transactions, which are not implemented: they
 * stay -1 here and in snapshots, as Kafka writes them for a producer that never used a transaction.
 */
import { NO_PRODUCER_EPOCH, NO_SEQUENCE, NO_TIMESTAMP } from '../../protocol/records/record-batch.js';

/** How many batches per producer a duplicate can be found among: the producer's max.in.flight bound. */
export const NUM_BATCHES_TO_RETAIN = 5;

const INT32_MAX = 0x7fffffff;

/** One appended batch: its last sequence, last offset, lastOffset - firstOffset, and max timestamp. */
export interface BatchMetadata {
  readonly lastSeq: number;
  readonly lastOffset: number;
  readonly offsetDelta: number;
  readonly timestamp: number;
}

/** DefaultRecordBatch.decrementSequence: the inverse of incrementSequence across the wrap. */
export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

export function firstSeqOf(b: BatchMetadata): number {
  return decrementSequence(b.lastSeq, b.offsetDelta);
}

export function firstOffsetOf(b: BatchMetadata): number {
  return b.lastOffset - b.offsetDelta;
}

/** `next` directly follows `last`, with Int.MAX followed by 0 (ProducerAppendInfo.inSequence). */
export function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

export class ProducerStateEntry {
  /** Oldest first, at most NUM_BATCHES_TO_RETAIN. */
  readonly batches: BatchMetadata[] = [];

  constructor(
    readonly producerId: number,
    public producerEpoch: number = NO_PRODUCER_EPOCH,
    public coordinatorEpoch = -1,
    public lastTimestamp: number = NO_TIMESTAMP,
    public currentTxnFirstOffset = -1,
  ) {}

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  get lastSeq(): number {
    const last = this.batches.at(-1);
    return last === undefined ? NO_SEQUENCE : last.lastSeq;
  }

  get lastDataOffset(): number {
    return this.batches.at(-1)?.lastOffset ?? -1;
  }

  get lastOffsetDelta(): number {
    return this.batches.at(-1)?.offsetDelta ?? 0;
  }

  /** A new epoch forgets the batches of the old one. */
  maybeUpdateProducerEpoch(epoch: number): void {
    if (this.producerEpoch === epoch) return;
    this.batches.length = 0;
    this.producerEpoch = epoch;
  }

  addBatch(epoch: number, batch: BatchMetadata): void {
    this.maybeUpdateProducerEpoch(epoch);
    if (this.batches.length === NUM_BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(batch);
    this.lastTimestamp = batch.timestamp;
  }

  /** The retained batch with exactly this epoch and sequence range: a retry of an appended batch. */
  findDuplicateBatch(epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (epoch !== this.producerEpoch) return undefined;
    return this.batches.find((b) => b.lastSeq === lastSeq && firstSeqOf(b) === firstSeq);
  }
}
