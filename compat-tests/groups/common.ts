// Shared pieces of the consumer-group compat tests: numbered messages ("p:i" values, counted exactly),
// a kafkajs client with fast group timings, and the views of a group that the tests assert on.
import { settle } from '../harness/records.js';
import { kafkajs, type KAdmin, type KKafka } from '../kafkajs/driver.js';

/** Session timeout every group test uses; the broker's minimum is lowered to allow it on both targets. */
export const SESSION_MS = 6000;
/** Broker overrides for the group tests (Kafka's default group.min.session.timeout.ms is 6000 already). */
export const GROUP_BROKER = { 'auto.create.topics.enable': false, 'group.min.session.timeout.ms': 1000 };

/** kafkajs consumer options for quick rebalances: short fetch waits so heartbeats are never late. */
export const FAST = {
  sessionTimeout: SESSION_MS,
  heartbeatInterval: 300,
  rebalanceTimeout: 15_000,
  maxWaitTimeInMs: 250,
};

export function kafkaClient(bootstrap: string, clientId: string): KKafka {
  return new kafkajs.Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });
}

/** Creates a topic and waits (bounded) until ListOffsets answers on every partition. */
export async function createTopic(admin: KAdmin, topic: string, partitions: number): Promise<void> {
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const os = await settle(
    () => admin.fetchTopicOffsets(topic).catch(() => []),
    (xs) => xs.length === partitions,
  );
  if (os.length !== partitions) throw new Error(`${topic}: partitions not ready`);
}

/** Produces `perPartition` messages to each partition, values "p:i" with i from `from`; acks all. */
export async function produceNumbered(
  kafka: KKafka,
  topic: string,
  partitions: number,
  perPartition: number,
  from = 0,
): Promise<string[]> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const all: string[] = [];
  try {
    for (let p = 0; p < partitions; p++) {
      const messages = Array.from({ length: perPartition }, (_, k) => {
        const v = `${p}:${from + k}`;
        all.push(v);
        return { partition: p, key: null, value: Buffer.from(v) };
      });
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
  return all;
}

/** value → how many times it was seen. */
export function countAll(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Problems when `seen` is not exactly `expected`, each once (empty when all is well). */
export function exactlyOnce(expected: string[], seen: Iterable<string>): string[] {
  const counts = countAll(seen);
  const problems: string[] = [];
  for (const v of expected) {
    const n = counts.get(v) ?? 0;
    if (n !== 1) problems.push(`${v} seen ${n} times`);
    counts.delete(v);
  }
  for (const [v, n] of counts) problems.push(`unexpected ${v} (${n} times)`);
  return problems.slice(0, 20);
}

/** Waits until `check` holds (polling every 100 ms), up to `ms`; throws with `what` otherwise. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface MemberView {
  memberId: string;
  clientId: string;
  partitions: number[];
}
export interface GroupView {
  state: string;
  protocolType: string;
  protocol: string;
  members: MemberView[];
}

interface KGroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: Array<{ memberId: string; clientId: string; memberAssignment: Buffer }>;
}
interface KAssignerProtocol {
  MemberAssignment: { decode(b: Buffer): { assignment: Record<string, number[]> } | null };
}
export interface KGroupAdmin {
  describeGroups(ids: string[]): Promise<{ groups: KGroupDescription[] }>;
  fetchOffsets(o: {
    groupId: string;
    topics?: string[];
  }): Promise<
    Array<{ topic: string; partitions: Array<{ partition: number; offset: string; metadata: string | null }> }>
  >;
  resetOffsets(o: { groupId: string; topic: string; earliest?: boolean }): Promise<void>;
  setOffsets(o: {
    groupId: string;
    topic: string;
    partitions: Array<{ partition: number; offset: string }>;
  }): Promise<void>;
  deleteGroups(ids: string[]): Promise<Array<{ groupId: string; errorCode: number }>>;
  listGroups(): Promise<{ groups: Array<{ groupId: string; protocolType: string }> }>;
}

const assigner = (kafkajs as unknown as { AssignerProtocol: KAssignerProtocol }).AssignerProtocol;

/** DescribeGroups through kafkajs, with each member's assignment of `topic` decoded. */
export async function describe1(admin: KAdmin, groupId: string, topic: string): Promise<GroupView> {
  const { groups } = await (admin as unknown as KGroupAdmin).describeGroups([groupId]);
  const g = groups[0];
  if (!g) throw new Error(`no description for ${groupId}`);
  return {
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      partitions: [...(assigner.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [])].sort(
        (a, b) => a - b,
      ),
    })),
  };
}

/** Waits until the group is Stable with `n` members; returns that view. */
export async function stableWith(admin: KAdmin, groupId: string, topic: string, n: number): Promise<GroupView> {
  let view: GroupView | undefined;
  await until(`${groupId} Stable with ${n} members`, async () => {
    view = await describe1(admin, groupId, topic);
    return view.state === 'Stable' && view.members.length === n;
  });
  return view!;
}
