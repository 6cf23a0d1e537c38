import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTmpDir, removeTmpDir } from '../../log/testing/test-batches.js';
import {
  FileProducerIdBlockStore,
  PRODUCER_ID_BLOCK_FILE,
  ProducerIdManager,
  type ProducerIdsBlock,
  nextBlock,
  parseProducerIdBlockJson,
  producerIdBlockJson,
} from './producer-id-manager.js';

let dirs: string[];
beforeEach(() => {
  dirs = [makeTmpDir('samsa-pid-a-'), makeTmpDir('samsa-pid-b-')];
});
afterEach(() => dirs.forEach(removeTmpDir));

describe('ProducerIdManager', () => {
  it('hands out consecutive ids from blocks of 1000, recording each block first', async () => {
    const m = new ProducerIdManager(3, new FileProducerIdBlockStore(dirs));
    expect(await m.generateProducerId()).toBe(0);
    expect(await m.generateProducerId()).toBe(1);
    const text = fs.readFileSync(path.join(dirs[0]!, PRODUCER_ID_BLOCK_FILE), 'utf8');
    expect(JSON.parse(text)).toEqual({ version: 1, broker: 3, block_start: '0', block_end: '999' });
  });

  it('never repeats an id across restarts: a new manager starts at the next block', async () => {
    await new ProducerIdManager(0, new FileProducerIdBlockStore(dirs)).generateProducerId();
    const again = new ProducerIdManager(0, new FileProducerIdBlockStore(dirs));
    expect(await again.generateProducerId()).toBe(1000);
    // log.dirs reordered: the latest block is still found.
    const reordered = new ProducerIdManager(0, new FileProducerIdBlockStore([...dirs].reverse()));
    expect(await reordered.generateProducerId()).toBe(2000);
    const third = new ProducerIdManager(0, new FileProducerIdBlockStore(dirs));
    expect(await third.generateProducerId()).toBe(3000);
  });

  it('claims one block for concurrent requests and a new one when a block runs out', async () => {
    let claims = 0;
    let latest: ProducerIdsBlock | null = null;
    const store = {
      allocateBlock: async (brokerId: number, size: number) => {
        claims++;
        await new Promise((r) => setImmediate(r));
        latest = nextBlock(latest, brokerId, size);
        return latest;
      },
    };
    const m = new ProducerIdManager(0, store, 3);
    const ids = await Promise.all(Array.from({ length: 7 }, () => m.generateProducerId()));
    expect(ids.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(claims).toBe(3);
  });

  it('rejects when no block can be claimed, and recovers on the next call', async () => {
    let fail = true;
    const store = {
      allocateBlock: (brokerId: number, size: number) => {
        if (fail) throw new Error('disk gone');
        return nextBlock(null, brokerId, size);
      },
    };
    const m = new ProducerIdManager(0, store);
    await expect(m.generateProducerId()).rejects.toThrow('disk gone');
    fail = false;
    expect(await m.generateProducerId()).toBe(0);
  });

  it("parses Kafka's znode JSON and refuses anything else", () => {
    const block = { assignedBrokerId: 1, firstProducerId: 5000, size: 1000 };
    expect(producerIdBlockJson(block)).toBe('{"version":1,"broker":1,"block_start":"5000","block_end":"5999"}');
    expect(parseProducerIdBlockJson(producerIdBlockJson(block))).toEqual(block);
    expect(() => parseProducerIdBlockJson('{"version":1,"broker":1,"block_start":"x","block_end":"9"}')).toThrow(
      /Failed to parse/,
    );
    expect(() => parseProducerIdBlockJson('{"version":1,"block_start":"0","block_end":"9"}')).toThrow(/Failed/);
    expect(() =>
      nextBlock({ assignedBrokerId: 0, firstProducerId: Number.MAX_SAFE_INTEGER - 1500, size: 1000 }, 0, 1000),
    ).toThrow('Have exhausted all producerIds.');
  });
});
