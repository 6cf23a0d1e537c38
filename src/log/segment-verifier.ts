/**
 * Offline checks of a partition's segment files, shared by `samsa dump-log` (src/cli/dump-log.ts) and
 * the crash tests (crash/): the log layer's knowledge of what a sound segment is.
 *
 * - `.log`: walked as Kafka's FileLogInputStream walks it (LogFileReader). A sound file is v2 batches
 *   back to back with a valid CRC-32C, base offsets above the previous batch's last offset, offsets
 *   within 2^31 of the segment's base offset, records that decode in order, and no trailing bytes.
 * - `.index` / `.timeindex`: the index sanity check (sizes, order, base offset), then each entry
 *   against the log as Kafka's DumpLogSegments checks it; mismatches are collected in IndexProblems
 *   and reported after all files in Kafka's words.
 *
 * SegmentVerifier is `dump-log --verify`: one summary line per file ("F: OK (...)" or "F: N problems
 * (...)", details to err) and exit code 1 on any problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_VALUE_V2,
  RECORD_BATCH_OVERHEAD,
  RecordBatch,
  readRecords,
} from '../protocol/records/index.js';
import { OffsetIndex } from './index/offset-index.js';
import { TimeIndex } from './index/time-index.js';

export const INT32_MAX = 0x7fffffff;
/** Kafka's FileLogInputStream reads no batch from fewer bytes than offset, size, epoch and magic. */
const HEADER_SIZE_UP_TO_MAGIC = MAGIC_OFFSET + 1;
/** Magic v0's record overhead: a smaller size field is corrupt in every format. */
const MIN_ENTRY_SIZE = 14;
const READ_CHUNK = 1024 * 1024;

/** Where results go: stdout lines, and stderr for problems (both injectable for tests). */
export interface SegmentCheckOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Limits as kafka-dump-log.sh's --max-bytes (per .log file) and --max-message-size. */
export interface SegmentCheckLimits {
  readonly maxBytes: number;
  readonly maxMessageSize: number;
}

export const DEFAULT_SEGMENT_CHECK_LIMITS: SegmentCheckLimits = {
  maxBytes: INT32_MAX,
  maxMessageSize: 5 * 1024 * 1024,
};

/** A batch read from a .log file: its bytes (a copy) and where it starts. */
export interface FileBatch {
  readonly position: number;
  readonly bytes: Buffer;
}

/**
 * Walks the entries of a .log file as Kafka's FileLogInputStream does: stops (without error) when fewer
 * than 17 bytes remain or an entry runs past the end; an entry size below 14 is corruption. Reads the
 * file in 1 MiB chunks, so a batch costs no syscall of its own.
 */
export class LogFileReader {
  private chunk = Buffer.alloc(0);
  private chunkStart = 0;
  position = 0;
  /** Why the walk stopped early, or null at a clean end or a partial tail. */
  corruption: string | null = null;

  constructor(
    private readonly fd: number,
    readonly end: number,
  ) {}

  private bytesAt(at: number, length: number): Buffer {
    if (at < this.chunkStart || at + length > this.chunkStart + this.chunk.length) {
      const want = Math.min(Math.max(length, READ_CHUNK), this.end - at);
      const buf = Buffer.allocUnsafe(want);
      let done = 0;
      while (done < want) {
        const n = fs.readSync(this.fd, buf, done, want - done, at + done);
        if (n === 0) break;
        done += n;
      }
      this.chunk = buf.subarray(0, done);
      this.chunkStart = at;
    }
    return this.chunk.subarray(at - this.chunkStart, at - this.chunkStart + length);
  }

  next(): FileBatch | null {
    const at = this.position;
    if (at >= this.end - HEADER_SIZE_UP_TO_MAGIC) return null;
    const header = this.bytesAt(at, HEADER_SIZE_UP_TO_MAGIC);
    const size = header.readInt32BE(8);
    if (size < MIN_ENTRY_SIZE) {
      this.corruption = `Found record size ${size} smaller than minimum record overhead (${MIN_ENTRY_SIZE}) at position ${at}`;
      return null;
    }
    if (at > this.end - LOG_OVERHEAD - size) return null;
    const bytes = this.bytesAt(at, LOG_OVERHEAD + size);
    this.position = at + LOG_OVERHEAD + size;
    return { position: at, bytes };
  }
}

