/**
 * Hands out producer ids, unique across restarts and (later) across brokers, as Kafka's
 * ZkProducerIdManager: ids come in blocks of PRODUCER_ID_BLOCK_SIZE claimed from a shared record of the
 * latest block; a block is recorded durably before any of its ids is used, so a crash only wastes the
 * rest of the block. Ids are JS numbers, exact far beyond any count of blocks a broker will claim.
 *
 * The record's format is Kafka's ZooKeeper znode /latest_producer_id_block:
 *   {"version":1,"broker":0,"block_start":"1000","block_end":"1999"}
 * Standalone it lives in the file `latest_producer_id_block` of the log dirs (FileProducerIdBlockStore);
 * a ZooKeeper store will write the same JSON to the znode with a conditional update.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../metadata/atomic-file.js';

export const PRODUCER_ID_BLOCK_SIZE = 1000;
export const PRODUCER_ID_BLOCK_FILE = 'latest_producer_id_block';

export interface ProducerIdsBlock {
  readonly assignedBrokerId: number;
  readonly firstProducerId: number;
  readonly size: number;
}

export function lastProducerId(block: ProducerIdsBlock): number {
  return block.firstProducerId + block.size - 1;
}

/** Where blocks are claimed. The next block starts after the latest recorded one, or at 0. */
export interface ProducerIdBlockStore {
  allocateBlock(brokerId: number, size: number): ProducerIdsBlock | Promise<ProducerIdsBlock>;
}

export function producerIdBlockJson(block: ProducerIdsBlock): string {
  return JSON.stringify({
    version: 1,
    broker: block.assignedBrokerId,
    block_start: String(block.firstProducerId),
    block_end: String(lastProducerId(block)),
  });
}

export function parseProducerIdBlockJson(text: string): ProducerIdsBlock {
  const js = JSON.parse(text) as { broker?: unknown; block_start?: unknown; block_end?: unknown };
  const start = Number(js.block_start);
  const end = Number(js.block_end);
  if (typeof js.broker !== 'number' || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
    throw new Error(`Failed to parse the producerId block json ${text}`);
  }
  return { assignedBrokerId: js.broker, firstProducerId: start, size: end - start + 1 };
}

/** The block that follows `current` (or the first block), refusing to pass Number.MAX_SAFE_INTEGER. */
export function nextBlock(current: ProducerIdsBlock | null, brokerId: number, size: number): ProducerIdsBlock {
  const first = current === null ? 0 : lastProducerId(current) + 1;
  if (first > Number.MAX_SAFE_INTEGER - size) throw new Error('Have exhausted all producerIds.');
  return { assignedBrokerId: brokerId, firstProducerId: first, size };
}

/**
 * Standalone: the latest block is kept in `latest_producer_id_block` in the first log dir, replaced
 * atomically. Every log dir is read, so reordering log.dirs cannot hand out an id twice.
 */
export class FileProducerIdBlockStore implements ProducerIdBlockStore {
  constructor(private readonly logDirs: readonly string[]) {}

  allocateBlock(brokerId: number, size: number): ProducerIdsBlock {
    let latest: ProducerIdsBlock | null = null;
    for (const dir of this.logDirs) {
      const file = path.join(dir, PRODUCER_ID_BLOCK_FILE);
      if (!fs.existsSync(file)) continue;
      const block = parseProducerIdBlockJson(fs.readFileSync(file, 'utf8'));
      if (latest === null || lastProducerId(block) > lastProducerId(latest)) latest = block;
    }
    const block = nextBlock(latest, brokerId, size);
    writeFileAtomicSync(path.join(this.logDirs[0]!, PRODUCER_ID_BLOCK_FILE), producerIdBlockJson(block));
    return block;
  }
}

/** Kafka's ProducerIdManager: the next id of the current block, claiming a new block when it runs out. */
export class ProducerIdManager {
  private block: ProducerIdsBlock | null = null;
  private nextProducerId = 0;
  private claiming: Promise<void> | null = null;

  constructor(
    private readonly brokerId: number,
    private readonly store: ProducerIdBlockStore,
    private readonly blockSize = PRODUCER_ID_BLOCK_SIZE,
  ) {}

  /** A producer id never handed out before; rejects if no block can be claimed. */
  async generateProducerId(): Promise<number> {
    while (this.block === null || this.nextProducerId > lastProducerId(this.block)) {
      this.claiming ??= this.claimBlock().finally(() => {
        this.claiming = null;
      });
      await this.claiming;
    }
    return this.nextProducerId++;
  }

  private async claimBlock(): Promise<void> {
    const block = await this.store.allocateBlock(this.brokerId, this.blockSize);
    this.block = block;
    this.nextProducerId = block.firstProducerId;
  }
}
