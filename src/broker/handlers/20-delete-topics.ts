import { ErrorCode } from '../../protocol/errors.js';
import { DeleteTopics } from '../../protocol/messages/20-delete-topics.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, type Handler } from '../handler.js';
import type { DeleteTopicResult } from '../metadata/types.js';
import type { BrokerServices } from '../services.js';

/**
 * DeleteTopics (20), v0-6. v1 throttle time; v2-3 unchanged (v3+ answers TOPIC_DELETION_DISABLED
 * where v0-2 get INVALID_REQUEST); v4 flexible; v5 error messages; v6 topics by name or by topic id.
 *
 * The store removes the topic and announces it; the ReplicaManager then drops its partitions and
 * deletes their logs, so a topic created again with the same name starts empty with a new id, and a
 * fetch by the old id gets UNKNOWN_TOPIC_ID. As in Kafka: delete.topic.enable=false refuses every
 * topic; a v6 entry naming both a name and an id fails the whole request with INVALID_REQUEST; a topic
 * named twice is deleted once and both entries get its answer; a timeout of 0 or less answers
 * REQUEST_TIMED_OUT for topics that were deleted (the deletion is not waited for). Internal topics
 * may be deleted: Kafka's broker allows it too (only its kafka-topics tool refuses).
 */
type Response = ResponseInput<typeof DeleteTopics>;
type TopicResult = NonNullable<Response['responses']>[number];

interface Entry {
  readonly name: string | null;
  readonly topicId: string;
}

export function deleteTopicsHandler(s: BrokerServices): Handler<typeof DeleteTopics> {
  return defineHandler(DeleteTopics, '0-6', async (ctx, request) => {
    const v = ctx.apiVersion;
    const entries: Entry[] =
      v >= 6
        ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
        : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const answerAll = (errorCode: number): Response => ({
      throttleTimeMs: 0,
      responses: entries.map((e) => result(e.name, e.topicId, errorCode, null)),
    });
    if (!s.config.get('delete.topic.enable'))
      return answerAll(v < 3 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOPIC_DELETION_DISABLED);
    if (entries.some((e) => e.name !== null && e.topicId !== ZERO_UUID)) return answerAll(ErrorCode.INVALID_REQUEST);

    // Resolve ids to names now; delete each existing name once.
    const resolved = entries.map((e) =>
      e.topicId === ZERO_UUID ? e.name : (s.metadata.topicById(e.topicId)?.name ?? null),
    );
    const names = [...new Set(resolved.filter((n): n is string => n !== null && s.metadata.topic(n) !== undefined))];
    const deleted = await s.metadata.deleteTopics(names.map((name) => ({ name })));
    const byName = new Map<string, DeleteTopicResult>(deleted.map((d) => [d.name!, d]));
    for (const d of deleted) if (d.errorCode === ErrorCode.NONE) s.log.info(`Deleted topic ${d.name} (${d.topicId})`);

    const responses = entries.map((e, i): TopicResult => {
      const name = resolved[i]!;
      if (name === null)
        return result(null, e.topicId, ErrorCode.UNKNOWN_TOPIC_ID, `Topic id ${e.topicId} does not exist.`);
      const d = byName.get(name);
      if (d === undefined)
        return result(name, e.topicId, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
      if (d.errorCode !== ErrorCode.NONE) return result(name, e.topicId, d.errorCode, d.errorMessage);
      const code = request.timeoutMs <= 0 ? ErrorCode.REQUEST_TIMED_OUT : ErrorCode.NONE;
      return result(name, v >= 6 ? d.topicId : e.topicId, code, null);
    });
    return { throttleTimeMs: 0, responses };
  });
}

function result(name: string | null, topicId: string, errorCode: number, errorMessage: string | null): TopicResult {
  return { name, topicId, errorCode, errorMessage };
}
