import { ErrorCode } from '../../protocol/errors.js';
import { CreatePartitions } from '../../protocol/messages/37-create-partitions.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * CreatePartitions (37), v0-3. v1 throttles after the response; v2 flexible; v3 quota errors.
 *
 * Raises topics' partition counts. The store checks (UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS
 * for a count not above the current one, INVALID_REPLICA_ASSIGNMENT for assignments that do not
 * fit), places the new replicas as Kafka does, persists, and announces them; the ReplicaManager then
 * opens their logs. As KafkaApis does: a topic named twice is INVALID_REQUEST "Duplicate topic in
 * request." and answered once; validate_only changes nothing; a timeout of 0 or less answers
 * REQUEST_TIMED_OUT for topics it grew, without waiting (the partitions exist regardless).
 */
type Response = ResponseInput<typeof CreatePartitions>;
type Result = NonNullable<Response['results']>[number];

export function createPartitionsHandler(s: BrokerServices): Handler<typeof CreatePartitions> {
  return defineHandler(CreatePartitions, '0-3', async (_ctx, request) => {
    const copies = new Map<string, number>();
    for (const t of request.topics) copies.set(t.name, (copies.get(t.name) ?? 0) + 1);
    const valid = request.topics.filter((t) => copies.get(t.name) === 1);
    const results = await s.metadata.createPartitions(
      valid.map((t) => ({
        name: t.name,
        count: t.count,
        assignments: t.assignments === null ? null : t.assignments.map((a) => a.brokerIds),
      })),
      { validateOnly: request.validateOnly },
    );
    const byName = new Map(results.map((r) => [r.name, r]));
    const answered = new Set<string>();
    const out: Result[] = [];
    for (const t of request.topics) {
      if (answered.has(t.name)) continue;
      answered.add(t.name);
      const r = byName.get(t.name);
      if (r === undefined) {
        out.push({ name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' });
      } else if (r.errorCode !== ErrorCode.NONE) {
        out.push({ name: t.name, errorCode: r.errorCode, errorMessage: r.errorMessage });
      } else if (request.validateOnly) {
        out.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
      } else {
        s.log.info(`Increased the partition count of ${t.name} to ${t.count}`);
        const code = request.timeoutMs <= 0 ? ErrorCode.REQUEST_TIMED_OUT : ErrorCode.NONE;
        out.push({ name: t.name, errorCode: code, errorMessage: null });
      }
    }
    return { throttleTimeMs: 0, results: out };
  });
}