/** Problems found by index checks, reported after all files in Kafka's words. */
export class IndexProblems {
  readonly offsetMismatches = new Map<string, [number, number][]>();
  readonly timeMismatches = new Map<string, [number, number][]>();
  readonly outOfOrder = new Map<string, [number, number][]>();
  readonly shallowNotFound = new Map<string, [number, number][]>();
  readonly nonConsecutive = new Map<string, [number, number][]>();

  static add(map: Map<string, [number, number][]>, file: string, pair: [number, number]): void {
    const list = map.get(file) ?? [];
    list.push(pair);
    map.set(file, list);
  }

  get count(): number {
    let n = 0;
    for (const m of [this.offsetMismatches, this.timeMismatches, this.outOfOrder, this.shallowNotFound]) {
      for (const l of m.values()) n += l.length;
    }
    return n;
  }

  print(err: (t: string) => void): void {
    for (const [file, list] of this.offsetMismatches) {
      err(`Mismatches in :${file}`);
      for (const [i, l] of [...list].reverse()) err(`  Index offset: ${i}, log offset: ${l}`);
    }
    for (const [file, list] of this.timeMismatches) {
      err(`Found timestamp mismatch in :${file}`);
      for (const [i, l] of list) err(`  Index timestamp: ${i}, log timestamp: ${l}`);
    }
    for (const [file, list] of this.outOfOrder) {
      err(`Found out of order timestamp in :${file}`);
      for (const [i, p] of list) err(`  Index timestamp: ${i}, Previously indexed timestamp: ${p}`);
    }
    for (const list of this.shallowNotFound.values()) {
      err('The following indexed offsets are not found in the log.');
      for (const [i, l] of list) err(`Indexed offset: ${i}, found log offset: ${l}`);
    }
    for (const [file, list] of this.nonConsecutive) {
      err(`Non-consecutive offsets in ${file}`);
      for (const [a, b] of [...list].reverse()) err(`  ${a} is followed by ${b}`);
    }
  }
}

/** A file that cannot be checked at all (missing, unreadable, not v2): reported as one error. */
export class FileProblem extends Error {}

/** The segment's base offset from its name (Kafka: the part before the first dot). */
export function baseOffsetOf(file: string): number {
  const prefix = path.basename(file).split('.')[0] ?? '';
  if (!/^\d+$/.test(prefix))
    throw new FileProblem(`cannot read a base offset from the file name ${path.basename(file)}`);
  return Number(prefix);
}

export function siblingLog(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file).split('.')[0]}.log`);
}

function openForReading(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileProblem(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot open (${code ?? String(err)})`,
    );
  }
  return { fd, size: fs.fstatSync(fd).size };
}

/** Runs `fn` over the batches of a .log file; returns the reader (for trailing bytes and corruption). */
export function withLogFile<T>(file: string, maxBytes: number, fn: (reader: LogFileReader) => T): T {
  const { fd, size } = openForReading(file);
  try {
    return fn(new LogFileReader(fd, Math.min(size, maxBytes)));
  } finally {
    fs.closeSync(fd);
  }
}

/** Throws FileProblem if `file` does not exist. */
export function requireFile(file: string): void {
  if (!fs.existsSync(file)) throw new FileProblem(`${file}: no such file`);
}

