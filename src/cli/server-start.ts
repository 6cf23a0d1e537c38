import { ConfigError } from '../broker/config/config-error.js';
import { BrokerConfig } from '../broker/config/broker-config.js';
import { KafkaServer } from '../broker/kafka-server.js';
import { Logger } from '../broker/logger.js';

/**
 * `samsa server-start <server.properties> [--override key=value ...]`, like Kafka's
 * kafka-server-start.sh. Runs until SIGTERM or SIGINT, then shuts down cleanly (in-flight requests
 * answered, logs flushed and checkpointed, clean-shutdown marker written) and exits 0. A bad config
 * exits 1 naming every bad key, its value and the expected form.
 */
const USAGE = 'USAGE: samsa server-start server.properties [--override property=value]*';

export async function serverStart(args: readonly string[]): Promise<number> {
  const [file, ...rest] = args;
  if (file === undefined || file === '--help' || file.startsWith('-')) {
    console.error(USAGE);
    return file === '--help' ? 0 : 1;
  }
  const overrides: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] !== '--override' || rest[i + 1] === undefined) {
      console.error(`samsa server-start: unexpected argument "${rest[i]}"\n${USAGE}`);
      return 1;
    }
    overrides.push(rest[++i]!);
  }
  const log = new Logger('KafkaServer');
  let config: BrokerConfig;
  try {
    config = await BrokerConfig.load(file, overrides);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`samsa server-start: invalid configuration\n${err.message}`);
      return 1;
    }
    console.error(`samsa server-start: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  for (const warning of config.warnings) log.warn(warning);

  let server: KafkaServer;
  try {
    server = await KafkaServer.start(config, log);
  } catch (err) {
    log.error(`Fatal error during startup: ${(err as Error).stack ?? String(err)}`);
    // As Kafka (Exit.exit(1)): a half-started broker (listener open, ZooKeeper session, timers) must not
    // linger looking alive to a supervisor. Exit once the log line is out if nothing else ends us first.
    setTimeout(() => process.exit(1), 500).unref();
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`Received ${signal}, shutting down`);
      server.shutdown().then(
        () => resolve(0),
        (err: unknown) => {
          log.error(`Error during shutdown: ${(err as Error).stack ?? String(err)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
