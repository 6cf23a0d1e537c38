/**
 * One member of a classic group (Kafka's MemberMetadata): its identity, timeouts, the protocols it
 * supports (in its order of preference, each with opaque metadata), its current assignment, and the
 * JoinGroup / SyncGroup answer it is waiting for, if any.
 *
 * Invariants: `awaitingJoin` is set only while the group is PreparingRebalance (or the member was just
 * added) and is answered exactly once; `awaitingSync` only while CompletingRebalance. The heartbeat
 * deadline is a time, not a timer: one timer per member re-arms itself lazily (see the coordinator).
 */
import type { TimerHandle } from './scheduler.js';

export interface Protocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** What a JoinGroup is answered with (Kafka's JoinGroupResult). */
export interface JoinGroupResult {
  readonly errorCode: number;
  readonly memberId: string;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leaderId: string;
  readonly skipAssignment: boolean;
  readonly members: readonly JoinGroupMember[];
}

export function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return {
    errorCode,
    memberId,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leaderId: '',
    skipAssignment: false,
    members: [],
  };
}

/** What a SyncGroup is answered with. */
export interface SyncGroupResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

const EMPTY = Buffer.alloc(0);

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

export class MemberMetadata {
  assignment: Buffer = EMPTY;
  awaitingJoin: ((r: JoinGroupResult) => void) | null = null;
  awaitingSync: ((r: SyncGroupResult) => void) | null = null;
  /** A member added by this rebalance: it expires after NEW_MEMBER_JOIN_TIMEOUT_MS if it never completes it. */
  isNew = false;
  /** When the member is considered dead unless it heartbeats (or is waiting in a join or sync). */
  heartbeatDeadline = 0;
  heartbeatTimer: TimerHandle | null = null;
  /** When the armed heartbeat timer fires. */
  heartbeatTimerAt = 0;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public supportedProtocols: readonly Protocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  get isStaticMember(): boolean {
    return this.groupInstanceId !== null;
  }

  /** The metadata this member sent for `protocol`; empty if it does not support it. */
  metadata(protocol: string): Buffer {
    return this.supportedProtocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** Same protocols, same order, same metadata bytes. */
  matches(protocols: readonly Protocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.supportedProtocols[i]!;
      return mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** This member's first choice among `candidates`, in its own order of preference. */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (choice === undefined)
      throw new Error(`member ${this.memberId} does not support any of the candidate protocols`);
    return choice.name;
  }
}
