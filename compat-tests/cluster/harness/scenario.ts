// Steps the failure tests share: a replicated topic, waiting for leaders and full ISRs through the
// brokers' Metadata, and the final check of everything acknowledged against everything in the log.
import { expect } from 'vitest';
import type { MetadataResponse } from '../../../src/client/cluster.js';
import { check, summary, type CheckResult } from './checker.js';
import { samsa, type TestCluster } from './cluster.js';
import { chaosClient } from './java-client.js';

export interface PartitionView {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export function partitionsOf(md: MetadataResponse | null, topic: string): PartitionView[] | null {
  const t = md?.topics.find((x) => x.name === topic && x.errorCode === 0);
  if (t === undefined) return null;
  return t.partitions
    .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes }))
    .sort((a, b) => a.partition - b.partition);
}

/** `samsa topics --create --bootstrap-server` (CreateTopics through a live broker). */
export async function createTopic(
  cluster: TestCluster,
  topic: string,
  partitions: number,
  replicationFactor: number,
  configs: Record<string, string> = {},
): Promise<void> {
  const args = ['--create', '--bootstrap-server', cluster.bootstrap, '--topic', topic];
  args.push('--partitions', String(partitions), '--replication-factor', String(replicationFactor));
  for (const [k, v] of Object.entries(configs)) args.push('--config', `${k}=${v}`);
  const r = await samsa('topics', args);
  if (r.status !== 0) throw new Error(`topics --create exited ${r.status}: ${r.stderr}`);
}

/**
 * Until Metadata from a live broker shows every partition with a live leader and `isrSize` in sync
 * (default: all replicas); the partitions as last seen.
 */
export function waitForIsr(
  cluster: TestCluster,
  topic: string,
  timeoutMs = 60_000,
  isrSize?: number,
): Promise<PartitionView[]> {
  const live = () => new Set(cluster.live.map((b) => b.id));
  return cluster.waitFor(
    `every partition of ${topic} led, with ${isrSize ?? 'all'} replicas in sync`,
    async () => {
      const parts = partitionsOf(await cluster.metadata([topic]), topic);
      if (parts === null || parts.length === 0) return null;
      const ok = parts.every(
        (p) => p.leader >= 0 && live().has(p.leader) && p.isr.length === (isrSize ?? p.replicas.length),
      );
      return ok ? parts : null;
    },
    timeoutMs,
  );
}

/** Consumes the whole topic with Kafka's Java consumer and checks it against the producers' output. */
export async function verify(cluster: TestCluster, topic: string, producerOutput: string): Promise<CheckResult> {
  const consumed = await chaosClient(['consume', cluster.bootstrap, topic, '120000'], 180_000);
  if (consumed.status !== 0 || consumed.stdout.includes('incomplete ')) {
    throw new Error(
      `checker consumer failed (${consumed.status}):\n${consumed.stdout.slice(-2000)}\n${consumed.stderr.slice(-4000)}`,
    );
  }
  const result = check(producerOutput, consumed.stdout);
  console.log(`[${topic}] ${summary(result)}${result.examples.length ? `\n  ${result.examples.join('\n  ')}` : ''}`);
  return result;
}

/** The checker's verdict for a run that must lose, repeat, reorder, move and skip nothing. */
export function expectNoLoss(result: CheckResult): void {
  expect({
    lost: result.lost,
    duplicated: result.duplicated,
    reordered: result.reordered,
    moved: result.moved,
    gaps: result.gaps,
  }).toEqual({ lost: 0, duplicated: 0, reordered: 0, moved: 0, gaps: 0 });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
