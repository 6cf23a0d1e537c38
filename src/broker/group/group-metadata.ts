/**
 * One classic group's state (Kafka's GroupMetadata): the state machine position, the generation, the
 * members, the selected protocol, and the group's committed offsets. Pure state: no I/O and no
 * timers of its own; the coordinator is the only caller and changes it synchronously.
 *
 * Invariants:
 * - `leaderId` is a member (or null when there are none); `protocolType` is set once the first
 *   member joins and kept while the group has members.
 * - `supportedProtocolCounts[p]` is how many members list protocol p, so the protocols every member
 *   supports are those whose count equals `members.size`.
 * - `numMembersAwaitingJoin` counts members with an unanswered JoinGroup.
 * - `staticMembers` maps group.instance.id to the current member id for that instance; a member id
 *   previously mapped to an instance is fenced (FENCED_INSTANCE_ID).
 * - `pendingMembers` got a member id from MEMBER_ID_REQUIRED (KIP-394) and have not joined with it yet.
 * - `pendingSyncMembers` received a JoinGroup answer this generation and have not sent SyncGroup.
 */
import { randomUUID } from 'node:crypto';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol.js';
import { canTransition, type GroupState } from './group-state.js';
import type { JoinGroupMember, JoinGroupResult, MemberMetadata, Protocol, SyncGroupResult } from './member-metadata.js';
import type { OffsetAndMetadata } from './records.js';
import type { TimerHandle } from './scheduler.js';

export class GroupMetadata {
  private _state: GroupState;
  currentStateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, MemberMetadata>();
  readonly pendingMembers = new Set<string>();
  readonly staticMembers = new Map<string, string>();
  readonly pendingSyncMembers = new Set<string>();
  private readonly supportedProtocolCounts = new Map<string, number>();
  numMembersAwaitingJoin = 0;
  /** A member joined during the first rebalance: the initial delayed join may wait a little longer. */
  newMemberAdded = false;
  /** Topics the members subscribe to (consumer protocol only); null when unknown. */
  subscribedTopics: ReadonlySet<string> | null = null;
  /** Committed offsets: topic → partition → offset. */
  readonly offsets = new Map<string, Map<number, OffsetAndMetadata>>();
  /** The delayed join (PreparingRebalance) and the pending-sync expiration (after a generation starts). */
  joinTimer: TimerHandle | null = null;
  syncTimer: TimerHandle | null = null;
  /** The armed delayed join is the initial one of an Empty group: it never completes early. */
  initialJoinDelay = false;

  constructor(
    readonly groupId: string,
    initialState: GroupState,
    now: number,
  ) {
    this._state = initialState;
    this.currentStateTimestamp = now;
  }

  get state(): GroupState {
    return this._state;
  }

