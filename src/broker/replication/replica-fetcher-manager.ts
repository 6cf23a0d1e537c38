/**
 * The follower fetch loops of this broker (Kafka's ReplicaFetcherManager over
 * AbstractFetcherManager): at most `num.replica.fetchers` fetchers per leader broker, a partition's
 * fetcher chosen by Kafka's hash (abs(31 * topic.hashCode + partition) % num.replica.fetchers).
 *
 * Invariants: a partition is in at most one fetcher; moving it to another leader (or another epoch)
 * means remove then add, and the ReplicaManager always removes before it adds. A fetcher left without
 * partitions is shut down by shutdownIdleFetchers.
 */
import type { Logger } from '../logger.js';
import { tpKey, type FetcherSettings, type LeaderEndPoint } from './leader-endpoint.js';
import { RemoteLeaderEndPoint } from './leader-endpoint.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import type { BrokerEndPoint, InitialFetchState } from './types.js';

export interface ReplicaFetcherManagerOptions {
  readonly brokerId: number;
  readonly numFetchers: number;
  readonly backoffMs: number;
  readonly settings: Omit<FetcherSettings, 'clientId' | 'brokerId'>;
  readonly logger: Logger;
  readonly onAppended?: (key: string) => void;
  /** How to reach a leader; tests may put an in-memory leader here. */
  readonly endpointFactory?: (leader: BrokerEndPoint, settings: FetcherSettings) => LeaderEndPoint;
}

interface FetcherEntry {
  readonly leader: BrokerEndPoint;
  readonly fetcher: ReplicaFetcher;
}

export class ReplicaFetcherManager {
  /** Keyed by `${leaderId}-${fetcherId}`. */
  private readonly fetchers = new Map<string, FetcherEntry>();
  /** Which fetcher holds each partition (tpKey → fetcher key). */
  private readonly fetcherOf = new Map<string, string>();
  private readonly stopping: Promise<void>[] = [];

  constructor(private readonly options: ReplicaFetcherManagerOptions) {}

  fetcherId(topic: string, partition: number): number {
    return ((31 * javaStringHash(topic) + partition) & 0x7fffffff) % Math.max(this.options.numFetchers, 1);
  }

  addFetcherForPartitions(states: readonly InitialFetchState[]): void {
    const groups = new Map<string, InitialFetchState[]>();
    for (const s of states) {
      this.removeFetcherForPartitions([tpKey(s.topic, s.partition)]);
      const key = this.fetcherKeyFor(s);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [s]);
      else group.push(s);
    }
    for (const [key, group] of groups) {
      const fetcher = this.fetcherFor(key, group[0]!.leader, this.fetcherId(group[0]!.topic, group[0]!.partition));
      fetcher.addPartitions(group);
      for (const s of group) this.fetcherOf.set(tpKey(s.topic, s.partition), key);
      this.options.logger.info(
        `Added fetcher to broker ${group[0]!.leader.id} for partitions ` +
          group.map((s) => `${tpKey(s.topic, s.partition)}@${s.initOffset}`).join(', '),
      );
    }
  }

  removeFetcherForPartitions(keys: Iterable<string>): void {
    for (const key of keys) {
      const fetcherKey = this.fetcherOf.get(key);
      if (fetcherKey === undefined) continue;
      this.fetcherOf.delete(key);
      this.fetchers.get(fetcherKey)?.fetcher.removePartitions([key]);
    }
  }

  /** The fetcher a partition is in, if any (tests and reporting). */
  fetcherForPartition(key: string): ReplicaFetcher | undefined {
    const fetcherKey = this.fetcherOf.get(key);
    return fetcherKey === undefined ? undefined : this.fetchers.get(fetcherKey)?.fetcher;
  }

  get fetcherCount(): number {
    return this.fetchers.size;
  }

  /** Stops fetchers without partitions (Kafka's shutdownIdleFetcherThreads). */
  shutdownIdleFetchers(): void {
    for (const [key, entry] of this.fetchers) {
      if (entry.fetcher.partitionCount > 0) continue;
      this.fetchers.delete(key);
      this.stopping.push(entry.fetcher.shutdown());
    }
  }

  async shutdown(): Promise<void> {
    const all = [...this.fetchers.values()].map((e) => e.fetcher.shutdown());
    this.fetchers.clear();
    this.fetcherOf.clear();
    await Promise.all([...all, ...this.stopping.splice(0)]);
  }

  private fetcherKeyFor(s: InitialFetchState): string {
    return `${s.leader.id}-${this.fetcherId(s.topic, s.partition)}`;
  }

  /** The running fetcher for key; a fetcher whose leader's address changed is replaced. */
  private fetcherFor(key: string, leader: BrokerEndPoint, fetcherId: number): ReplicaFetcher {
    const existing = this.fetchers.get(key);
    if (existing !== undefined && sameEndPoint(existing.leader, leader)) return existing.fetcher;
    if (existing !== undefined) {
      // Its partitions move to the new fetcher only through a LeaderAndIsr; the old one is stopped.
      this.fetchers.delete(key);
      for (const [tp, fk] of this.fetcherOf) if (fk === key) this.fetcherOf.delete(tp);
      this.stopping.push(existing.fetcher.shutdown());
    }
    const o = this.options;
    const settings: FetcherSettings = {
      ...o.settings,
      brokerId: o.brokerId,
      clientId: `broker-${o.brokerId}-fetcher-${fetcherId}`,
    };
    const endpoint = o.endpointFactory?.(leader, settings) ?? new RemoteLeaderEndPoint(leader, settings);
    const fetcher = new ReplicaFetcher(endpoint, {
      name: `ReplicaFetcherThread-${fetcherId}-${leader.id}`,
      backoffMs: o.backoffMs,
      logger: o.logger,
      onAppended: o.onAppended,
    });
    this.fetchers.set(key, { leader, fetcher });
    fetcher.start();
    return fetcher;
  }
}

function sameEndPoint(a: BrokerEndPoint, b: BrokerEndPoint): boolean {
  return a.id === b.id && a.host === b.host && a.port === b.port;
}

/** Java's String.hashCode (UTF-16 code units, int32 overflow), for Kafka's fetcher assignment. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (31 * h + s.charCodeAt(i)) | 0;
  return h;
}
