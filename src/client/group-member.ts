import { Heartbeat } from '../protocol/messages/12-heartbeat.js';
import { JoinGroup } from '../protocol/messages/11-join-group.js';
import { LeaveGroup } from '../protocol/messages/13-leave-group.js';
import { SyncGroup } from '../protocol/messages/14-sync-group.js';
import type { Cluster } from './cluster.js';
import type { BrokerConnection } from './connection.js';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  rangeAssign,
} from './consumer-protocol.js';
import { KafkaError, check } from './errors.js';
import type { ConsumerRecord, Fetcher } from './fetcher.js';
import { commitOffsets, fetchCommittedOffsets } from './group-offsets.js';

export interface GroupOptions {
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** auto.commit.interval.ms; 0 disables periodic commits (offsets are still committed on close). */
  readonly autoCommitIntervalMs: number;
}

export const DEFAULT_GROUP_OPTIONS: GroupOptions = {
  sessionTimeoutMs: 45_000,
  rebalanceTimeoutMs: 300_000,
  heartbeatIntervalMs: 3_000,
  autoCommitIntervalMs: 5_000,
};

const REBALANCE_IN_PROGRESS = 27;
const UNKNOWN_MEMBER_ID = 25;
const ILLEGAL_GENERATION = 22;
const MEMBER_ID_REQUIRED = 79;
const NOT_COORDINATOR = 16;
const COORDINATOR_NOT_AVAILABLE = 15;
const COORDINATOR_LOAD_IN_PROGRESS = 14;

/**
 * A member of a classic consumer group (the "consumer" protocol, range assignor), driving a Fetcher:
 * join (answering MEMBER_ID_REQUIRED from JoinGroup v4+ by joining again with the given id), the
 * leader assigns with the range assignor, sync, then fetch from the committed offsets (the Fetcher's
 * reset policy where there are none). Heartbeats run on a timer; REBALANCE_IN_PROGRESS, an unknown
 * member or an old generation make the next poll commit and join again. Offsets are committed every
 * auto-commit interval and on close, before LeaveGroup.
 */
export class GroupMember {
  private memberId = '';
  private generationId = -1;
  private coordinator: BrokerConnection | null = null;
  private rejoin = true;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastCommit = Date.now();
  /** Set once the first assignment is in place (for join-time measurement). */
  joinedAt = -1;

  constructor(
    private readonly cluster: Cluster,
    readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly fetcher: Fetcher,
    private readonly options: GroupOptions = DEFAULT_GROUP_OPTIONS,
  ) {}

  async poll(): Promise<ConsumerRecord[]> {
    if (this.rejoin) await this.join();
    const records = await this.fetcher.poll();
    if (this.options.autoCommitIntervalMs > 0 && Date.now() - this.lastCommit >= this.options.autoCommitIntervalMs) {
      await this.commit().catch(() => undefined);
    }
    return records;
  }

  private async join(): Promise<void> {
    if (this.generationId >= 0) await this.commit().catch(() => undefined);
    this.stopHeartbeat();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.joinOnce();
        break;
      } catch (err) {
        const code = err instanceof KafkaError ? err.code : -1;
        const retriable = [
          REBALANCE_IN_PROGRESS,
          UNKNOWN_MEMBER_ID,
          ILLEGAL_GENERATION,
          NOT_COORDINATOR,
          COORDINATOR_NOT_AVAILABLE,
          COORDINATOR_LOAD_IN_PROGRESS,
        ].includes(code);
        if (!retriable || attempt >= 10) throw err;
        if (code === UNKNOWN_MEMBER_ID) this.memberId = '';
        if (code === NOT_COORDINATOR || code === COORDINATOR_NOT_AVAILABLE) this.coordinator = null;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    this.rejoin = false;
    this.startHeartbeat();
  }

  private async joinOnce(): Promise<void> {
    this.coordinator ??= await this.cluster.coordinator(this.groupId);
    const conn = this.coordinator;
    const joinTimeout = this.options.rebalanceTimeoutMs + 5_000;
    let joined;
    for (;;) {
      joined = await conn.send(
        JoinGroup,
        {
          groupId: this.groupId,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          memberId: this.memberId,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: encodeSubscription(this.topics) }],
        },
        joinTimeout,
      );
      if (joined.errorCode === MEMBER_ID_REQUIRED) {
        this.memberId = joined.memberId;
        continue;
      }
      check(joined.errorCode, `joining group ${this.groupId}`);
      break;
    }
    this.memberId = joined.memberId;
    this.generationId = joined.generationId;
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    if (joined.leader === joined.memberId) {
      const members = joined.members.map((m) => ({ memberId: m.memberId, topics: decodeSubscription(m.metadata) }));
      const counts = new Map<string, number>();
      for (const topic of new Set(members.flatMap((m) => m.topics))) {
        const t = await this.cluster.topic(topic, true).catch(() => undefined);
        if (t !== undefined) counts.set(topic, t.partitions.length);
      }
      assignments = [...rangeAssign(members, counts)].map(([memberId, a]) => ({
        memberId,
        assignment: encodeAssignment(a),
      }));
    }
    const synced = await conn.send(
      SyncGroup,
      {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        protocolType: 'consumer',
        protocolName: joined.protocolName ?? 'range',
        assignments,
      },
      joinTimeout,
    );
    check(synced.errorCode, `syncing group ${this.groupId}`);
    const mine = decodeAssignment(synced.assignment).flatMap((a) =>
      a.partitions.map((partition) => ({ topic: a.topic, partition })),
    );
    const committed = await fetchCommittedOffsets(conn, this.groupId, mine);
    await this.fetcher.assign(
      mine.map((tp) => {
        const c = committed.get(`${tp.topic}:${tp.partition}`)?.offset ?? -1;
        return { ...tp, start: c >= 0 ? c : this.fetcher.resetPolicy };
      }),
    );
    if (this.joinedAt < 0) this.joinedAt = Date.now();
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => {
      const conn = this.coordinator;
      if (conn === null || this.rejoin) return;
      conn
        .send(Heartbeat, { groupId: this.groupId, generationId: this.generationId, memberId: this.memberId })
        .then((res) => {
          if (res.errorCode === REBALANCE_IN_PROGRESS || res.errorCode === ILLEGAL_GENERATION) this.rejoin = true;
          if (res.errorCode === UNKNOWN_MEMBER_ID) {
            this.memberId = '';
            this.rejoin = true;
          }
          if (res.errorCode === NOT_COORDINATOR || res.errorCode === COORDINATOR_NOT_AVAILABLE) {
            this.coordinator = null;
            this.rejoin = true;
          }
        })
        .catch(() => {
          this.coordinator = null;
          this.rejoin = true;
        });
    }, this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Commits the fetcher's positions for the partitions this member holds. */
  async commit(): Promise<void> {
    this.lastCommit = Date.now();
    if (this.coordinator === null || this.generationId < 0) return;
    await commitOffsets(this.coordinator, this.groupId, this.fetcher.assignment, this.generationId, this.memberId);
  }

  /** Commits, then leaves the group so the others rebalance at once. */
  async close(): Promise<void> {
    this.stopHeartbeat();
    if (this.coordinator === null || this.memberId === '') return;
    try {
      await this.commit();
    } finally {
      await this.coordinator
        .send(LeaveGroup, { groupId: this.groupId, memberId: this.memberId, members: [{ memberId: this.memberId }] })
        .catch(() => undefined);
    }
  }
}
