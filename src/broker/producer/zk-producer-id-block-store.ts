/**
 * Cluster mode's producer id blocks, as Kafka's ZkProducerIdManager claims them: the znode
 * /latest_producer_id_block holds the latest claimed block ({"version":1,"broker":0,"block_start":"0",
 * "block_end":"999"}; empty before the first claim). A broker claims the next block with a write
 * conditional on the version it read, retrying when another broker won the race, so no two brokers
 * ever hand out the same producer id (which would fence each other's producers).
 */
import { ZK_BAD_VERSION, ZK_NODE_EXISTS, isZkError, type ZkClient } from '../metadata/zookeeper/zk-client.js';
import {
  nextBlock,
  parseProducerIdBlockJson,
  producerIdBlockJson,
  type ProducerIdBlockStore,
  type ProducerIdsBlock,
} from './producer-id-manager.js';

export const LATEST_PRODUCER_ID_BLOCK_PATH = '/latest_producer_id_block';

export class ZkProducerIdBlockStore implements ProducerIdBlockStore {
  /** `zk` returns the current session's client (a new one after a session expiry). */
  constructor(private readonly zk: () => ZkClient) {}

  async allocateBlock(brokerId: number, size: number): Promise<ProducerIdsBlock> {
    for (;;) {
      const zk = this.zk();
      const node = await zk.get(LATEST_PRODUCER_ID_BLOCK_PATH);
      const current = node === null || node.data === '' ? null : parseProducerIdBlockJson(node.data);
      const block = nextBlock(current, brokerId, size);
      try {
        if (node === null) await zk.create(LATEST_PRODUCER_ID_BLOCK_PATH, producerIdBlockJson(block));
        else await zk.set(LATEST_PRODUCER_ID_BLOCK_PATH, producerIdBlockJson(block), node.version);
        return block;
      } catch (err) {
        // Another broker claimed a block since we read: read again.
        if (!isZkError(err, ZK_BAD_VERSION) && !isZkError(err, ZK_NODE_EXISTS)) throw err;
      }
    }
  }
}
