/**
 * Subscriptions and target assignments of KIP-848 consumer groups (Kafka's TargetAssignmentBuilder and
 * subscription metadata): which topics each member subscribes to (names, or a regular expression over
 * the existing topics), a signature of those topics' ids and partition counts (a change bumps the group
 * epoch), the assignor the members prefer, and the new target assignment from it.
 */
import { ErrorCode } from '../../../protocol/errors.js';
import { assignmentEquals, assignmentOf, EMPTY_ASSIGNMENT, type Assignment } from './assignment.js';
import { ASSIGNORS } from './assignors.js';
import type { ConsumerGroupMember } from './consumer-group-member.js';
import { fail } from './heartbeat-error.js';

/** Topics as the coordinator needs them: name ↔ id and partition counts. */
export interface TopicView {
  topic(name: string): { readonly topicId: string; readonly partitionCount: number } | undefined;
  topicById(topicId: string): { readonly name: string; readonly partitionCount: number } | undefined;
  topicNames(): Iterable<string>;
}

export const NO_TOPICS: TopicView = { topic: () => undefined, topicById: () => undefined, topicNames: () => [] };

/** The topic names a member subscribes to: its list, or the existing topics its regex matches. */
export function subscribedTopics(m: ConsumerGroupMember, topics: TopicView): readonly string[] {
  if (m.subscribedTopicRegex === null) return m.subscribedTopicNames;
  const re = compileRegex(m.subscribedTopicRegex);
  const names = new Set(m.subscribedTopicNames);
  for (const name of topics.topicNames()) if (re.test(name)) names.add(name);
  return [...names];
}

/** A signature of every subscribed topic's id and partition count ("name:-" for a missing topic). */
export function subscriptionMetadata(members: Iterable<ConsumerGroupMember>, topics: TopicView): string {
  const names = new Set<string>();
  for (const m of members) for (const n of subscribedTopics(m, topics)) names.add(n);
  return [...names]
    .sort()
    .map((n) => {
      const t = topics.topic(n);
      return t === undefined ? `${n}:-` : `${n}:${t.topicId}:${t.partitionCount}`;
    })
    .join(',');
}

/** The assignor most members ask for (ties: the first in `available`), else the first available. */
export function preferredAssignor(members: Iterable<ConsumerGroupMember>, available: readonly string[]): string {
  const votes = new Map<string, number>();
  for (const m of members)
    if (m.serverAssignor !== null) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
  let best = available[0] ?? 'uniform';
  let bestVotes = 0;
  for (const name of available) {
    const n = votes.get(name) ?? 0;
    if (n > bestVotes) {
      best = name;
      bestVotes = n;
    }
  }
  return best;
}

/**
 * Runs the assignor over the members (with their current targets, for stickiness) and the existing
 * subscribed topics; returns the members whose target changed (new members always appear).
 */
export function computeTargetAssignment(
  assignorName: string,
  members: Iterable<ConsumerGroupMember>,
  targets: ReadonlyMap<string, Assignment>,
  topics: TopicView,
): Map<string, Assignment> {
  const assignor = ASSIGNORS.get(assignorName) ?? ASSIGNORS.get('uniform')!;
  const partitionCounts = new Map<string, number>();
  const specMembers = [];
  for (const m of members) {
    const ids = new Set<string>();
    for (const name of subscribedTopics(m, topics)) {
      const t = topics.topic(name);
      if (t === undefined) continue;
      ids.add(t.topicId);
      partitionCounts.set(t.topicId, t.partitionCount);
    }
    specMembers.push({
      memberId: m.memberId,
      subscribedTopicIds: ids,
      currentTarget: targets.get(m.memberId) ?? EMPTY_ASSIGNMENT,
    });
  }
  const changed = new Map<string, Assignment>();
  for (const [memberId, a] of assignor.assign({ members: specMembers, partitionCounts })) {
    const next = assignmentOf([...a]);
    const old = targets.get(memberId);
    if (old === undefined || !assignmentEquals(old, next)) changed.set(memberId, next);
  }
  return changed;
}

/**
 * A subscription regex (Kafka uses RE2/J; JavaScript's syntax is close for the patterns clients send),
 * matched against the whole topic name. INVALID_REGULAR_EXPRESSION when it does not compile.
 */
export function compileRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return fail(
      ErrorCode.INVALID_REGULAR_EXPRESSION,
      `SubscribedTopicRegex ${source} is not a valid regular expression.`,
    );
  }
}
