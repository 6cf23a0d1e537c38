import { readFile } from 'node:fs/promises';
import { parseProperties } from '../broker/config/properties.js';
import { helpText, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import { DEFAULT_SETTINGS, type ClientSettings } from '../client/connection.js';
import { CliError } from '../client/errors.js';

/**
 * What a tool reads and writes, injectable so tests run a tool in-process: its output streams, stdin,
 * whether stdout is a terminal, the environment, and a signal raised by SIGINT/SIGTERM.
 */
export interface ToolIO {
  out(text: string): void;
  err(text: string): void;
  readonly stdin: NodeJS.ReadableStream;
  /** stdout is a terminal (live progress lines are drawn only then). */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT or SIGTERM: a tool stops cleanly (a consumer commits its offsets). */
  readonly signal: AbortSignal;
}

/** The real process's streams; the first SIGINT/SIGTERM aborts the signal, a second one kills. */
export function processIO(): ToolIO {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    signal: controller.signal,
  };
}

/** Plain output: not a terminal, or NO_COLOR set (https://no-color.org). */
export function plainOutput(io: ToolIO): boolean {
  return !io.isTTY || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '');
}

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
}

/**
 * Runs a tool body: `--help` prints the option table to stdout and exits 0; a bad flag, an unreachable
 * broker or a Kafka error prints one line, `samsa <tool>: <why>`, to stderr and exits 1.
 */
export async function runTool(
  def: ToolDefinition,
  args: readonly string[],
  io: ToolIO,
  body: (parsed: ParsedArgs) => Promise<number | void>,
): Promise<number> {
  try {
    const parsed = parseArgs([...def.options, HELP], args);
    if (parsed.has('help')) {
      io.out(`${helpText(def.description, [...def.options, HELP])}\n`);
      return 0;
    }
    return (await body(parsed)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`samsa ${def.name}: ${err.message} (see samsa ${def.name} --help)\n`);
      return 1;
    }
    if (err instanceof CliError) {
      io.err(`samsa ${def.name}: ${err.message}\n`);
      return 1;
    }
    io.err(`samsa ${def.name}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

const HELP: OptionSpec = { name: 'help', description: 'Print usage information.' };

/** The bootstrap servers: --bootstrap-server, or an alias the tool accepts (the seed's --broker-list). */
export function bootstrapServers(parsed: ParsedArgs, aliases: readonly string[] = []): string {
  for (const name of ['bootstrap-server', ...aliases]) {
    const v = parsed.value(name);
    if (v !== undefined) return v;
  }
  throw new UsageError('missing required argument --bootstrap-server');
}

/**
 * Client properties from a Kafka-style config file and `key=value` options, later ones winning; the
 * keys the tools act on are client.id, socket.connection.setup.timeout.ms and request.timeout.ms.
 */
export async function clientProperties(
  file: string | undefined,
  pairs: readonly string[],
): Promise<Map<string, string>> {
  const props = new Map<string, string>();
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    for (const e of parseProperties(text, file)) props.set(e.key, e.value);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid property "${pair}" (expected key=value)`);
    props.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
  return props;
}

export function clientSettings(props: ReadonlyMap<string, string>, clientId: string): ClientSettings {
  const ms = (key: string, fallback: number): number => {
    const raw = props.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${key} must be a positive integer, got "${raw}"`);
    return n;
  };
  return {
    clientId: props.get('client.id') ?? clientId,
    connectTimeoutMs: ms('socket.connection.setup.timeout.ms', DEFAULT_SETTINGS.connectTimeoutMs),
    requestTimeoutMs: ms('request.timeout.ms', DEFAULT_SETTINGS.requestTimeoutMs),
  };
}
