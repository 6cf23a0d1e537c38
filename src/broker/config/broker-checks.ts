/**
 * Checks that involve more than one key, as Kafka's KafkaConfig.validateValues makes them, and the
 * broker id rule: -1 asks for a generated id (the metadata store generates it, above
 * reserved.broker.max.id); a configured id lies in 0..reserved.broker.max.id.
 */
import { problemAt, type BrokerView, type Findings } from './broker-view.js';

const MIB = 1024 * 1024;

export function checkBrokerId(view: BrokerView, findings: Findings): void {
  const id = view.get('broker.id');
  const max = view.get('reserved.broker.max.id');
  if (view.get('broker.id.generation.enable')) {
    if (id < -1 || id > max) {
      findings.problems.push(
        problemAt(view, 'broker.id', `-1 (generate one) or an id from 0 to reserved.broker.max.id (${max})`),
      );
    }
  } else if (id < 0) {
    findings.problems.push(
      problemAt(view, 'broker.id', 'an id of at least 0, as broker.id.generation.enable is false'),
    );
  }
}

export function checkRelations(view: BrokerView, findings: Findings): void {
  const threads = view.get('log.cleaner.threads');
  const dedupe = view.get('log.cleaner.dedupe.buffer.size');
  if (threads > 0 && Math.trunc(dedupe / threads) <= MIB) {
    findings.problems.push(
      problemAt(
        view,
        'log.cleaner.dedupe.buffer.size',
        `more than 1 MiB per cleaner thread (log.cleaner.threads=${threads})`,
      ),
    );
  }

  const fetchWait = view.get('replica.fetch.wait.max.ms');
  if (fetchWait > view.get('replica.socket.timeout.ms')) {
    findings.problems.push(
      problemAt(
        view,
        'replica.fetch.wait.max.ms',
        `at most replica.socket.timeout.ms (${view.get('replica.socket.timeout.ms')})`,
      ),
    );
  }
  if (fetchWait > view.get('replica.lag.time.max.ms')) {
    findings.problems.push(
      problemAt(
        view,
        'replica.fetch.wait.max.ms',
        `at most replica.lag.time.max.ms (${view.get('replica.lag.time.max.ms')})`,
      ),
    );
  }

  const acks = view.get('offsets.commit.required.acks');
  const offsetsReplication = view.get('offsets.topic.replication.factor');
  if (acks < -1 || acks > offsetsReplication) {
    findings.problems.push(
      problemAt(
        view,
        'offsets.commit.required.acks',
        `-1 or 0 to offsets.topic.replication.factor (${offsetsReplication})`,
      ),
    );
  }

  const minLag = view.get('log.cleaner.min.compaction.lag.ms');
  const maxLag = view.get('log.cleaner.max.compaction.lag.ms');
  if (minLag > maxLag) {
    findings.problems.push(
      problemAt(
        view,
        'log.cleaner.min.compaction.lag.ms',
        `at most log.cleaner.max.compaction.lag.ms (${view.text('log.cleaner.max.compaction.lag.ms') ?? ''})`,
      ),
    );
  }

  const minSession = view.get('group.min.session.timeout.ms');
  if (minSession > view.get('group.max.session.timeout.ms')) {
    findings.problems.push(
      problemAt(
        view,
        'group.min.session.timeout.ms',
        `at most group.max.session.timeout.ms (${view.get('group.max.session.timeout.ms')})`,
      ),
    );
  }
}
