/**
 * Kafka's checkpoint files: small text files replaced atomically.
 *
 * ```
 * 0                      <- version
 * 2                      <- number of entries
 * my-topic 0 1234        <- one entry a line, fields separated by one space
 * my-topic 1 99
 * ```
 *
 * The broker-level files in each log dir (recovery-point-offset-checkpoint,
 * replication-offset-checkpoint, log-start-offset-checkpoint, cleaner-offset-checkpoint) hold
 * "topic partition offset" lines; a partition's leader-epoch-checkpoint holds "epoch startOffset".
 *
 * Invariant: a reader sees either the old file or the new one, never a mix, even after a crash: we
 * write `<name>.tmp`, fsync it, rename it over `<name>`, then fsync the directory (Kafka's
 * CheckpointFile does the same). A leftover `.tmp` is garbage and is overwritten by the next write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LogError, errnoCode, storageError } from './log-error.js';

export interface CheckpointFormatter<T> {
  toLine(entry: T): string;
  /** The entry on a line, or null if the line is malformed. */
  fromLine(line: string): T | null;
}

export class CheckpointFile<T> {
  constructor(
    readonly path: string,
    readonly version: number,
    private readonly formatter: CheckpointFormatter<T>,
  ) {}

  /** The entries, or [] if the file does not exist. A malformed file is a KAFKA_STORAGE_ERROR. */
  read(): T[] {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw storageError('read checkpoint', this.path, err);
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const malformed = (why: string): never => {
      throw new LogError('KAFKA_STORAGE_ERROR', `malformed checkpoint file ${this.path}: ${why}`, { file: this.path });
    };
    const version = Number(lines[0]);
    if (lines.length < 2 || version !== this.version) malformed(`version line ${JSON.stringify(lines[0])}`);
    const count = Number(lines[1]);
    if (!Number.isInteger(count) || count < 0) malformed(`count line ${JSON.stringify(lines[1])}`);
    if (lines.length - 2 !== count) malformed(`expected ${count} entries, found ${lines.length - 2}`);
    const entries: T[] = [];
    for (let i = 2; i < lines.length; i++) {
      const entry = this.formatter.fromLine(lines[i]!);
      if (entry === null) malformed(`line ${i + 1}: ${JSON.stringify(lines[i])}`);
      else entries.push(entry);
    }
    return entries;
  }

  private render(entries: readonly T[]): string {
    let text = `${this.version}\n${entries.length}\n`;
    for (const e of entries) text += `${this.formatter.toLine(e)}\n`;
    return text;
  }

  /** Replaces the file atomically and durably (synchronous: for shutdown and rare updates). */
  write(entries: readonly T[]): void {
    const tmp = `${this.path}.tmp`;
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, this.render(entries));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.path);
      fsyncDirSync(path.dirname(this.path));
    } catch (err) {
      throw storageError('write checkpoint', this.path, err);
    }
  }

  /** write() off the event loop: for the periodic checkpoints. */
  async writeAsync(entries: readonly T[]): Promise<void> {
    const tmp = `${this.path}.tmp`;
    try {
      const handle = await fs.promises.open(tmp, 'w');
      try {
        await handle.writeFile(this.render(entries));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(tmp, this.path);
      const dir = await fs.promises.open(path.dirname(this.path), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (err) {
      throw storageError('write checkpoint', this.path, err);
    }
  }
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const OFFSET_LINE: CheckpointFormatter<TopicPartitionOffset> = {
  toLine: (e) => `${e.topic} ${e.partition} ${e.offset}`,
  fromLine(line) {
    const parts = line.split(' ');
    if (parts.length !== 3 || parts[0] === '') return null;
    const partition = Number(parts[1]);
    const offset = Number(parts[2]);
    if (!Number.isInteger(partition) || partition < 0 || !Number.isInteger(offset)) return null;
    return { topic: parts[0]!, partition, offset };
  },
};

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT = 'replication-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';

/** A broker-level "topic partition offset" checkpoint, keyed by the partition's directory name. */
export class OffsetCheckpointFile {
  private readonly file: CheckpointFile<TopicPartitionOffset>;

  constructor(readonly path: string) {
    this.file = new CheckpointFile(path, 0, OFFSET_LINE);
  }

  /** topic-partition name ("my-topic-0") → offset. */
  read(): Map<string, number> {
    const map = new Map<string, number>();
    for (const e of this.file.read()) map.set(topicPartitionName(e.topic, e.partition), e.offset);
    return map;
  }

  write(entries: readonly TopicPartitionOffset[]): void {
    this.file.write(entries);
  }

  writeAsync(entries: readonly TopicPartitionOffset[]): Promise<void> {
    return this.file.writeAsync(entries);
  }
}

/** Kafka's directory name for a partition: `<topic>-<partition>`. */
export function topicPartitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Splits a partition directory name at its last '-'; null if it is not one. */
export function parseTopicPartitionName(name: string): { topic: string; partition: number } | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const partition = Number(name.slice(dash + 1));
  if (!/^\d+$/.test(name.slice(dash + 1)) || !Number.isSafeInteger(partition)) return null;
  return { topic: name.slice(0, dash), partition };
}
