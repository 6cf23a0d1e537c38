/**
 * A bad config value stops the broker with every problem listed at once, each naming the key, the
 * value and the form expected, and where the value came from:
 *
 *   config/server.properties:12: log.retention.ms=abc: expected a long (e.g. 604800000)
 *
 * Topic configs (CreateTopics, AlterConfigs) are not startup errors: they are answered with
 * INVALID_CONFIG and Kafka's own message, which each problem also carries.
 */

export interface ConfigProblem {
  readonly key: string;
  /** The value as given; "[hidden]" for passwords. */
  readonly value: string;
  /** Completes "expected ...", including an example where one helps. */
  readonly expected: string;
  readonly origin?: string;
  /** Kafka's message for the same problem, e.g. "Invalid value abc for configuration retention.ms: Not a number of type LONG". */
  readonly kafkaMessage?: string;
}

export function describeProblem(problem: ConfigProblem): string {
  const where = problem.origin === undefined ? '' : `${problem.origin}: `;
  const what = problem.key === '' ? problem.value : `${problem.key}=${problem.value}`;
  return `${where}${what}: expected ${problem.expected}`;
}

export class ConfigError extends Error {
  /** Stable code for callers and logs (DESIGN.md §5). */
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly ConfigProblem[];
  /** Warnings gathered before the problems were found (unknown keys, ...), for the same report. */
  readonly warnings: readonly string[];

  constructor(problems: readonly ConfigProblem[], warnings: readonly string[] = []) {
    const lines = problems.map(describeProblem);
    super(
      problems.length === 1
        ? `Invalid configuration: ${lines[0] ?? ''}`
        : `Invalid configuration (${problems.length} problems):\n  ${lines.join('\n  ')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
    this.warnings = warnings;
  }
}

/** Kafka's ConfigException wording. */
export function kafkaInvalidValue(key: string, shown: string, reason: string): string {
  return `Invalid value ${shown} for configuration ${key}: ${reason}`;
}
