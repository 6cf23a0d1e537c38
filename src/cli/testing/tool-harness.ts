import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BrokerConfig } from '../../broker/config/broker-config.js';
import { KafkaServer } from '../../broker/kafka-server.js';
import { Logger } from '../../broker/logger.js';
import type { ToolIO } from '../tool.js';

/** An in-process standalone broker on an ephemeral port, over real sockets and temp log dirs. */
export class TestBroker {
  private constructor(
    readonly server: KafkaServer,
    private readonly dir: string,
  ) {}

  static async start(extra = ''): Promise<TestBroker> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-cli-'));
    const config = BrokerConfig.parse(
      `broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\ngroup.initial.rebalance.delay.ms=0\n${extra}`,
    );
    return new TestBroker(await KafkaServer.start(config, new Logger('test')), dir);
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.server.boundPorts[0]}`;
  }

  get dataDir(): string {
    return this.dir;
  }

  async stop(): Promise<void> {
    await this.server.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ToolRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export type Tool = (args: readonly string[], io: ToolIO) => Promise<number>;

/**
 * Runs a tool's main function with captured output; `stdin` is its input, and `abort` (if given) is
 * the SIGINT the tool sees. `isTTY` and `env` stand in for a terminal and NO_COLOR.
 */
export async function runTool(
  tool: Tool,
  args: readonly string[],
  options: { stdin?: string; abort?: AbortSignal; isTTY?: boolean; env?: Record<string, string> } = {},
): Promise<ToolRun> {
  let out = '';
  let err = '';
  const io: ToolIO = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    signal: options.abort ?? new AbortController().signal,
  };
  const code = await tool(args, io);
  return { code, out, err };
}
