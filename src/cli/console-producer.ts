import { createInterface } from 'node:readline';
import { UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import { Cluster } from '../client/cluster.js';
import { Producer, type RecordMetadata } from '../client/producer.js';
import { lineReaderConfig, parseLine } from './line-reader.js';
import { producerOptions } from './producer-config.js';
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
 * `samsa console-producer`: Kafka 3.9's kafka-console-producer.sh. Reads stdin line by line (a ">"
 * prompt when both ends are a terminal), parses each line as LineMessageReader does (--property
 * parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator,
 * null.marker, ignore.error), and sends it; at end of input, or on SIGINT, it flushes what is queued and
 * exits. A record the broker rejects is reported on stderr; the exit code is then 1.
 *
 * Options are merged as Kafka merges them: --producer.config, then --producer-property, then the
 * dedicated flags when given (their defaults apply only where no property set the key).
 */
const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description:
      'REQUIRED unless --broker-list (deprecated) is specified. The server(s) to connect to, HOST1:PORT1,HOST2:PORT2.',
  },
  {
    name: 'broker-list',
    arg: 'String: broker-list',
    description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.',
  },
  { name: 'topic', arg: 'String: topic', description: 'REQUIRED: The topic id to produce messages to.' },
  {
    name: 'sync',
    description: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.',
  },
  {
    name: 'compression-codec',
    arg: 'String: compression-codec',
    optionalArg: true,
    implied: 'gzip',
    description:
      "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'.",
  },
  {
    name: 'batch-size',
    arg: 'Integer: size',
    description: 'Bytes of records to send in a single batch if they are not being sent synchronously.',
    defaultValue: '16384',
  },
  {
    name: 'message-send-max-retries',
    arg: 'Integer',
    description: 'Number of retries before the producer gives up on a record.',
    defaultValue: '3',
  },
  {
    name: 'retry-backoff-ms',
    arg: 'Long',
    description: 'Time to wait before refreshing metadata and retrying.',
    defaultValue: '100',
  },
  {
    name: 'timeout',
    arg: 'Long: timeout_ms',
    description: 'In asynchronous mode, the maximum time a record waits for a batch to fill (linger.ms).',
    defaultValue: '1000',
  },
  {
    name: 'request-required-acks',
    arg: 'String: request required acks',
    description: 'The required `acks` of the producer requests.',
    defaultValue: '-1',
  },
  {
    name: 'request-timeout-ms',
    arg: 'Integer: request timeout ms',
    description: 'The ack timeout of the producer requests.',
    defaultValue: '1500',
  },
  {
    name: 'max-memory-bytes',
    arg: 'Long: total memory in bytes',
    description: 'The total memory used by the producer to buffer records waiting to be sent.',
    defaultValue: '33554432',
  },
  {
    name: 'property',
    arg: 'String: prop',
    description:
      'key=value settings of the line reader: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error.',
  },
  {
    name: 'reader-config',
    arg: 'String: config file',
    description: 'Config properties file for the line reader. --property takes precedence.',
  },
  {
    name: 'producer-property',
    arg: 'String: producer_prop',
    description: 'A producer property in the form key=value.',
  },
  {
    name: 'producer.config',
    arg: 'String: config file',
    description: 'Producer config properties file. --producer-property takes precedence.',
  },
];

const DEF: ToolDefinition = {
  name: 'console-producer',
  description:
    'Read data from standard input and publish it to Kafka.\nusage: samsa console-producer --bootstrap-server <host:port> --topic <topic> [options]',
  options: OPTIONS,
};

/** Kafka's maybeMergeOptions: a flag given explicitly wins; its default only fills an unset key. */
function mergeFlag(props: Map<string, string>, parsed: ParsedArgs, flag: string, key: string): void {
  const v = parsed.value(flag);
  if (v !== undefined && (parsed.has(flag) || !props.has(key))) props.set(key, v);
}

export function consoleProducer(args: readonly string[], io: ToolIO = processIO()): Promise<number> {
  return runTool(DEF, args, io, async (parsed) => {
    const topic = parsed.value('topic');
    if (topic === undefined) throw new UsageError('missing required argument --topic');
    const servers = bootstrapServers(parsed, ['broker-list']);
    const props = await clientProperties(parsed.value('producer.config'), parsed.values('producer-property'));
    mergeFlag(props, parsed, 'request-required-acks', 'acks');
    mergeFlag(props, parsed, 'compression-codec', 'compression.type');
    mergeFlag(props, parsed, 'batch-size', 'batch.size');
    mergeFlag(props, parsed, 'message-send-max-retries', 'retries');
    mergeFlag(props, parsed, 'retry-backoff-ms', 'retry.backoff.ms');
    mergeFlag(props, parsed, 'timeout', 'linger.ms');
    mergeFlag(props, parsed, 'request-timeout-ms', 'request.timeout.ms');
    mergeFlag(props, parsed, 'max-memory-bytes', 'buffer.memory');
    const options = producerOptions(props);
    const readerProps = await clientProperties(parsed.value('reader-config'), parsed.values('property'));
    const reader = lineReaderConfig(readerProps);
    const sync = parsed.has('sync');

    const cluster = await Cluster.connect(servers, clientSettings(props, 'console-producer'));
    cluster.allowAutoTopicCreation = true;
    try {
      await cluster.topic(topic);
      const producer = new Producer(cluster, options);
      let failures = 0;
      const onError = (err: Error) => {
        failures++;
        io.err(`samsa console-producer: ${err.message}\n`);
      };
      const prompt = io.isTTY && (io.stdin as NodeJS.ReadStream).isTTY === true;
      const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
      const stop = () => lines.close();
      io.signal.addEventListener('abort', stop, { once: true });
      let lineNumber = 0;
      if (prompt) io.out('>');
      for await (const line of lines) {
        lineNumber++;
        const record = parseLine(reader, line, lineNumber);
        const sent: Promise<RecordMetadata | void> = producer.send({ topic, ...record }).catch(onError);
        if (sync) {
          await producer.flush();
          await sent;
        }
        if (prompt) io.out('>');
      }
      io.signal.removeEventListener('abort', stop);
      await producer.flush();
      return failures > 0 ? 1 : 0;
    } finally {
      cluster.close();
    }
  });
}