  is(state: GroupState): boolean {
    return this._state === state;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!canTransition(this._state, state)) {
      throw new Error(`Group ${this.groupId} should be in one of the states before ${state}, not ${this._state}`);
    }
    this._state = state;
    this.currentStateTimestamp = now;
  }

  /** PreparingRebalance may follow the current state. */
  canRebalance(): boolean {
    return canTransition(this._state, 'PreparingRebalance');
  }

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): MemberMetadata {
    const m = this.members.get(memberId);
    if (m === undefined) throw new Error(`member ${memberId} is not in group ${this.groupId}`);
    return m;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  add(member: MemberMetadata, callback: ((r: JoinGroupResult) => void) | null): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.leaderId ??= member.memberId;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.countProtocols(member.supportedProtocols, 1);
    member.awaitingJoin = callback;
    if (callback !== null) this.numMembersAwaitingJoin++;
    this.pendingMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member === undefined) return;
    this.members.delete(memberId);
    this.countProtocols(member.supportedProtocols, -1);
    if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId)
      this.staticMembers.delete(member.groupInstanceId);
    member.heartbeatTimer?.cancel();
    member.heartbeatTimer = null;
    this.pendingSyncMembers.delete(memberId);
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
  }

  updateMember(
    member: MemberMetadata,
    protocols: readonly Protocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    callback: ((r: JoinGroupResult) => void) | null,
  ): void {
    this.countProtocols(member.supportedProtocols, -1);
    member.supportedProtocols = protocols;
    this.countProtocols(protocols, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (callback !== null && member.awaitingJoin === null) this.numMembersAwaitingJoin++;
    else if (callback === null && member.awaitingJoin !== null) this.numMembersAwaitingJoin--;
    member.awaitingJoin = callback;
  }

  private countProtocols(protocols: readonly Protocol[], delta: number): void {
    for (const p of protocols) {
      const n = (this.supportedProtocolCounts.get(p.name) ?? 0) + delta;
      if (n === 0) this.supportedProtocolCounts.delete(p.name);
      else this.supportedProtocolCounts.set(p.name, n);
    }
  }

  /** Answers the member's held JoinGroup, if any. */
  maybeInvokeJoinCallback(member: MemberMetadata, result: JoinGroupResult): void {
    const callback = member.awaitingJoin;
    if (callback === null) return;
    member.awaitingJoin = null;
    this.numMembersAwaitingJoin--;
    callback(result);
  }

  maybeInvokeSyncCallback(member: MemberMetadata, result: SyncGroupResult): boolean {
    const callback = member.awaitingSync;
    if (callback === null) return false;
    member.awaitingSync = null;
    callback(result);
    return true;
  }

  // ---- static membership (KIP-345) ----------------------------------------------------------------

  hasStaticMember(groupInstanceId: string | null): boolean {
    return groupInstanceId !== null && this.staticMembers.has(groupInstanceId);
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  /** A request naming an instance whose current member id is another: an older incarnation. */
  isStaticMemberFenced(groupInstanceId: string | null, memberId: string): boolean {
    if (groupInstanceId === null) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /**
   * Gives the instance's member a new member id; the old incarnation's held JoinGroup and SyncGroup
   * are answered FENCED_INSTANCE_ID. Returns the member under its new id.
   */
  replaceStaticMember(
    groupInstanceId: string,
    oldMemberId: string,
    newMemberId: string,
    fencedCode: number,
  ): MemberMetadata {
    const member = this.get(oldMemberId);
    this.maybeInvokeJoinCallback(member, {
      errorCode: fencedCode,
      memberId: oldMemberId,
      generationId: -1,
      protocolType: null,
      protocolName: null,
      leaderId: '',
      skipAssignment: false,
      members: [],
    });
    this.maybeInvokeSyncCallback(member, {
      errorCode: fencedCode,
      protocolType: null,
      protocolName: null,
      assignment: Buffer.alloc(0),
    });
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    return member;
  }

  // ---- rebalance ----------------------------------------------------------------------------------

  /** Whether a joining member may use these protocols: same type, and one protocol every member supports. */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.is('Empty')) return protocolType.length > 0 && protocols.length > 0;
    return (
      this.protocolType === protocolType &&
      protocols.some((p) => this.supportedProtocolCounts.get(p.name) === this.members.size)
    );
  }

  /** The protocol with most first-choice votes among those every member supports (ties: first counted). */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error(`Cannot select protocol for empty group ${this.groupId}`);
    const candidates = new Set<string>();
    for (const [name, n] of this.supportedProtocolCounts) if (n === this.members.size) candidates.add(name);
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    return best;
  }

  /** The largest rebalance timeout among members: how long a rebalance waits for rejoins. */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): MemberMetadata[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** If the leader has not rejoined, makes any rejoined member leader; false if none has rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.get(this.leaderId).isAwaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
    this.subscribedTopics = this.computeSubscribedTopics();
    this.pendingSyncMembers.clear();
  }

  /** The consumer protocol's subscribed topics of all members, or null if not knowable. */
  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const t = subscribedTopics(m.metadata(this.protocolName));
      if (t === null) return null;
      for (const name of t) topics.add(name);
    }
    return topics;
  }

  /** Every member with its metadata for the selected protocol: what the leader assigns from. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocol = this.protocolName;
    if (protocol === null) throw new Error(`no protocol selected for group ${this.groupId}`);
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol),
    }));
  }

  // ---- offsets ------------------------------------------------------------------------------------

  offset(topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  putOffset(topic: string, partition: number, offset: OffsetAndMetadata): void {
    let byPartition = this.offsets.get(topic);
    if (byPartition === undefined) this.offsets.set(topic, (byPartition = new Map()));
    byPartition.set(partition, offset);
  }

  removeOffset(topic: string, partition: number): boolean {
    const byPartition = this.offsets.get(topic);
    if (byPartition === undefined || !byPartition.delete(partition)) return false;
    if (byPartition.size === 0) this.offsets.delete(topic);
    return true;
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0;
  }

  *allOffsets(): Generator<[string, number, OffsetAndMetadata]> {
    for (const [topic, byPartition] of this.offsets) for (const [p, o] of byPartition) yield [topic, p, o];
  }
}
