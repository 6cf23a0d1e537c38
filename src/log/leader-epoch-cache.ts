/**
 * A partition's leader epochs and the offset each started at (Kafka's LeaderEpochFileCache), kept in
 * `leader-epoch-checkpoint` in the partition directory:
 *
 * ```
 * 0            <- version
 * 2            <- number of entries
 * 3 0          <- "epoch startOffset": epoch 3 began at offset 0
 * 5 1200
 * ```
 *
 * Invariants: epochs and start offsets both strictly increase. Every change is written through
 * (atomic replace, see CheckpointFile) before the call returns; changes are rare (a leader change, a
 * truncation), so the synchronous fsync stays off the common append path. After a crash the file can
 * hold entries past the recovered log end; loading truncates them (truncateFromEnd), as Kafka does.
 */
import path from 'node:path';
import { CheckpointFile, type CheckpointFormatter } from './checkpoint-file.js';
import { LogError } from './log-error.js';

export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** OffsetForLeaderEpoch's answer: the end offset of `leaderEpoch`, both -1 if unknown. */
export interface EpochEndOffset {
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

const EPOCH_LINE: CheckpointFormatter<EpochEntry> = {
  toLine: (e) => `${e.epoch} ${e.startOffset}`,
  fromLine(line) {
    const parts = line.split(' ');
    if (parts.length !== 2) return null;
    const epoch = Number(parts[0]);
    const startOffset = Number(parts[1]);
    if (!Number.isInteger(epoch) || !Number.isInteger(startOffset) || epoch < 0 || startOffset < 0) return null;
    return { epoch, startOffset };
  },
};

export class LeaderEpochFileCache {
  private epochs: EpochEntry[];
  private readonly checkpoint: CheckpointFile<EpochEntry>;

  constructor(dir: string) {
    this.checkpoint = new CheckpointFile(path.join(dir, LEADER_EPOCH_CHECKPOINT), 0, EPOCH_LINE);
    this.epochs = this.checkpoint.read();
  }

  get entries(): readonly EpochEntry[] {
    return this.epochs;
  }

  get latestEpoch(): number {
    return this.epochs.at(-1)?.epoch ?? UNDEFINED_EPOCH;
  }

  /** Records that `epoch` began at `startOffset`, dropping entries it contradicts (Kafka's assign). */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0 || startOffset < 0) {
      throw new LogError('ILLEGAL_STATE', `cannot assign epoch ${epoch} at offset ${startOffset}`);
    }
    const latest = this.epochs.at(-1);
    if (latest !== undefined && latest.epoch === epoch && startOffset >= latest.startOffset) return;
    while (this.epochs.length > 0) {
      const last = this.epochs.at(-1)!;
      if (last.epoch >= epoch || last.startOffset >= startOffset) this.epochs.pop();
      else break;
    }
    this.epochs.push({ epoch, startOffset });
    this.flush();
  }

  /** The epoch of the leader that wrote `offset`: the entry with the greatest startOffset <= offset. */
  epochForOffset(offset: number): number {
    let epoch = UNDEFINED_EPOCH;
    for (const e of this.epochs) {
      if (e.startOffset > offset) break;
      epoch = e.epoch;
    }
    return epoch;
  }

  /**
   * Kafka's endOffsetFor: for the latest epoch, the log end offset; for an older one, the start of the
   * next higher epoch, paired with the greatest known epoch <= the requested one (or the requested
   * epoch itself if it predates every entry); (-1, -1) for an undefined or a future epoch.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const undefinedAnswer = { leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH) return undefinedAnswer;
    if (this.epochs.length > 0 && requestedEpoch === this.latestEpoch) {
      return { leaderEpoch: requestedEpoch, endOffset: logEndOffset };
    }
    const higher = this.epochs.find((e) => e.epoch > requestedEpoch);
    if (higher === undefined) return undefinedAnswer;
    let floor: EpochEntry | undefined;
    for (const e of this.epochs) if (e.epoch <= requestedEpoch) floor = e;
    return { leaderEpoch: floor?.epoch ?? requestedEpoch, endOffset: higher.startOffset };
  }

  /** Removes entries starting at or after `endOffset` (the log was truncated to it). */
  truncateFromEnd(endOffset: number): void {
    const before = this.epochs.length;
    while (this.epochs.length > 0 && this.epochs.at(-1)!.startOffset >= endOffset) this.epochs.pop();
    if (this.epochs.length !== before) this.flush();
  }

  /**
   * The log now starts at `startOffset`: entries starting at or before it collapse into one, the last
   * of them, moved to start at `startOffset` (Kafka's truncateFromStart).
   */
  truncateFromStart(startOffset: number): void {
    let removed: EpochEntry | undefined;
    while (this.epochs.length > 0 && this.epochs[0]!.startOffset <= startOffset) removed = this.epochs.shift();
    if (removed === undefined) return;
    this.epochs.unshift({ epoch: removed.epoch, startOffset });
    this.flush();
  }

  clearAndFlush(): void {
    this.epochs = [];
    this.flush();
  }

  private flush(): void {
    this.checkpoint.write(this.epochs);
  }
}
