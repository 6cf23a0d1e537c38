/**
 * The topic mutations of ZooKeeperMetadataStore (CreateTopics, DeleteTopics, CreatePartitions), run on
 * its serial queue. Each validates with topic-commands.ts against the store's cache and writes what a
 * Kafka broker writes: the assignment (and config) of a new topic or of added partitions, or the
 * /admin/delete_topics/<t> mark. The controller (src/broker/controller/) does the rest (states,
 * leaders, deletion); the store waits for its result outside the queue. The store keeps its state;
 * these see it through ZkTopicStore, read live (a sync in the middle of a call changes the cache).
 */
import { ErrorCode } from '../../../protocol/errors.js';
import { ZERO_UUID } from '../../../protocol/primitives/uuid.js';
import type { Logger } from '../../logger.js';
import { planCreatePartitions, planCreateTopic, withoutTopicId, type TopicCommandContext } from '../topic-commands.js';
import type {
  CreatePartitionsRequest,
  CreatePartitionsResult,
  CreateTopicRequest,
  CreateTopicResult,
  DeleteTopicResult,
  MutationOptions,
  TopicMetadata,
  TopicRef,
} from '../types.js';
import { ZK_NODE_EXISTS, type ZkClient, isZkError } from './zk-client.js';
import { writeNewTopic } from './zk-controller.js';
import { ZkPaths, encodeTopicAssignment } from './zk-data.js';

/** What the mutations need of the store. */
export interface ZkTopicStore {
  readonly zk: ZkClient;
  readonly log: Logger;
  cachedTopics(): ReadonlyMap<string, TopicMetadata>;
  topic(name: string): TopicMetadata | undefined;
  context(topics: ReadonlyMap<string, TopicMetadata>): TopicCommandContext;
  unusedTopicId(topics: ReadonlyMap<string, TopicMetadata>): string;
  sync(): Promise<void>;
}

const NONE = { errorCode: ErrorCode.NONE, errorMessage: null } as const;

export async function createTopics(
  store: ZkTopicStore,
  requests: readonly CreateTopicRequest[],
  options: MutationOptions,
): Promise<CreateTopicResult[]> {
  const results: CreateTopicResult[] = [];
  const planned = new Map(store.cachedTopics());
  for (const req of requests) {
    const plan = planCreateTopic(store.context(planned), req, store.unusedTopicId(planned));
    if (!plan.ok) {
      results.push({
        errorCode: plan.errorCode,
        errorMessage: plan.errorMessage,
        name: req.name,
        topic: null,
        warning: null,
      });
      continue;
    }
    if (options.validateOnly === true) {
      results.push({ ...NONE, name: req.name, topic: withoutTopicId(plan.topic), warning: plan.warning });
      continue;
    }
    const written = await writeNewTopic(store.zk, plan.topic, null);
    if (!written) {
      results.push({
        errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
        errorMessage: `Topic '${req.name}' already exists.`,
        name: req.name,
        topic: null,
        warning: null,
      });
      continue;
    }
    planned.set(plan.topic.name, plan.topic);
    results.push({ ...NONE, name: req.name, topic: plan.topic, warning: plan.warning });
  }
  await store.sync();
  return results.map((r) =>
    r.topic !== null && r.topic.topicId !== ZERO_UUID ? { ...r, topic: store.topic(r.name) ?? r.topic } : r,
  );
}

export async function deleteTopics(store: ZkTopicStore, refs: readonly TopicRef[]): Promise<DeleteTopicResult[]> {
  const results: DeleteTopicResult[] = [];
  for (const ref of refs) {
    const found =
      'name' in ref
        ? store.cachedTopics().get(ref.name)
        : [...store.cachedTopics().values()].find((t) => t.topicId === ref.topicId);
    if (found === undefined) {
      results.push(
        'name' in ref
          ? {
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              errorMessage: `Topic '${ref.name}' does not exist.`,
              name: ref.name,
              topicId: ZERO_UUID,
            }
          : {
              errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
              errorMessage: `Topic id ${ref.topicId} does not exist.`,
              name: null,
              topicId: ref.topicId,
            },
      );
      continue;
    }
    // Kafka's way: mark it; the controller deletes.
    await store.zk.create(ZkPaths.deleteTopic(found.name), '').catch((err: unknown) => {
      if (!isZkError(err, ZK_NODE_EXISTS)) throw err;
    });
    results.push({ ...NONE, name: found.name, topicId: found.topicId });
  }
  await store.sync();
  return results;
}

export async function createPartitions(
  store: ZkTopicStore,
  requests: readonly CreatePartitionsRequest[],
  options: MutationOptions,
): Promise<CreatePartitionsResult[]> {
  const results: CreatePartitionsResult[] = [];
  for (const req of requests) {
    const plan = planCreatePartitions(store.context(store.cachedTopics()), req);
    if (!plan.ok) {
      results.push({ errorCode: plan.errorCode, errorMessage: plan.errorMessage, name: req.name });
      continue;
    }
    if (options.validateOnly !== true) {
      await store.zk.set(
        ZkPaths.topic(req.name),
        encodeTopicAssignment(
          plan.topic.partitions.map((p) => p.replicas),
          plan.topic.topicId,
        ),
        -1,
      );
      await store.sync();
    }
    results.push({ ...NONE, name: req.name });
  }
  return results;
}
