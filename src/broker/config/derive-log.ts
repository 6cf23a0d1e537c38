/**
 * Log settings that Kafka derives from several keys, and the broker-wide defaults of topic configs.
 *
 * - log.dirs, else log.dir; comma-separated, blanks around commas and empty entries dropped.
 * - Retention: log.retention.ms, else minutes × 60000, else hours × 3600000; any negative result
 *   means unlimited (-1) and 0 is refused.
 * - Roll: log.roll.ms, else hours × 3600000 (at least 1). Jitter likewise (at least 0).
 * - Flush time: log.flush.interval.ms, else log.flush.scheduler.interval.ms.
 * - A topic config's broker default is the derived value above for segment.ms, segment.jitter.ms,
 *   retention.ms and flush.ms, the value of its single broker synonym otherwise, and its own default
 *   when it has no synonym. Texts are kept exact (Long.MAX_VALUE stays 9223372036854775807).
 */
import type { BrokerConfigKey } from './broker-defs.js';
import { problemAt, type BrokerView, type Findings } from './broker-view.js';
import { defaultOf } from './parse-key.js';
import { TOPIC_KEY_DEFS, type TopicConfigName } from './topic-defs.js';
import type { ConfigValue } from './types.js';
import { splitList } from './value-parser.js';

export interface ExactLong {
  readonly value: number;
  readonly text: string;
}

export interface DerivedLog {
  readonly logDirs: readonly string[];
  readonly retention: ExactLong;
  readonly roll: ExactLong;
  readonly jitter: ExactLong;
  readonly flush: ExactLong;
  readonly topicDefaults: ReadonlyMap<TopicConfigName, { readonly value: ConfigValue; readonly text: string }>;
}

function exact(big: bigint): ExactLong {
  return { value: Number(big), text: big.toString() };
}

/** The first set key of a precedence chain, scaled to milliseconds; the last key always has a value. */
function byPrecedence(
  view: BrokerView,
  chain: ReadonlyArray<readonly [BrokerConfigKey, bigint]>,
): { key: BrokerConfigKey; ms: bigint } {
  for (const [key, scale] of chain) {
    const text = view.text(key);
    if (text !== null) return { key, ms: BigInt(text) * scale };
  }
  throw new Error(`no value for ${chain.map(([key]) => key).join(', ')}`);
}

const HOUR = 3_600_000n;

function ignoredWarning(
  view: BrokerView,
  chain: readonly BrokerConfigKey[],
  used: BrokerConfigKey,
  findings: Findings,
): void {
  const ignored = chain.slice(chain.indexOf(used) + 1).filter((key) => view.isSet(key));
  if (ignored.length > 0) findings.warnings.push(`${ignored.join(' and ')} ignored because ${used} is set`);
}

export function deriveLog(view: BrokerView, findings: Findings): DerivedLog {
  const dirsKey = view.isSet('log.dirs') || !view.isSet('log.dir') ? 'log.dirs' : 'log.dir';
  if (view.isSet('log.dirs') && view.isSet('log.dir'))
    findings.warnings.push('log.dir is ignored because log.dirs is set');
  const logDirs = splitList((view.get('log.dirs') ?? view.get('log.dir')).trim()).filter((dir) => dir !== '');
  if (logDirs.length === 0)
    findings.problems.push(problemAt(view, dirsKey, 'at least one directory (e.g. /tmp/kafka-logs)'));

  const retentionChain = ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'] as const;
  const retention = byPrecedence(view, [
    ['log.retention.ms', 1n],
    ['log.retention.minutes', 60_000n],
    ['log.retention.hours', HOUR],
  ]);
  ignoredWarning(view, retentionChain, retention.key, findings);
  if (retention.ms === 0n) {
    findings.problems.push(problemAt(view, retention.key, '-1 (unlimited) or a retention of at least 1 ms'));
  }

  const roll = byPrecedence(view, [
    ['log.roll.ms', 1n],
    ['log.roll.hours', HOUR],
  ]);
  ignoredWarning(view, ['log.roll.ms', 'log.roll.hours'], roll.key, findings);
  if (roll.ms < 1n) findings.problems.push(problemAt(view, roll.key, 'a roll time of at least 1 ms'));

  const jitter = byPrecedence(view, [
    ['log.roll.jitter.ms', 1n],
    ['log.roll.jitter.hours', HOUR],
  ]);
  ignoredWarning(view, ['log.roll.jitter.ms', 'log.roll.jitter.hours'], jitter.key, findings);
  if (jitter.ms < 0n) findings.problems.push(problemAt(view, jitter.key, 'a jitter of at least 0 ms'));

  const flush = byPrecedence(view, [
    ['log.flush.interval.ms', 1n],
    ['log.flush.scheduler.interval.ms', 1n],
  ]);

  const out = {
    retention: exact(retention.ms < 0n ? -1n : retention.ms),
    roll: exact(roll.ms),
    jitter: exact(jitter.ms),
    flush: exact(flush.ms),
  };
  const derived: Partial<Record<TopicConfigName, ExactLong>> = {
    'retention.ms': out.retention,
    'segment.ms': out.roll,
    'segment.jitter.ms': out.jitter,
    'flush.ms': out.flush,
  };
  const topicDefaults = new Map<TopicConfigName, { value: ConfigValue; text: string }>();
  for (const [name, def] of TOPIC_KEY_DEFS) {
    const synonym = def.synonyms[0] as BrokerConfigKey | undefined;
    const special = derived[name];
    if (special !== undefined) topicDefaults.set(name, special);
    else if (synonym !== undefined)
      topicDefaults.set(name, { value: view.get(synonym) as ConfigValue, text: view.text(synonym) ?? '' });
    else topicDefaults.set(name, defaultOf(def) ?? { value: '', text: '' });
  }

  return { logDirs, ...out, topicDefaults };
}
