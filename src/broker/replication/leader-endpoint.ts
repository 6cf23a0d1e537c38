/**
 * The leader as a follower's fetcher talks to it (Kafka's LeaderEndPoint / RemoteLeaderEndPoint): Fetch
 * with this broker's replica id, OffsetForLeaderEpoch for truncation, ListOffsets for the leader's log
 * start and end. One connection per fetcher, opened on first use and reopened after a failure; any
 * failure of the connection rejects the call and closes it, and the fetcher backs off.
 */
import { BrokerConnection } from '../../client/connection.js';
import { Fetch } from '../../protocol/messages/01-fetch.js';
import { ListOffsets } from '../../protocol/messages/02-list-offsets.js';
import { OffsetForLeaderEpoch } from '../../protocol/messages/23-offset-for-leader-epoch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { BrokerEndPoint, EpochEndOffset } from './types.js';

export function tpKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export interface FetchPartitionRequest {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly fetchOffset: number;
  readonly currentLeaderEpoch: number;
  readonly lastFetchedEpoch: number;
  readonly logStartOffset: number;
}

export interface FetchPartitionResponse {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** Set (epoch >= 0) when the leader saw our last fetched epoch diverge from its log (v12+). */
  readonly divergingEpoch: { readonly epoch: number; readonly endOffset: number } | null;
  readonly records: Buffer | null;
}

export interface EpochRequest {
  readonly topic: string;
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  readonly leaderEpoch: number;
}

export interface OffsetAnswer {
  readonly errorCode: number;
  readonly offset: number;
}

export interface LeaderEndPoint {
  readonly leader: BrokerEndPoint;
  /** Answers keyed by tpKey; a partition the leader left out is absent. */
  fetch(partitions: readonly FetchPartitionRequest[]): Promise<Map<string, FetchPartitionResponse>>;
  fetchEpochEndOffsets(partitions: readonly EpochRequest[]): Promise<Map<string, EpochEndOffset>>;
  fetchLatestOffset(topic: string, partition: number, currentLeaderEpoch: number): Promise<OffsetAnswer>;
  fetchEarliestOffset(topic: string, partition: number, currentLeaderEpoch: number): Promise<OffsetAnswer>;
  close(): void;
}

/** The replica.* settings of a follower's requests. */
export interface FetcherSettings {
  readonly brokerId: number;
  readonly clientId: string;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly responseMaxBytes: number;
  readonly partitionMaxBytes: number;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** Fetch v12 is the last to name topics; v13+ needs topic ids for every partition. */
const LAST_FETCH_VERSION_WITH_NAMES = 12;
const LATEST_TIMESTAMP = -1;
const EARLIEST_TIMESTAMP = -2;

export class RemoteLeaderEndPoint implements LeaderEndPoint {
  private connection: BrokerConnection | null = null;
  /** Set by close(): a connection that finishes opening afterwards is closed at once, never kept. */
  private closed = false;

  constructor(
    readonly leader: BrokerEndPoint,
    private readonly settings: FetcherSettings,
  ) {}

  private async connect(): Promise<BrokerConnection> {
    if (this.connection !== null && !this.connection.closed) return this.connection;
    this.connection = null;
    const conn = await BrokerConnection.open(this.leader.host, this.leader.port, {
      clientId: this.settings.clientId,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      requestTimeoutMs: this.settings.requestTimeoutMs,
    });
    if (this.closed) {
      conn.close();
      throw new Error(`the fetcher for broker ${this.leader.id} was closed while connecting`);
    }
    this.connection = conn;
    return conn;
  }

  /** Runs one request; a failure closes the connection so that the next call opens a new one. */
  private async call<T>(run: (conn: BrokerConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      return await run(conn);
    } catch (err) {
      conn.close();
      if (this.connection === conn) this.connection = null;
      throw err;
    }
  }

