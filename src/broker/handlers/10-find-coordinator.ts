import { ErrorCode, errorInfo } from '../../protocol/errors.js';
import { FindCoordinator } from '../../protocol/messages/10-find-coordinator.js';
import { ensureOffsetsTopic } from '../group/offsets-topic.js';
import { defineHandler, type Handler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import type { BrokerServices } from '../services.js';

/**
 * FindCoordinator (10), v0-6. v1 adds the key type (0 group, 1 transaction), throttle time and an
 * error message; v3 is flexible; v4 looks up many keys at once (KIP-699), answered per key; v5 may
 * answer TRANSACTION_ABORTABLE; v6 adds share-group keys (2).
 *
 * A group's coordinator is the leader of its `__consumer_offsets` partition (abs(hashCode) % count).
 * The topic is created on first use, as Kafka does; Kafka answers COORDINATOR_NOT_AVAILABLE while the
 * creation propagates, but the embedded store creates it at once, so the first answer already names
 * the coordinator. Without a transaction or share coordinator those key types answer
 * COORDINATOR_NOT_AVAILABLE; an unknown key type is INVALID_REQUEST. Like Kafka, the error message of a
 * success is "NONE" (Errors.NONE.message()).
 */
const GROUP = 0;
const TRANSACTION = 1;
const SHARE = 2;

interface Coordinator {
  readonly errorCode: number;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

const NO_NODE = { nodeId: -1, host: '', port: -1 };

export function findCoordinatorHandler(s: BrokerServices): Handler<typeof FindCoordinator> {
  return defineHandler(FindCoordinator, '0-6', async (ctx, request) => {
    const keyType = ctx.apiVersion >= 1 ? request.keyType : GROUP;
    if (ctx.apiVersion >= 4) {
      const coordinators = [];
      for (const key of request.coordinatorKeys) {
        const c = await coordinatorFor(s, ctx, keyType, key);
        coordinators.push({ key, ...c, errorMessage: messageOf(c.errorCode) });
      }
      return { throttleTimeMs: 0, coordinators };
    }
    const c = await coordinatorFor(s, ctx, keyType, request.key);
    return { throttleTimeMs: 0, ...c, errorMessage: messageOf(c.errorCode) };
  });
}

function messageOf(errorCode: number): string {
  return errorCode === ErrorCode.NONE ? 'NONE' : (errorInfo(errorCode)?.message ?? 'NONE');
}

async function coordinatorFor(
  s: BrokerServices,
  ctx: RequestContext,
  keyType: number,
  key: string,
): Promise<Coordinator> {
  if (keyType === TRANSACTION || keyType === SHARE)
    return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
  if (keyType !== GROUP) return { errorCode: ErrorCode.INVALID_REQUEST, ...NO_NODE };
  const coordinator = s.groupCoordinator;
  let topic;
  try {
    topic = await ensureOffsetsTopic(s.metadata, coordinator.manager.config, s.log);
  } catch (err) {
    s.log.warn(`Creating __consumer_offsets failed: ${String(err)}`);
  }
  const leader = topic?.partitions[coordinator.manager.partitionFor(key)]?.leader ?? -1;
  const broker = leader >= 0 ? s.metadata.broker(leader) : undefined;
  if (broker === undefined) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
  const endpoint = broker.endpoints.find((e) => e.listenerName === ctx.listenerName) ?? broker.endpoints[0];
  return {
    errorCode: ErrorCode.NONE,
    nodeId: broker.brokerId,
    host: endpoint?.host ?? broker.host,
    port: endpoint?.port ?? broker.port,
  };
}
