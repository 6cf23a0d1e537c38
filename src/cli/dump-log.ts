/**
 * `samsa dump-log`: an offline dump and verifier of segment files, in the layout of Kafka 3.9's
 * kafka-dump-log.sh (kafka.tools.DumpLogSegments), so its output can be compared line for line:
 *
 *   samsa dump-log --files 00000000000000000000.log[,...] [--print-data-log] [--deep-iteration]
 *                  [--skip-record-metadata] [--verify-index-only] [--index-sanity-check] [--verify]
 *                  [--max-bytes N] [--max-message-size N] [--key-decoder-class C] [--value-decoder-class C]
 *
 * Per file, by suffix: `.log` prints "Log starting offset: N", then one line per batch ("baseOffset: ...
 * isvalid: true") and, with deep iteration, one "| offset: ..." line per record; trailing bytes that do
 * not make a batch are reported as "Found N invalid bytes at the end of F". `.index` prints "offset: O
 * position: P" and `.timeindex` "timestamp: T offset: O", each entry checked against the log as Kafka
 * checks it (mismatches go to stderr after all files, in Kafka's words). Magic v0/v1 entries are not
 * decoded (Samsa's own segments are v2 only): they are reported as an error.
 *
 * `--verify` is Samsa's: instead of dumping, it checks everything recovery would (sizes, magic, CRC-32C,
 * increasing offsets within the segment's range, records decodable, no trailing bytes) plus the Kafka
 * index checks and the index sanity check, prints one summary line per file and exits 1 on any problem.
 *
 * Exit codes: 0 when every file was read without a problem, 1 on a bad flag, a missing or unreadable
 * file, corruption, or (with --verify) any problem found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OffsetIndex } from '../log/index/offset-index.js';
import { TimeIndex } from '../log/index/time-index.js';
import {
  FileProblem,
  INT32_MAX,
  IndexProblems,
  type SegmentCheckOutput,
  SegmentVerifier,
  baseOffsetOf,
  checkOffsetIndex,
  checkTimeIndex,
  requireFile,
  sanityProblem,
  siblingLog,
  withLogFile,
} from '../log/segment-verifier.js';
import {
  COMPRESSION_NAMES,
  CONTROL_FLAG_MASK,
  MAGIC_OFFSET,
  MAGIC_VALUE_V2,
  RECORD_BATCH_OVERHEAD,
  RecordBatch,
  TimestampType,
  readRecords,
} from '../protocol/records/index.js';

const USAGE = `This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.
usage: samsa dump-log --files <file1,file2,...> [options]

Option                        Description
------                        -----------
--files <file1,file2,...>     REQUIRED: The comma separated list of data and index log files to be dumped.
--print-data-log              Print the messages' content (keys and payloads) when dumping data logs.
--deep-iteration              Print every record, not only batches. Implied by --print-data-log.
--skip-record-metadata        Do not print the metadata of each record.
--verify-index-only           Verify the indexes against the log without printing their content.
--index-sanity-check          Only check the indexes' sanity (the check a broker makes on startup).
--verify                      Samsa's offline verifier: check every batch (CRC-32C, offsets, records), the
                                indexes against the log and their sanity; print a summary per file and
                                exit 1 on any problem.
--max-bytes <size>            Read at most this many bytes of each .log file. (default: 2147483647)
--max-message-size <size>     Size of the largest message. (default: 5242880)
--key-decoder-class <class>   org.apache.kafka.tools.api.{String,Integer,Long}Decoder. (default: String)
--value-decoder-class <class> As --key-decoder-class, for values.
--help                        Print usage information.`;

export interface DumpLogOptions {
  readonly files: readonly string[];
  readonly printDataLog: boolean;
  readonly deepIteration: boolean;
  readonly skipRecordMetadata: boolean;
  readonly verifyIndexOnly: boolean;
  readonly indexSanityCheck: boolean;
  readonly verify: boolean;
  readonly maxBytes: number;
  readonly maxMessageSize: number;
  readonly keyDecoder: Decoder;
  readonly valueDecoder: Decoder;
}

type Decoder = (bytes: Buffer) => string;

const DECODERS: Record<string, Decoder> = {
  StringDecoder: (b) => b.toString('utf8'),
  IntegerDecoder: (b) => String(b.readInt32BE(0)),
  LongDecoder: (b) => String(b.readBigInt64BE(0)),
};

/** Where the dump goes: stdout lines, and stderr for errors (both injectable for tests). */
export type DumpOutput = SegmentCheckOutput;

class UsageError extends Error {}

function decoderFor(name: string): Decoder {
  const simple = name.slice(name.lastIndexOf('.') + 1);
  const decoder = DECODERS[simple];
  if (decoder === undefined) throw new UsageError(`unsupported decoder class ${name}`);
  return decoder;
}

function intArg(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > INT32_MAX)
    throw new UsageError(`${flag} needs a non-negative int, got "${value}"`);
  return n;
}

