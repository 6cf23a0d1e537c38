import { readFile } from 'node:fs/promises';
import { UsageError, required, type OptionSpec } from './args.js';
import { Admin } from '../client/admin.js';
import { Cluster } from '../client/cluster.js';
import { CliError } from '../client/errors.js';
import {
  bootstrapServers,
  clientProperties,
  clientSettings,
  processIO,
  runTool,
  type ToolDefinition,
  type ToolIO,
} from './tool.js';

/**
 * `samsa delete-records`: Kafka 3.9's kafka-delete-records.sh. Reads
 *
 *   {"partitions": [{"topic": "t", "partition": 0, "offset": 3}], "version": 1}
 *
 * (offset -1 means the high watermark), deletes the records below each offset, and prints Kafka's
 * lines: "Executing records delete operation", "Records delete operation completed:", then per
 * partition "partition: t-0\tlow_watermark: 3" or "partition: t-0\terror: <why>". A failed partition
 * makes the exit code 1.
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server(s) to use for bootstrapping',
    description: 'REQUIRED: The server to connect to.',
  },
  {
    name: 'offset-json-file',
    arg: 'String: Offset json file path',
    description:
      'REQUIRED: The JSON file with offset per partition. The format to use is:\n{"partitions":\n  [{"topic": "foo", "partition": 1, "offset": 1}],\n "version":1\n}',
  },
  {
    name: 'command-config',
    arg: 'String: command config property file path',
    description: 'A property file containing configs to be passed to the client.',
  },
];

const DEF: ToolDefinition = {
  name: 'delete-records',
  description:
    'Delete records of the given partitions down to the specified offset.\nusage: samsa delete-records --bootstrap-server <host:port> --offset-json-file <file>',
  options: OPTIONS,
};

interface OffsetEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export function parseOffsetJson(text: string): OffsetEntry[] {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new CliError('The input string is not a valid JSON');
  }
  if (typeof js !== 'object' || js === null || Array.isArray(js))
    throw new CliError('The input string is not a valid JSON');
  const obj = js as Record<string, unknown>;
  const version = obj.version ?? 1;
  if (version !== 1) throw new CliError(`Not supported version field value ${String(version)}`);
  if (!Array.isArray(obj.partitions)) throw new CliError('Missing partitions field');
  const out = obj.partitions.map((p: unknown): OffsetEntry => {
    const e = (p ?? {}) as Record<string, unknown>;
    if (typeof e.topic !== 'string' || !Number.isInteger(e.partition) || !Number.isInteger(e.offset)) {
      throw new CliError(`invalid partition entry ${JSON.stringify(p)} (needs "topic", "partition" and "offset")`);
    }
    return { topic: e.topic, partition: e.partition as number, offset: e.offset as number };
  });
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const e of out) {
    const k = `${e.topic}-${e.partition}`;
    if (seen.has(k)) dups.add(k);
    seen.add(k);
  }
  if (dups.size > 0) throw new CliError(`Offset json file contains duplicate topic partitions: ${[...dups].join(',')}`);
  return out;
}

export function deleteRecords(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const servers = bootstrapServers(parsed);
    const file = required(parsed, 'offset-json-file');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const offsets = parseOffsetJson(text);
    const props = await clientProperties(parsed.value('command-config'), []);
    const cluster = await Cluster.connect(servers, clientSettings(props, 'samsa-delete-records'));
    try {
      io.out('Executing records delete operation\n');
      const results = await new Admin(cluster).deleteRecords(offsets);
      io.out('Records delete operation completed:\n');
      let failed = false;
      for (const o of offsets) {
        const r = results.get(`${o.topic}:${o.partition}`);
        const tp = `${o.topic}-${o.partition}`;
        if (r === undefined || r.error !== null) {
          failed = true;
          io.out(`partition: ${tp}\terror: ${r?.error?.message ?? 'no answer'}\n`);
        } else {
          io.out(`partition: ${tp}\tlow_watermark: ${r.lowWatermark}\n`);
        }
      }
      return failed ? 1 : 0;
    } finally {
      cluster.close();
    }
  });
}
