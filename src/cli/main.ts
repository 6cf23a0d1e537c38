/**
 * The `samsa` command: a table of subcommands, each its own module, loaded only when run.
 */
type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  'server-start': {
    summary: 'start a broker from a server.properties file',
    load: async () => (await import('./server-start.js')).serverStart,
  },
  'dump-log': {
    summary: 'dump and verify segment and index files offline (as kafka-dump-log.sh)',
    load: async () => (await import('./dump-log.js')).run,
  },
  topics: {
    summary: 'create, alter, list, describe and delete topics (as kafka-topics.sh)',
    load: async () => (await import('./topics.js')).topics,
  },
  'console-producer': {
    summary: 'send lines of stdin as records (as kafka-console-producer.sh)',
    load: async () => (await import('./console-producer.js')).consoleProducer,
  },
  'console-consumer': {
    summary: 'print records to stdout (as kafka-console-consumer.sh)',
    load: async () => (await import('./console-consumer.js')).consoleConsumer,
  },
  'consumer-groups': {
    summary: 'list, describe, reset and delete consumer groups (as kafka-consumer-groups.sh)',
    load: async () => (await import('./consumer-groups.js')).consumerGroups,
  },
  configs: {
    summary: 'describe and alter topic and broker configs (as kafka-configs.sh)',
    load: async () => (await import('./configs.js')).configs,
  },
  'get-offsets': {
    summary: 'print partition offsets by time (as kafka-get-offsets.sh)',
    load: async () => (await import('./get-offsets.js')).getOffsets,
  },
  'delete-records': {
    summary: 'delete records below offsets (as kafka-delete-records.sh)',
    load: async () => (await import('./delete-records.js')).deleteRecords,
  },
  'producer-perf-test': {
    summary: 'measure producer throughput and latency (as kafka-producer-perf-test.sh)',
    load: async () => (await import('./producer-perf-test.js')).producerPerfTest,
  },
  'consumer-perf-test': {
    summary: 'measure consumer throughput (as kafka-consumer-perf-test.sh)',
    load: async () => (await import('./consumer-perf-test.js')).consumerPerfTest,
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`);
  return `usage: samsa <command> [options]\n\nCommands:\n${lines.join('\n')}`;
}

export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    console.log(usage());
    return command === undefined ? 1 : 0;
  }
  const entry = COMMANDS[command];
  if (entry === undefined) {
    console.error(`samsa: unknown command "${command}"\n${usage()}`);
    return 1;
  }
  return (await entry.load())(rest);
}