/** Parses the flags (`--flag value` or `--flag=value`); throws UsageError. */
export function parseDumpLogArgs(args: readonly string[]): DumpLogOptions | 'help' {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const withValue = new Set(['files', 'max-bytes', 'max-message-size', 'key-decoder-class', 'value-decoder-class']);
  const bare = new Set([
    'print-data-log',
    'deep-iteration',
    'skip-record-metadata',
    'verify-index-only',
    'index-sanity-check',
    'verify',
    'help',
  ]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (withValue.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`option --${name} requires an argument`);
      values.set(name, value);
    } else if (bare.has(name) && eq < 0) {
      flags.add(name);
    } else {
      throw new UsageError(`${name} is not a recognized option`);
    }
  }
  if (flags.has('help')) return 'help';
  const files = values.get('files');
  if (files === undefined) throw new UsageError('Missing required argument "[files]"');
  const printDataLog =
    flags.has('print-data-log') || values.has('key-decoder-class') || values.has('value-decoder-class');
  return {
    files: files.split(',').filter((f) => f !== ''),
    printDataLog,
    deepIteration: flags.has('deep-iteration') || printDataLog,
    skipRecordMetadata: flags.has('skip-record-metadata'),
    verifyIndexOnly: flags.has('verify-index-only'),
    indexSanityCheck: flags.has('index-sanity-check'),
    verify: flags.has('verify'),
    maxBytes: values.has('max-bytes') ? intArg('--max-bytes', values.get('max-bytes')!) : INT32_MAX,
    maxMessageSize: values.has('max-message-size')
      ? intArg('--max-message-size', values.get('max-message-size')!)
      : 5 * 1024 * 1024,
    keyDecoder: decoderFor(values.get('key-decoder-class') ?? 'StringDecoder'),
    valueDecoder: decoderFor(values.get('value-decoder-class') ?? 'StringDecoder'),
  };
}

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap at 2^31 to 0. */
function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

function timestampTypeName(batch: RecordBatch): string {
  return batch.timestampType === TimestampType.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime';
}

/** DumpLogSegments.printBatchLevel for a v2 batch at `position`. */
export function formatBatchLine(batch: RecordBatch, position: number): string {
  const baseSequence = batch.baseSequence;
  const lastSequence = baseSequence < 0 ? -1 : incrementSequence(baseSequence, batch.lastOffsetDelta);
  const horizon = batch.hasDeleteHorizon ? `OptionalLong[${batch.baseTimestamp}]` : 'OptionalLong.empty';
  const codec = COMPRESSION_NAMES[batch.compressionType] ?? `unknown(${batch.compressionType})`;
  return (
    `baseOffset: ${batch.baseOffset} lastOffset: ${batch.lastOffset} count: ${batch.recordCount} ` +
    `baseSequence: ${baseSequence} lastSequence: ${lastSequence} producerId: ${batch.producerId} ` +
    `producerEpoch: ${batch.producerEpoch} partitionLeaderEpoch: ${batch.partitionLeaderEpoch} ` +
    `isTransactional: ${batch.isTransactional} isControl: ${batch.isControlBatch} deleteHorizonMs: ${horizon} ` +
    `position: ${position} ${timestampTypeName(batch)}: ${batch.maxTimestamp} size: ${batch.sizeInBytes} ` +
    `magic: ${batch.magic} compresscodec: ${codec} crc: ${batch.crc} isvalid: ${batch.isValid()}`
  );
}

const CONTROL_TYPES = ['ABORT', 'COMMIT', 'SNAPSHOT_HEADER', 'SNAPSHOT_FOOTER', 'KRAFT_VERSION', 'KRAFT_VOTERS'];

/** The control record's description, as DumpLogSegments prints it (JSON bodies of KRaft records omitted). */
function controlDescription(key: Buffer | null, value: Buffer | null): string {
  const typeId = key !== null && key.length >= 4 ? key.readInt16BE(2) : -1;
  const type = CONTROL_TYPES[typeId] ?? 'UNKNOWN';
  if ((typeId === 0 || typeId === 1) && value !== null && value.length >= 6) {
    return ` endTxnMarker: ${type} coordinatorEpoch: ${value.readInt32BE(2)}`;
  }
  return ` controlType: ${type}(${typeId})`;
}

export class DumpLog {
  private readonly problems = new IndexProblems();
  private failures = 0;

  constructor(
    private readonly opts: DumpLogOptions,
    private readonly output: DumpOutput,
  ) {}

