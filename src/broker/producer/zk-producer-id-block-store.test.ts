import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZkClient } from '../metadata/zookeeper/zk-client.js';
import { ZooKeeperServer } from '../testing/zookeeper-server.js';
import { ProducerIdManager } from './producer-id-manager.js';
import { LATEST_PRODUCER_ID_BLOCK_PATH, ZkProducerIdBlockStore } from './zk-producer-id-block-store.js';

const run = ZooKeeperServer.available() ? describe : describe.skip;
let server: ZooKeeperServer;

beforeAll(async () => {
  if (ZooKeeperServer.available()) server = await ZooKeeperServer.start();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

run('ZkProducerIdBlockStore', () => {
  it('gives brokers disjoint blocks from /latest_producer_id_block, even when they race', async () => {
    const opts = { connect: server.connect('/pid'), sessionTimeoutMs: 6000, connectionTimeoutMs: 10_000 };
    const clients = await Promise.all([0, 1, 2].map(() => ZkClient.connect(opts, () => {})));
    try {
      const managers = clients.map((zk, id) => new ProducerIdManager(id, new ZkProducerIdBlockStore(() => zk), 10));
      const ids = await Promise.all(managers.flatMap((m) => Array.from({ length: 25 }, () => m.generateProducerId())));
      expect(new Set(ids).size).toBe(75);
      const latest = JSON.parse((await clients[0]!.get(LATEST_PRODUCER_ID_BLOCK_PATH))!.data) as Record<
        string,
        unknown
      >;
      expect(latest).toMatchObject({
        version: 1,
        block_end: String(Math.max(...ids.map((i) => Math.ceil((i + 1) / 10) * 10 - 1))),
      });
      // An empty znode (as broker startup creates it) means no block yet.
      await clients[0]!.set(LATEST_PRODUCER_ID_BLOCK_PATH, '', -1);
      const fresh = new ProducerIdManager(7, new ZkProducerIdBlockStore(() => clients[1]!), 10);
      expect(await fresh.generateProducerId()).toBe(0);
    } finally {
      for (const c of clients) c.close();
    }
  });
});
