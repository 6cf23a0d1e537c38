/**
 * The `samsa` command and its subcommands. Each subcommand is one module; this file only dispatches.
 * Subcommands arrive with the parts they drive: `server-start` with the standalone broker, the topic,
 * console and group tools after it.
 */
const PLANNED: Record<string, string> = {
  'server-start': 'the standalone broker',
  topics: 'the command-line tools',
  'console-producer': 'the command-line tools',
  'console-consumer': 'the command-line tools',
  'consumer-groups': 'the command-line tools',
  'dump-log': 'the segment log',
};

const USAGE = `usage: samsa <command> [options]

Samsa is a Kafka-wire-compatible broker. Commands: ${Object.keys(PLANNED).join(', ')}.`;

export async function main(args: readonly string[]): Promise<number> {
  const [command] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  const part = PLANNED[command];
  if (part !== undefined) {
    console.error(`samsa ${command}: not available yet; it arrives with ${part}`);
    return 1;
  }
  console.error(`samsa: unknown command "${command}"\n${USAGE}`);
  return 1;
}