  run(): number {
    if (this.opts.verify) return new SegmentVerifier(this.output, this.opts).run(this.opts.files);
    for (const file of this.opts.files) {
      this.output.out(`Dumping ${file}`);
      try {
        requireFile(file);
        const suffix = path.extname(file);
        if (suffix === '.log') this.dumpLog(file);
        else if (suffix === '.index') this.dumpIndex(file);
        else if (suffix === '.timeindex') this.dumpTimeIndex(file);
        else this.output.err(`Ignoring unknown file ${file}`);
      } catch (err) {
        this.failures++;
        this.output.err(`samsa dump-log: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.problems.print((t) => this.output.err(t));
    return this.failures > 0 || this.problems.count > 0 ? 1 : 0;
  }

  private dumpLog(file: string): void {
    const startOffset = baseOffsetOf(file);
    const { out } = this.output;
    out(`Log starting offset: ${startOffset}`);
    withLogFile(file, this.opts.maxBytes, (reader) => {
      let lastOffset = -1;
      for (let b = reader.next(); b !== null; b = reader.next()) {
        const batch = new RecordBatch(b.bytes);
        if (b.bytes.readInt8(MAGIC_OFFSET) !== MAGIC_VALUE_V2 || b.bytes.length < RECORD_BATCH_OVERHEAD) {
          throw new FileProblem(`${file}: entry at position ${b.position} has magic ${batch.magic}, not a v2 batch`);
        }
        out(formatBatchLine(batch, b.position));
        if (!this.opts.deepIteration) continue;
        for (const record of readRecords(batch)) {
          if (lastOffset !== -1 && record.offset !== lastOffset + 1) {
            IndexProblems.add(this.problems.nonConsecutive, path.resolve(file), [lastOffset, record.offset]);
          }
          lastOffset = record.offset;
          let line = '';
          let prefix = '| ';
          if (!this.opts.skipRecordMetadata) {
            line +=
              `${prefix}offset: ${record.offset} ${timestampTypeName(batch)}: ${record.timestamp} ` +
              `keySize: ${record.key?.length ?? -1} valueSize: ${record.value?.length ?? -1}` +
              ` sequence: ${record.sequence} headerKeys: [${record.headers.map((h) => h.key).join(',')}]`;
            prefix = ' ';
            if (batch.isControlBatch) line += controlDescription(record.key, record.value);
          }
          if (this.opts.printDataLog && (batch.attributes & CONTROL_FLAG_MASK) === 0) {
            if (record.key !== null) {
              line += `${prefix}key: ${this.opts.keyDecoder(record.key)}`;
              prefix = ' ';
            }
            if (record.value !== null) line += ` payload: ${this.opts.valueDecoder(record.value)}`;
          }
          out(line);
        }
      }
      const trailing = reader.end - reader.position;
      if (reader.corruption !== null) throw new FileProblem(`${file}: ${reader.corruption}`);
      if (trailing > 0 && this.opts.maxBytes === INT32_MAX) {
        out(`Found ${trailing} invalid bytes at the end of ${path.basename(file)}`);
      }
    });
  }

  private dumpIndex(file: string): void {
    const base = baseOffsetOf(file);
    requireFile(file);
    const logFile = siblingLog(file);
    requireFile(logFile);
    const logSize = fs.statSync(logFile).size;
    const index = new OffsetIndex(file, base, INT32_MAX);
    const { out } = this.output;
    if (index.entries === 0) {
      out(`${file} is empty.`);
      return;
    }
    if (this.opts.indexSanityCheck) {
      const problem = sanityProblem(() => index.sanityCheck(logSize));
      if (problem !== null) throw new FileProblem(problem);
      out(`${file} passed sanity check.`);
      return;
    }
    const print = this.opts.verifyIndexOnly
      ? undefined
      : (offset: number, position: number): void => out(`offset: ${offset} position: ${position}`);
    checkOffsetIndex(file, index, base, logFile, this.opts.maxMessageSize, this.problems, print);
  }

  private dumpTimeIndex(file: string): void {
    const base = baseOffsetOf(file);
    requireFile(file);
    const logFile = siblingLog(file);
    requireFile(logFile);
    const indexFile = logFile.slice(0, -'.log'.length) + '.index';
    const logSize = fs.statSync(logFile).size;
    const timeIndex = new TimeIndex(file, base, INT32_MAX);
    const { out } = this.output;
    if (this.opts.indexSanityCheck) {
      const problem = sanityProblem(() => timeIndex.sanityCheck(logSize));
      if (problem !== null) throw new FileProblem(problem);
      out(`${file} passed sanity check.`);
      return;
    }
    const print = this.opts.verifyIndexOnly
      ? undefined
      : (timestamp: number, offset: number): void => out(`timestamp: ${timestamp} offset: ${offset}`);
    checkTimeIndex(file, timeIndex, base, logFile, indexFile, this.problems, print);
  }
}

/** Buffers stdout so a large dump costs few writes; errors go to stderr at once. */
function processOutput(): DumpOutput & { flush(): void } {
  let pending: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    process.stdout.write(pending.join(''));
    pending = [];
    bytes = 0;
  };
  return {
    out(text: string): void {
      pending.push(text, '\n');
      bytes += text.length + 1;
      if (bytes >= 64 * 1024) flush();
    },
    err(text: string): void {
      flush();
      process.stderr.write(`${text}\n`);
    },
    flush,
  };
}

/** The `samsa dump-log` subcommand. */
export async function run(args: readonly string[]): Promise<number> {
  let opts: DumpLogOptions | 'help';
  try {
    opts = parseDumpLogArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`samsa dump-log: ${err.message}\n\n${USAGE}`);
    return 1;
  }
  if (opts === 'help') {
    console.log(USAGE);
    return 0;
  }
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const output = processOutput();
  const code = new DumpLog(opts, output).run();
  output.flush();
  return code;
}
