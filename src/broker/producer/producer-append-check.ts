/**
 * The idempotence checks of a leader append of client data, for one batch, before it is written:
 * Kafka 3.9's UnifiedLog.analyzeAndValidateProducerState with ProducerAppendInfo (origin CLIENT).
 *
 * In Kafka's order:
 * 1. Duplicate: same epoch, and the exact sequence range of one of the producer's last 5 batches. The
 *    batch is not written; the answer is NONE with the original batch's offsets (the producer retried
 *    a batch whose acknowledgement it lost). Kafka no longer answers DUPLICATE_SEQUENCE_NUMBER.
 * 2. A transactional batch: INVALID_TXN_STATE, as Kafka answers a batch that is not part of a verified
 *    ongoing transaction. Transactions are not implemented, so no transaction is ever ongoing here.
 * 3. Epoch older than the partition's: INVALID_PRODUCER_EPOCH (Kafka 2.7+ replaced PRODUCER_FENCED by
 *    it on Produce, so the producer can abort and retry rather than die).
 * 4. A newer epoch must start at sequence 0, unless the partition knows no epoch for the producer:
 *    OUT_OF_ORDER_SEQUENCE_NUMBER otherwise.
 * 5. The same epoch must continue at lastSeq + 1 (0 after 2^31 - 1), unless the partition knows no
 *    epoch for the producer: OUT_OF_ORDER_SEQUENCE_NUMBER otherwise.
 *
 * An unknown producer id is accepted at any sequence (Kafka 2.5+, KIP-360: its state may have expired
 * or its records been deleted); UNKNOWN_PRODUCER_ID is never answered, as in Kafka 3.9.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { NO_PRODUCER_EPOCH, NO_SEQUENCE } from '../../protocol/records/record-batch.js';
import { type BatchMetadata, type ProducerStateEntry, inSequence } from './producer-state-entry.js';

/** The producer fields of the one batch a validated produce holds (ValidatedRecords' subset). */
export interface ProducerBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly isTransactional: boolean;
}

export type ProducerAppendCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly batch: BatchMetadata }
  | { readonly kind: 'rejected'; readonly errorCode: number; readonly message: string };

export const APPEND: ProducerAppendCheck = Object.freeze({ kind: 'append' });

function rejected(errorCode: number, message: string): ProducerAppendCheck {
  return { kind: 'rejected', errorCode, message };
}

/**
 * Checks `batch` against the producer's entry (undefined for a producer the partition does not know),
 * as if appended at `firstOffset`. Pure: the entry is not changed.
 */
export function checkClientBatch(
  entry: ProducerStateEntry | undefined,
  batch: ProducerBatch,
  firstOffset: number,
  topicPartition: string,
): ProducerAppendCheck {
  const { producerId, producerEpoch: epoch, baseSequence: firstSeq } = batch;
  const duplicate = entry?.findDuplicateBatch(epoch, firstSeq, batch.lastSequence);
  if (duplicate !== undefined) return { kind: 'duplicate', batch: duplicate };
  if (batch.isTransactional) {
    return rejected(
      ErrorCode.INVALID_TXN_STATE,
      `Record was not part of an ongoing transaction (producer ${producerId}; transactions are not supported)`,
    );
  }
  const currentEpoch = entry?.producerEpoch ?? NO_PRODUCER_EPOCH;
  const where = `producer ${producerId} at offset ${firstOffset} in partition ${topicPartition}`;
  if (epoch < currentEpoch) {
    return rejected(
      ErrorCode.INVALID_PRODUCER_EPOCH,
      `Epoch of ${where} is ${epoch}, which is smaller than the last seen epoch ${currentEpoch}`,
    );
  }
  if (epoch !== currentEpoch) {
    if (firstSeq !== 0 && currentEpoch !== NO_PRODUCER_EPOCH) {
      return rejected(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Invalid sequence number for new epoch of ${where}: ${epoch} (request epoch), ${firstSeq} (seq. number), ` +
          `${currentEpoch} (current producer epoch)`,
      );
    }
    return APPEND;
  }
  const lastSeq = entry?.lastSeq ?? NO_SEQUENCE;
  if (currentEpoch !== NO_PRODUCER_EPOCH && !inSequence(lastSeq, firstSeq)) {
    return rejected(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      `Out of order sequence number for ${where}: ${firstSeq} (incoming seq. number), ${lastSeq} (current end sequence number)`,
    );
  }
  return APPEND;
}
