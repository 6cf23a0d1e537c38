import { statfsSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeLogDirs } from '../../protocol/messages/35-describe-log-dirs.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import type { PartitionLog } from '../../log/partition-log.js';
import { defineHandler, type Handler } from '../handler.js';
import { partitionKey } from '../replica-manager.js';
import type { BrokerServices } from '../services.js';

/**
 * DescribeLogDirs (35), v0-4. v1 throttles after the response; v2 flexible; v3 a top-level error
 * code; v4 each dir's total and usable bytes (KIP-827).
 *
 * One result per log dir (absolute path), as Kafka's ReplicaManager.describeLogDirs: the partitions
 * it holds among those asked for (null topics: all), each with its size in bytes, its offset lag
 * (high watermark minus log end, never below 0; -1 for a log no partition owns) and isFutureKey false
 * (Samsa never moves replicas between dirs). Topics with no partition to report are left out. A dir
 * whose file system cannot be read answers KAFKA_STORAGE_ERROR and nothing else.
 */
type Response = ResponseInput<typeof DescribeLogDirs>;
type DirResult = NonNullable<Response['results']>[number];
type PartitionResult = NonNullable<NonNullable<DirResult['topics']>[number]['partitions']>[number];

export function describeLogDirsHandler(s: BrokerServices): Handler<typeof DescribeLogDirs> {
  return defineHandler(DescribeLogDirs, '0-4', (_ctx, request) => {
    const wanted =
      request.topics === null
        ? null
        : new Set(request.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.topic, p))));
    const logsByDir = new Map<string, PartitionLog[]>();
    for (const log of s.logManager.allLogs()) {
      if (wanted !== null && !wanted.has(partitionKey(log.topic, log.partition))) continue;
      const dir = s.logManager.logDirOf(log.topic, log.partition);
      if (dir === undefined) continue;
      const key = path.resolve(dir);
      logsByDir.set(key, [...(logsByDir.get(key) ?? []), log]);
    }
    const dirs = [...new Set(s.config.logDirs.map((d) => path.resolve(d)))];
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      results: dirs.map((d) => describeDir(s, d, logsByDir.get(d) ?? [])),
    };
  });
}

function describeDir(s: BrokerServices, dir: string, logs: readonly PartitionLog[]): DirResult {
  let totalBytes: number;
  let usableBytes: number;
  try {
    const fsStats = statfsSync(dir);
    totalBytes = fsStats.blocks * fsStats.bsize;
    usableBytes = fsStats.bavail * fsStats.bsize;
  } catch (err) {
    s.log.warn(`Unable to describe replica dirs for ${dir}: ${String(err)}`);
    return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir: dir, topics: [], totalBytes: -1, usableBytes: -1 };
  }
  const byTopic = new Map<string, PartitionResult[]>();
  for (const log of logs) {
    let partitions = byTopic.get(log.topic);
    if (partitions === undefined) byTopic.set(log.topic, (partitions = []));
    const partition = s.replicaManager.getPartition(log.topic, log.partition);
    partitions.push({
      partitionIndex: log.partition,
      partitionSize: log.size,
      offsetLag: partition === undefined ? -1 : Math.max(partition.log.highWatermark - log.logEndOffset, 0),
      isFutureKey: false,
    });
  }
  return {
    errorCode: ErrorCode.NONE,
    logDir: dir,
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    totalBytes,
    usableBytes,
  };
}
