/** Helpers for this folder's tests: scratch log dirs, a silent logger, predictable ids. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Logger, type LogLevel } from '../logger.js';
import type { BrokerRegistration, CreateTopicRequest } from './types.js';

export class RecordingLogger extends Logger {
  readonly lines: string[] = [];

  constructor() {
    super('test');
  }

  override log(level: LogLevel, message: string): void {
    this.lines.push(`${level} ${message}`);
  }
}

/** A fresh directory under the OS temp dir, removed after the test. */
export function scratchDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-metadata-'));
    made.push(dir);
    return dir;
  };
}

/** Kafka UUIDs ending in a counter: AAAAAAAAAAAAAAAAAAAAAg, ...Aw, ... (never zero or ONE). */
export function sequentialUuids(): () => string {
  let n = 1;
  return () => {
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32BE(++n, 12);
    return bytes.toString('base64url');
  };
}

export function broker(brokerId: number, port = 9092): BrokerRegistration {
  return {
    brokerId,
    host: 'localhost',
    port,
    rack: null,
    endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'localhost', port }],
  };
}

export function topicRequest(name: string, overrides: Partial<CreateTopicRequest> = {}): CreateTopicRequest {
  return { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [], ...overrides };
}
