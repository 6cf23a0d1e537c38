/**
 * The `samsa` command: a table of subcommands, each its own module, loaded only when run.
 */
type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  'server-start': {
    summary: 'start a broker from a server.properties file',
    load: async () => (await import('./server-start.js')).serverStart,
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`);
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
