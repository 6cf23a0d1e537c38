import { CliError } from '../client/errors.js';

/**
 * Kafka-style command-line options (joptsimple's `--name value`, also `--name=value`): each tool
 * declares its options once, and the same table drives parsing and `--help`. A tool that later gains
 * forms (`--zookeeper` with cluster mode) adds rows; a row's `requires`/`conflicts` checks stay
 * declarative in the tool.
 */
export interface OptionSpec {
  readonly name: string;
  /** The argument's description in help (`<String: topic>`); absent for a bare flag. */
  readonly arg?: string;
  /** The argument may be left out (`--compression-codec` alone means gzip); `implied` is then used. */
  readonly optionalArg?: boolean;
  readonly implied?: string;
  readonly description: string;
  readonly defaultValue?: string;
}

export class UsageError extends CliError {}

export interface ParsedArgs {
  has(name: string): boolean;
  /** The last value given (options may repeat), or the default. */
  value(name: string): string | undefined;
  /** Every value given, in order. */
  values(name: string): string[];
  /** Names of the options given, in order of first appearance. */
  readonly given: readonly string[];
}

export function parseArgs(specs: readonly OptionSpec[], args: readonly string[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const seen = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) throw new UsageError(`${name} is not a recognized option`);
    const list = seen.get(name) ?? [];
    seen.set(name, list);
    if (spec.arg === undefined) {
      if (eq >= 0) throw new UsageError(`option --${name} does not take an argument`);
      list.push('');
      continue;
    }
    if (eq >= 0) {
      list.push(arg.slice(eq + 1));
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && !(spec.optionalArg && next.startsWith('--'))) {
      list.push(next);
      i++;
    } else if (spec.optionalArg) {
      list.push(spec.implied ?? '');
    } else {
      throw new UsageError(`option --${name} requires an argument`);
    }
  }
  return {
    given: [...seen.keys()],
    has: (name) => seen.has(name),
    value: (name) => seen.get(name)?.at(-1) ?? byName.get(name)?.defaultValue,
    values: (name) => seen.get(name) ?? [],
  };
}

/** The help text: a description, then Kafka's two-column option table. */
export function helpText(description: string, specs: readonly OptionSpec[]): string {
  const left = specs.map(
    (s) => `--${s.name}${s.arg === undefined ? '' : s.optionalArg ? ` [${s.arg}]` : ` <${s.arg}>`}`,
  );
  const width = Math.min(Math.max(...left.map((l) => l.length), 6) + 2, 50);
  const rows = specs.map((s, i) => {
    const desc = s.description + (s.defaultValue !== undefined ? ` (default: ${s.defaultValue})` : '');
    const l = left[i]!;
    return l.length < width ? `${l.padEnd(width)}${desc}` : `${l}\n${' '.repeat(width)}${desc}`;
  });
  return [
    description,
    '',
    `${'Option'.padEnd(width)}Description`,
    `${'------'.padEnd(width)}-----------`,
    ...rows,
  ].join('\n');
}

/** An integer option, checked: a UsageError naming the option otherwise. */
export function intOption(parsed: ParsedArgs, name: string, min = -Infinity): number | undefined {
  const raw = parsed.value(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      `option --${name} needs ${min === 0 ? 'a non-negative ' : min === 1 ? 'a positive ' : 'an '}integer, got "${raw}"`,
    );
  }
  return n;
}

/** Exactly one of these actions must be given (Kafka's "Command must include exactly one action"). */
export function oneAction(parsed: ParsedArgs, actions: readonly string[]): string {
  const given = actions.filter((a) => parsed.has(a));
  if (given.length !== 1) {
    throw new UsageError(`command must include exactly one action: ${actions.map((a) => `--${a}`).join(', ')}`);
  }
  return given[0]!;
}

/** Fails when an option is missing. */
export function required(parsed: ParsedArgs, name: string, why = ''): string {
  const v = parsed.value(name);
  if (v === undefined) throw new UsageError(`missing required argument --${name}${why}`);
  return v;
}
