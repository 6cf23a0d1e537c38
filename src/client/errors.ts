import { errorInfo } from '../protocol/errors.js';

/**
 * Errors the tools print as one line: `samsa <tool>: <message>`. A CliError's message is already that
 * line's text; a KafkaError carries the Kafka error code a broker answered, by Kafka's name.
 */
export class CliError extends Error {}

/** An error code a broker put in a response, with what the tool was doing. */
export class KafkaError extends CliError {
  readonly errorName: string;

  constructor(
    readonly code: number,
    context: string,
    brokerMessage?: string | null,
  ) {
    const info = errorInfo(code);
    const name = info?.name ?? `error code ${code}`;
    super(`${context}: ${name} (${brokerMessage ?? info?.message ?? 'unknown error'})`);
    this.errorName = name;
  }

  get retriable(): boolean {
    return errorInfo(this.code)?.retriable ?? false;
  }
}

/** Throws a KafkaError when `code` is not NONE (0). */
export function check(code: number, context: string, brokerMessage?: string | null): void {
  if (code !== 0) throw new KafkaError(code, context, brokerMessage);
}
