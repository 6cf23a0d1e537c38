import type { ApiDeclaration } from '../protocol/schema/api.js';
import { CliError } from './errors.js';

/**
 * The versions of each API the tools can speak, by api key. The upper bounds stop below versions that
 * change a request's shape in ways the tools do not fill in (topic ids in Produce v13, Fetch v13+,
 * OffsetCommit v10 and OffsetFetch v10), so every version in range is written correctly from the same
 * request object: the declaration drops the fields a version lacks.
 */
const CLIENT_VERSIONS: ReadonlyMap<number, { readonly min: number; readonly max: number }> = new Map([
  [0, { min: 3, max: 12 }], // Produce: record batch v2 from v3
  [1, { min: 4, max: 12 }], // Fetch: v2 batches and isolation level from v4
  [2, { min: 1, max: 10 }], // ListOffsets: one offset per partition from v1
  [3, { min: 1, max: 12 }], // Metadata: null topics means all from v1
  [4, { min: 5, max: 5 }], // LeaderAndIsr: the ZooKeeper-mode controller builds v5 (topic ids, flexible)
  [5, { min: 3, max: 3 }], // StopReplica: per-partition delete flag from v3
  [6, { min: 7, max: 7 }], // UpdateMetadata: topic ids from v7
  [7, { min: 1, max: 3 }], // ControlledShutdown: a broker asking the controller (v0 has no client id)
  [8, { min: 2, max: 9 }], // OffsetCommit
  [9, { min: 1, max: 9 }], // OffsetFetch: v8+ batches groups
  [10, { min: 0, max: 6 }], // FindCoordinator: v4+ batches keys
  [11, { min: 0, max: 9 }], // JoinGroup: v4+ answers MEMBER_ID_REQUIRED first
  [12, { min: 0, max: 4 }], // Heartbeat
  [13, { min: 0, max: 5 }], // LeaveGroup: v3+ lists members
  [14, { min: 0, max: 5 }], // SyncGroup
  [15, { min: 0, max: 6 }], // DescribeGroups
  [16, { min: 0, max: 5 }], // ListGroups
  [18, { min: 0, max: 4 }], // ApiVersions
  [19, { min: 0, max: 7 }], // CreateTopics
  [20, { min: 0, max: 6 }], // DeleteTopics: v6 names topics in a struct array
  [21, { min: 0, max: 2 }], // DeleteRecords
  [23, { min: 3, max: 4 }], // OffsetForLeaderEpoch: a follower's replica id from v3
  [32, { min: 0, max: 4 }], // DescribeConfigs
  [37, { min: 0, max: 3 }], // CreatePartitions
  [42, { min: 0, max: 2 }], // DeleteGroups
  [44, { min: 0, max: 1 }], // IncrementalAlterConfigs
  [75, { min: 0, max: 0 }], // DescribeTopicPartitions (eligible leader replicas)
]);

/** A broker's advertised range for one API (from ApiVersions). */
export interface VersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * The version to use: min(our max, the broker's max), as Kafka's clients pick it; an error naming the
 * API when the broker lacks it or the ranges do not meet.
 */
export function negotiateVersion(decl: ApiDeclaration, broker: VersionRange | undefined, address: string): number {
  const ours = CLIENT_VERSIONS.get(decl.apiKey);
  if (ours === undefined) throw new TypeError(`no client versions declared for ${decl.name}`);
  if (broker === undefined) throw new CliError(`the broker at ${address} does not support ${decl.name}`);
  const version = Math.min(ours.max, broker.maxVersion);
  if (version < Math.max(ours.min, broker.minVersion)) {
    throw new CliError(
      `the broker at ${address} supports ${decl.name} v${broker.minVersion}-${broker.maxVersion}, ` +
        `this tool v${ours.min}-${ours.max}`,
    );
  }
  return version;
}

/** The highest ApiVersions version the tools send first (v3 is the first flexible one). */
export const API_VERSIONS_FIRST_TRY = 3;
