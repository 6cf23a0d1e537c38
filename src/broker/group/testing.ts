/**
 * Test helpers for the group coordinator: an in-memory `__consumer_offsets`, a silent logger, and a
 * coordinator on a manual clock with every partition owned. Used by the unit tests beside this file.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { Writer } from '../../protocol/primitives/writer.js';
import { Logger, type LogLevel } from '../logger.js';
import type { CoordinatorLog, CoordinatorRecord } from './coordinator-log.js';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from './group-config.js';
import { GroupCoordinator, type JoinGroupParams } from './group-coordinator.js';
import { emptyLoad, replayRecord, type LoadedPartition } from './group-loader.js';
import { GroupMetadataManager } from './group-metadata-manager.js';
import type { JoinGroupResult, SyncGroupResult } from './member-metadata.js';
import { ManualScheduler } from './scheduler.js';
import { NO_TOPICS, type TopicView } from './consumer/consumer-group-coordinator.js';

export class SilentLogger extends Logger {
  constructor() {
    super('test');
  }
  override child(): Logger {
    return this;
  }
  override log(_level: LogLevel, _message: string): void {}
}

/** Appends kept in memory per partition; `failWith` makes the next appends fail with that code. */
export class MemoryCoordinatorLog implements CoordinatorLog {
  readonly records = new Map<number, CoordinatorRecord[]>();
  failWith: number = ErrorCode.NONE;

  append(partition: number, records: readonly CoordinatorRecord[]): number {
    if (this.failWith !== ErrorCode.NONE) return this.failWith;
    let list = this.records.get(partition);
    if (list === undefined) this.records.set(partition, (list = []));
    list.push(...records);
    return ErrorCode.NONE;
  }

  leaderLog(): undefined {
    return undefined;
  }

  /** What loading the partition would produce. */
  replay(partition: number): LoadedPartition {
    const into = emptyLoad();
    for (const r of this.records.get(partition) ?? []) replayRecord(into, r.key, r.value);
    return into;
  }
}

export interface Harness {
  readonly scheduler: ManualScheduler;
  readonly log: MemoryCoordinatorLog;
  readonly manager: GroupMetadataManager;
  readonly coordinator: GroupCoordinator;
}

/** A coordinator with one `__consumer_offsets` partition, loaded and owned. */
export function harness(
  overrides: Partial<GroupConfig> = {},
  log = new MemoryCoordinatorLog(),
  topics: TopicView = NO_TOPICS,
): Harness {
  const scheduler = new ManualScheduler();
  const config: GroupConfig = { ...DEFAULT_GROUP_CONFIG, offsetsTopicNumPartitions: 1, ...overrides };
  const manager = new GroupMetadataManager(config, log, scheduler, new SilentLogger(), () => 1);
  manager.completeLoad(0, emptyLoad());
  return { scheduler, log, manager, coordinator: new GroupCoordinator(manager, new SilentLogger(), topics) };
}

/** A promise's value once it has settled, readable synchronously after `flush()`. */
export class Tracked<T> {
  value: T | undefined;
  constructor(p: Promise<T>) {
    void p.then((v) => {
      this.value = v;
    });
  }
  get done(): boolean {
    return this.value !== undefined;
  }
  get(): T {
    if (this.value === undefined) throw new Error('not answered yet');
    return this.value;
  }
}

export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Kafka's ConsumerProtocolSubscription v0: topics and null user data. */
export function subscription(...topics: string[]): Buffer {
  const size = 2 + 4 + topics.reduce((n, t) => n + 2 + Buffer.byteLength(t), 0) + 4;
  const w = Writer.alloc(size);
  w.writeInt16(0);
  w.writeInt32(topics.length);
  for (const t of topics) {
    w.writeInt16(Buffer.byteLength(t));
    w.writeRaw(Buffer.from(t));
  }
  w.writeInt32(-1);
  return w.buf;
}

export function joinParams(groupId: string, memberId: string, extra: Partial<JoinGroupParams> = {}): JoinGroupParams {
  return {
    groupId,
    memberId,
    groupInstanceId: null,
    requireKnownMemberId: true,
    supportSkippingAssignment: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 60_000,
    sessionTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('t') }],
    reason: null,
    ...extra,
  };
}

export function join(
  h: Harness,
  groupId: string,
  memberId: string,
  extra: Partial<JoinGroupParams> = {},
): Tracked<JoinGroupResult> {
  return new Tracked(h.coordinator.joinGroup(joinParams(groupId, memberId, extra)));
}

export function sync(
  h: Harness,
  groupId: string,
  memberId: string,
  generationId: number,
  assignments: ReadonlyMap<string, Buffer> = new Map(),
  groupInstanceId: string | null = null,
): Tracked<SyncGroupResult> {
  return new Tracked(
    h.coordinator.syncGroup({
      groupId,
      generationId,
      memberId,
      groupInstanceId,
      protocolType: null,
      protocolName: null,
      assignments,
    }),
  );
}

/** A TopicView over fixed topics: name → partition count; topic ids are "<name>-id" padded to 22 chars. */
export function fixedTopics(
  topics: Record<string, number>,
): TopicView & { set(name: string, partitions: number): void } {
  const counts = new Map(Object.entries(topics));
  const idOf = (name: string) => `${name}-id`.padEnd(22, 'A').slice(0, 22);
  return {
    topic: (name) => {
      const n = counts.get(name);
      return n === undefined ? undefined : { topicId: idOf(name), partitionCount: n };
    },
    topicById: (id) => {
      for (const [name, n] of counts) if (idOf(name) === id) return { name, partitionCount: n };
      return undefined;
    },
    topicNames: () => counts.keys(),
    set: (name, n) => counts.set(name, n),
  };
}
