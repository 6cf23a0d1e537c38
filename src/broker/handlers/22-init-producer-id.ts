import { ErrorCode } from '../../protocol/errors.js';
import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * InitProducerId (22), v0-5. v1 throttles after the response (KIP-219); v2 is flexible; v3 carries the
 * producer's current id and epoch (KIP-360); v4 may answer PRODUCER_FENCED (KIP-588); v5
 * TRANSACTION_ABORTABLE (KIP-890).
 *
 * An idempotent producer (null transactional id) always gets a fresh producer id with epoch 0, even
 * when it sends its current id and epoch: Kafka 3.9's TransactionCoordinator "blindly accepts" it.
 * KIP-360 epoch bumps of an idempotent producer happen in the client, which then produces with epoch
 * + 1 from sequence 0 (the partitions accept that); only a transactional id's epoch is bumped here.
 * An id sent without an epoch, or an epoch without an id, is INVALID_REQUEST, as in KafkaApis.
 *
 * Transactions are not implemented. An empty transactional id is INVALID_REQUEST (Kafka's check); any
 * other is UNSUPPORTED_VERSION, the error Kafka gives for an API whose feature is switched off (as
 * ConsumerGroupHeartbeat without the new group coordinator). Both are fatal to the Java producer
 * ("Unexpected error in InitProducerIdResponse") and permanent to librdkafka's init_transactions(),
 * where a retriable error such as COORDINATOR_NOT_AVAILABLE would make them retry until a timeout.
 */
type Response = ResponseInput<typeof InitProducerId>;

const NO_PRODUCER_ID = -1;
const NO_PRODUCER_EPOCH = -1;

function error(errorCode: number): Response {
  return { throttleTimeMs: 0, errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH };
}

export function initProducerIdHandler(s: BrokerServices): Handler<typeof InitProducerId> {
  return defineHandler(InitProducerId, '0-5', async (ctx, request) => {
    const { producerId, producerEpoch, transactionalId } = request;
    if ((producerId === NO_PRODUCER_ID) !== (producerEpoch === NO_PRODUCER_EPOCH)) {
      return error(ErrorCode.INVALID_REQUEST);
    }
    if (transactionalId !== null) {
      if (transactionalId === '') return error(ErrorCode.INVALID_REQUEST);
      s.log.info(
        `Refused InitProducerId for transactional id ${transactionalId} from client ${ctx.clientId}: ` +
          'transactions are not supported',
      );
      return error(ErrorCode.UNSUPPORTED_VERSION);
    }
    try {
      const id = await s.producerIdManager.generateProducerId();
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: id, producerEpoch: 0 };
    } catch (err) {
      s.log.error(`Failed to allocate a producer id: ${String(err)}`);
      return error(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
  });
}
