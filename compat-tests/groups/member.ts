// A kafkajs group member that records every message it is given, in this process or (member-child.ts)
// in a child process that a test can SIGKILL.
import type { KKafka } from '../kafkajs/driver.js';
import { FAST } from './common.js';

export interface KEachMessage {
  topic: string;
  partition: number;
  message: { offset: string; value: Buffer | null };
}
export interface KEachBatch {
  batch: { topic: string; partition: number; messages: Array<{ offset: string; value: Buffer | null }> };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
}
export interface KGroupConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(r: {
    autoCommit?: boolean;
    autoCommitThreshold?: number;
    eachMessage?: (p: KEachMessage) => Promise<void>;
    eachBatch?: (p: KEachBatch) => Promise<void>;
  }): Promise<void>;
  seek(s: { topic: string; partition: number; offset: string }): void;
  pause(ts: Array<{ topic: string; partitions?: number[] }>): void;
  resume(ts: Array<{ topic: string; partitions?: number[] }>): void;
  commitOffsets(os: Array<{ topic: string; partition: number; offset: string }>): Promise<void>;
  stop(): Promise<void>;
}

export interface Member {
  consumer: KGroupConsumer;
  /** Values in arrival order. */
  seen: string[];
  /** Partitions of each message, for disjointness checks. */
  partitions: Set<number>;
  stop(): Promise<void>;
}

export interface MemberOptions {
  autoCommit?: boolean;
  /** Commit each message's next offset with commitOffsets before taking the next one. */
  commitEach?: boolean;
  onMessage?: (m: KEachMessage, member: Member) => void | Promise<void>;
}

/** Connects, subscribes (from the beginning when nothing is committed) and runs eachMessage. */
export async function startMember(
  kafka: KKafka,
  groupId: string,
  topic: string,
  opts: MemberOptions = {},
): Promise<Member> {
  const consumer = kafka.consumer({ groupId, ...FAST }) as unknown as KGroupConsumer;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const member: Member = {
    consumer,
    seen: [],
    partitions: new Set(),
    stop: () => consumer.disconnect(),
  };
  await consumer.run({
    autoCommit: opts.autoCommit ?? true,
    eachMessage: async (m) => {
      member.seen.push(m.message.value?.toString() ?? '');
      member.partitions.add(m.partition);
      if (opts.commitEach) {
        await consumer.commitOffsets([
          { topic: m.topic, partition: m.partition, offset: String(Number(m.message.offset) + 1) },
        ]);
      }
      await opts.onMessage?.(m, member);
    },
  });
  return member;
}