  fetch(partitions: readonly FetchPartitionRequest[]): Promise<Map<string, FetchPartitionResponse>> {
    return this.call(async (conn) => {
      const byId = partitions.every((p) => p.topicId !== ZERO_UUID) && conn.versionFor(Fetch) > 12;
      const version = byId ? conn.versionFor(Fetch) : LAST_FETCH_VERSION_WITH_NAMES;
      const topics = groupByTopic(partitions);
      const s = this.settings;
      const response = await conn.sendAtMost(
        Fetch,
        version,
        {
          clusterId: null,
          replicaId: s.brokerId,
          replicaState: { replicaId: s.brokerId, replicaEpoch: -1 },
          maxWaitMs: s.maxWaitMs,
          minBytes: s.minBytes,
          maxBytes: s.responseMaxBytes,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [...topics.values()].map((group) => ({
            topic: group[0]!.topic,
            topicId: group[0]!.topicId,
            partitions: group.map((p) => ({
              partition: p.partition,
              currentLeaderEpoch: p.currentLeaderEpoch,
              fetchOffset: p.fetchOffset,
              lastFetchedEpoch: p.lastFetchedEpoch,
              logStartOffset: p.logStartOffset,
              partitionMaxBytes: s.partitionMaxBytes,
            })),
          })),
          forgottenTopicsData: [],
          rackId: '',
        },
        s.requestTimeoutMs + s.maxWaitMs,
      );
      const nameOf = new Map(partitions.map((p) => [p.topicId, p.topic]));
      const answers = new Map<string, FetchPartitionResponse>();
      for (const t of response.responses) {
        const topic = byId ? nameOf.get(t.topicId) : t.topic;
        if (topic === undefined) continue;
        for (const p of t.partitions) {
          answers.set(tpKey(topic, p.partitionIndex), {
            errorCode: p.errorCode,
            highWatermark: p.highWatermark,
            logStartOffset: p.logStartOffset,
            divergingEpoch: p.divergingEpoch.epoch >= 0 ? p.divergingEpoch : null,
            // Decoded responses always carry bytes; ExternalRecords exist only on the send side.
            records: Buffer.isBuffer(p.records) ? p.records : null,
          });
        }
      }
      if (response.errorCode !== 0) {
        for (const p of partitions) answers.set(tpKey(p.topic, p.partition), errorAnswer(response.errorCode));
      }
      return answers;
    });
  }

  fetchEpochEndOffsets(partitions: readonly EpochRequest[]): Promise<Map<string, EpochEndOffset>> {
    return this.call(async (conn) => {
      const topics = groupByTopic(partitions);
      const response = await conn.send(OffsetForLeaderEpoch, {
        replicaId: this.settings.brokerId,
        topics: [...topics.values()].map((group) => ({
          topic: group[0]!.topic,
          partitions: group.map((p) => ({
            partition: p.partition,
            currentLeaderEpoch: p.currentLeaderEpoch,
            leaderEpoch: p.leaderEpoch,
          })),
        })),
      });
      const answers = new Map<string, EpochEndOffset>();
      for (const t of response.topics) {
        for (const p of t.partitions) {
          answers.set(tpKey(t.topic, p.partition), {
            errorCode: p.errorCode,
            leaderEpoch: p.leaderEpoch,
            endOffset: p.endOffset,
          });
        }
      }
      return answers;
    });
  }

  fetchLatestOffset(topic: string, partition: number, currentLeaderEpoch: number): Promise<OffsetAnswer> {
    return this.listOffset(topic, partition, currentLeaderEpoch, LATEST_TIMESTAMP);
  }

  fetchEarliestOffset(topic: string, partition: number, currentLeaderEpoch: number): Promise<OffsetAnswer> {
    return this.listOffset(topic, partition, currentLeaderEpoch, EARLIEST_TIMESTAMP);
  }

  /** ListOffsets with our replica id: the leader answers its log end (not its HW) for LATEST. */
  private listOffset(topic: string, partition: number, currentLeaderEpoch: number, timestamp: number) {
    return this.call(async (conn): Promise<OffsetAnswer> => {
      const response = await conn.send(ListOffsets, {
        replicaId: this.settings.brokerId,
        isolationLevel: 0,
        topics: [
          {
            name: topic,
            partitions: [{ partitionIndex: partition, currentLeaderEpoch, timestamp, maxNumOffsets: 1 }],
          },
        ],
        timeoutMs: this.settings.requestTimeoutMs,
      });
      const p = response.topics.find((t) => t.name === topic)?.partitions.find((x) => x.partitionIndex === partition);
      if (p === undefined) return { errorCode: UNKNOWN_SERVER_ERROR, offset: -1 };
      const offset = p.oldStyleOffsets.length > 0 ? p.oldStyleOffsets[0]! : p.offset;
      return { errorCode: p.errorCode, offset };
    });
  }

  close(): void {
    this.closed = true;
    this.connection?.close();
    this.connection = null;
  }
}

const UNKNOWN_SERVER_ERROR = -1;

function errorAnswer(errorCode: number): FetchPartitionResponse {
  return { errorCode, highWatermark: -1, logStartOffset: -1, divergingEpoch: null, records: null };
}

function groupByTopic<T extends { readonly topic: string }>(partitions: readonly T[]): Map<string, T[]> {
  const topics = new Map<string, T[]>();
  for (const p of partitions) {
    const group = topics.get(p.topic);
    if (group === undefined) topics.set(p.topic, [p]);
    else group.push(p);
  }
  return topics;
}