/** What recovery checks of a batch, plus decoding every record; null if it is sound. */
export function verifyBatch(batch: RecordBatch, previousLast: number, startOffset: number): string | null {
  try {
    batch.ensureValid();
    if (batch.baseOffset <= previousLast) {
      return `base offset ${batch.baseOffset} not above the previous batch's last offset ${previousLast}`;
    }
    if (batch.lastOffset - startOffset > INT32_MAX) return `offset ${batch.lastOffset} beyond the segment's range`;
    let n = 0;
    let previous = batch.baseOffset - 1;
    for (const record of readRecords(batch)) {
      if (record.offset <= previous || record.offset > batch.lastOffset) {
        return `record offset ${record.offset} out of order (previous ${previous}, last ${batch.lastOffset})`;
      }
      previous = record.offset;
      n++;
    }
    if (n !== batch.recordCount) return `${n} records decoded, header says ${batch.recordCount}`;
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Kafka's offset index check: each entry (up to a repeat of the base offset) must name the last offset
 * of the batch at its position; mismatches go to problems.offsetMismatches. `onEntry` sees every entry.
 */
export function checkOffsetIndex(
  file: string,
  index: OffsetIndex,
  base: number,
  logFile: string,
  maxMessageSize: number,
  problems: IndexProblems,
  onEntry?: (offset: number, position: number) => void,
): void {
  withLogFile(logFile, INT32_MAX, (reader) => {
    for (let i = 0; i < index.entries; i++) {
      const entry = index.entry(i);
      if (entry.offset === base && i > 0) break;
      reader.position = entry.position;
      const b = reader.next();
      const fits = b !== null && b.bytes.length <= maxMessageSize + LOG_OVERHEAD;
      const logOffset = fits ? new RecordBatch(b.bytes).lastOffset : -1;
      if (logOffset !== entry.offset) {
        IndexProblems.add(problems.offsetMismatches, path.resolve(file), [entry.offset, logOffset]);
      }
      onEntry?.(entry.offset, entry.position);
    }
  });
}

/**
 * Kafka's time index check: each entry's offset must be the last offset of a batch (found from the
 * offset index's position, or from the start without one) whose greatest record timestamp is the
 * entry's, and timestamps must increase. `onEntry` sees every entry.
 */
export function checkTimeIndex(
  file: string,
  timeIndex: TimeIndex,
  base: number,
  logFile: string,
  indexFile: string,
  problems: IndexProblems,
  onEntry?: (timestamp: number, offset: number) => void,
): void {
  const index = fs.existsSync(indexFile) ? new OffsetIndex(indexFile, base, INT32_MAX) : null;
  const abs = path.resolve(file);
  let prevTimestamp = -1;
  withLogFile(logFile, INT32_MAX, (reader) => {
    for (let i = 0; i < timeIndex.entries; i++) {
      const entry = timeIndex.entry(i);
      if (entry.offset === base && i > 0) break;
      reader.position = index === null ? 0 : index.lookup(entry.offset).position;
      let found: RecordBatch | null = null;
      for (let b = reader.next(); b !== null; b = reader.next()) {
        const batch = new RecordBatch(b.bytes);
        if (batch.lastOffset >= entry.offset) {
          found = batch;
          break;
        }
      }
      if (found === null) {
        IndexProblems.add(problems.shallowNotFound, abs, [entry.offset, -1]);
      } else if (found.lastOffset !== entry.offset) {
        IndexProblems.add(problems.shallowNotFound, abs, [entry.offset, found.lastOffset]);
      } else {
        let max = -1;
        for (const record of readRecords(found)) max = Math.max(max, record.timestamp);
        if (max !== entry.timestamp) IndexProblems.add(problems.timeMismatches, abs, [entry.timestamp, max]);
        if (prevTimestamp >= entry.timestamp) {
          IndexProblems.add(problems.outOfOrder, abs, [entry.timestamp, prevTimestamp]);
        }
      }
      onEntry?.(entry.timestamp, entry.offset);
      prevTimestamp = entry.timestamp;
    }
  });
}

/** The message of the error `check` throws (an index sanity check), or null. */
export function sanityProblem(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * `--verify`: checks every file (by suffix), prints one summary line per file and, after all files,
 * the index mismatches. A file that cannot be read is reported to err as `<errorPrefix>: <message>`.
 * Returns 0 when everything is sound, else 1.
 */
export class SegmentVerifier {
  private readonly problems = new IndexProblems();
  private failures = 0;

  constructor(
    private readonly output: SegmentCheckOutput,
    private readonly limits: SegmentCheckLimits = DEFAULT_SEGMENT_CHECK_LIMITS,
    private readonly errorPrefix = 'samsa dump-log',
  ) {}

  run(files: readonly string[]): number {
    for (const file of files) {
      try {
        requireFile(file);
        const suffix = path.extname(file);
        if (suffix === '.log') this.verifyLog(file);
        else if (suffix === '.index') this.verifyIndex(file);
        else if (suffix === '.timeindex') this.verifyTimeIndex(file);
        else this.output.err(`Ignoring unknown file ${file}`);
      } catch (err) {
        this.failures++;
        this.output.err(`${this.errorPrefix}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.problems.print((t) => this.output.err(t));
    return this.failures > 0 || this.problems.count > 0 ? 1 : 0;
  }

  private verifyLog(file: string): void {
    const startOffset = baseOffsetOf(file);
    withLogFile(file, this.limits.maxBytes, (reader) => {
      let previousLast = startOffset - 1;
      let batches = 0;
      let records = 0;
      const bad: string[] = [];
      for (let b = reader.next(); b !== null; b = reader.next()) {
        const batch = new RecordBatch(b.bytes);
        if (b.bytes.readInt8(MAGIC_OFFSET) !== MAGIC_VALUE_V2 || b.bytes.length < RECORD_BATCH_OVERHEAD) {
          throw new FileProblem(`${file}: entry at position ${b.position} has magic ${batch.magic}, not a v2 batch`);
        }
        batches++;
        const problem = verifyBatch(batch, previousLast, startOffset);
        if (problem !== null) bad.push(`position ${b.position} (offset ${batch.baseOffset}): ${problem}`);
        previousLast = Math.max(previousLast, batch.lastOffset);
        records += batch.recordCount;
      }
      const trailing = reader.end - reader.position;
      if (reader.corruption !== null) bad.push(reader.corruption);
      else if (trailing > 0) bad.push(`${trailing} bytes at position ${reader.position} do not make a complete batch`);
      this.summary(file, `${batches} batches, ${records} records, ${reader.position} bytes`, bad);
    });
  }

  private verifyIndex(file: string): void {
    const base = baseOffsetOf(file);
    requireFile(file);
    const logFile = siblingLog(file);
    requireFile(logFile);
    const logSize = fs.statSync(logFile).size;
    const index = new OffsetIndex(file, base, INT32_MAX);
    const problem = sanityProblem(() => index.sanityCheck(logSize));
    if (problem !== null) {
      this.summary(file, `${index.entries} entries`, [problem]);
      return;
    }
    if (index.entries === 0) {
      this.summary(file, '0 entries', []);
      return;
    }
    const before = this.problems.count;
    checkOffsetIndex(file, index, base, logFile, this.limits.maxMessageSize, this.problems);
    this.summary(file, `${index.entries} entries`, this.newProblems(before));
  }

  private verifyTimeIndex(file: string): void {
    const base = baseOffsetOf(file);
    requireFile(file);
    const logFile = siblingLog(file);
    requireFile(logFile);
    const indexFile = logFile.slice(0, -'.log'.length) + '.index';
    const logSize = fs.statSync(logFile).size;
    const timeIndex = new TimeIndex(file, base, INT32_MAX);
    const problem = sanityProblem(() => timeIndex.sanityCheck(logSize));
    if (problem !== null) {
      this.summary(file, `${timeIndex.entries} entries`, [problem]);
      return;
    }
    const before = this.problems.count;
    checkTimeIndex(file, timeIndex, base, logFile, indexFile, this.problems);
    this.summary(file, `${timeIndex.entries} entries`, this.newProblems(before));
  }

  private newProblems(before: number): string[] {
    const n = this.problems.count - before;
    return n > 0 ? [`${n} entries disagree with the log (listed below)`] : [];
  }

  private summary(file: string, what: string, bad: readonly string[]): void {
    if (bad.length === 0) {
      this.output.out(`${file}: OK (${what})`);
      return;
    }
    this.failures++;
    this.output.out(`${file}: ${bad.length} problem${bad.length === 1 ? '' : 's'} (${what})`);
    for (const b of bad) this.output.err(`${file}: ${b}`);
  }
}
