/**
 * The embedded store's file, `<first log dir>/samsa-metadata.json`: two JSON texts, one per part, so
 * `jq . samsa-metadata.json` prints both.
 *
 *   line 1   header  {"format":"samsa-metadata","version":1,"length":<body bytes>,"crc32c":<uint32>}
 *   line 2+  body    pretty-printed JSON, ending with a newline; length and crc32c cover exactly it
 *
 *   body = {
 *     "cluster_id": "<22-char Kafka UUID>",
 *     "broker_sequence_id": <int, the last generated broker id minus reserved.broker.max.id; 0 = none>,
 *     "topics": {
 *       "<name>": {
 *         "topic_id": "<22-char Kafka UUID, not zero, unique>",
 *         "partitions": { "0": [<broker id>, ...], ... },       as /brokers/topics/<T> "partitions"
 *         "partition_states": { "0": { "leader": 1, "leader_epoch": 0, "isr": [1], "partition_epoch": 0 } },
 *         "config": { "<topic config>": "<string value>" }        as /config/topics/<T> "config"
 *       }
 *     }
 *   }
 *
 * Partition keys run 0..n-1 without gaps and partition_states has the same keys. A file that fails
 * any check (length, checksum, JSON, schema) is reported as METADATA_CORRUPT naming the file: the
 * broker refuses to start rather than forget topics whose logs are still on disk.
 */
import fs from 'node:fs';
import { crc32c } from '../../protocol/records/crc.js';
import { ZERO_UUID, isUuid } from '../../protocol/primitives/uuid.js';
import { MetadataError } from './errors.js';
import { freezeTopic } from './topic-commands.js';
import { isInternalTopic, isValidTopicName } from './topic-name.js';
import type { PartitionMetadata, TopicMetadata } from './types.js';

export const METADATA_FILE_NAME = 'samsa-metadata.json';
const FORMAT = 'samsa-metadata';
const VERSION = 1;

export interface MetadataSnapshot {
  readonly clusterId: string;
  /** The last value handed out by the broker id sequence (0: none yet). */
  readonly brokerSequenceId: number;
  readonly topics: ReadonlyMap<string, TopicMetadata>;
}

export function encodeMetadataFile(snapshot: MetadataSnapshot): string {
  const topics = [...snapshot.topics.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => [t.name, encodeTopic(t)] as const);
  const body =
    JSON.stringify(
      {
        cluster_id: snapshot.clusterId,
        broker_sequence_id: snapshot.brokerSequenceId,
        // fromEntries defines own properties, so a topic named "__proto__" stays a topic.
        topics: Object.fromEntries(topics),
      },
      null,
      2,
    ) + '\n';
  const bytes = Buffer.from(body, 'utf8');
  const header = JSON.stringify({ format: FORMAT, version: VERSION, length: bytes.length, crc32c: crc32c(bytes) });
  return `${header}\n${body}`;
}

function encodeTopic(t: TopicMetadata): object {
  return {
    topic_id: t.topicId,
    partitions: Object.fromEntries(t.partitions.map((p) => [String(p.partition), p.replicas])),
    partition_states: Object.fromEntries(
      t.partitions.map((p) => [
        String(p.partition),
        { leader: p.leader, leader_epoch: p.leaderEpoch, isr: p.isr, partition_epoch: p.partitionEpoch },
      ]),
    ),
    config: Object.fromEntries(t.configs),
  };
}

/** The snapshot in `file`, or null when there is no such file. Throws METADATA_CORRUPT. */
export function readMetadataFile(file: string): MetadataSnapshot | null {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return decodeMetadataFile(data, file);
}

export function decodeMetadataFile(data: Buffer, file: string): MetadataSnapshot {
  try {
    return decode(data);
  } catch (err) {
    if (!(err instanceof CorruptError)) throw err;
    throw new MetadataError(
      'METADATA_CORRUPT',
      `Metadata file ${file} is corrupt: ${err.message}. Samsa will not start over it, because starting with ` +
        'empty metadata would orphan the topics whose logs are in log.dirs. Restore the file from a backup; ' +
        'if the logs are to be discarded too, remove it and the log dirs.',
      { cause: err },
    );
  }
}

class CorruptError extends Error {}

function decode(data: Buffer): MetadataSnapshot {
  const newline = data.indexOf(0x0a);
  if (newline < 0) throw new CorruptError('no header line (the file is empty or truncated)');
  const header = parseJson(data.subarray(0, newline), 'header');
  const h = obj(header, 'header');
  if (h.format !== FORMAT) throw new CorruptError(`header format is ${JSON.stringify(h.format)}, not "${FORMAT}"`);
  if (h.version !== VERSION)
    throw new CorruptError(
      `header version ${JSON.stringify(h.version)} is not ${VERSION}, the only one this Samsa reads`,
    );
  const length = int(h.length, 'header.length');
  const crc = int(h.crc32c, 'header.crc32c');
  const body = data.subarray(newline + 1);
  if (body.length !== length) throw new CorruptError(`body is ${body.length} bytes, the header says ${length}`);
  const actual = crc32c(body);
  if (actual !== crc) throw new CorruptError(`body checksum is ${hex(actual)}, the header says ${hex(crc)}`);
  const b = obj(parseJson(body, 'body'), 'body');
  const clusterId = uuid(b.cluster_id, 'cluster_id');
  const brokerSequenceId = int(b.broker_sequence_id, 'broker_sequence_id', 0);
  const topics = new Map<string, TopicMetadata>();
  const ids = new Set<string>();
  for (const [name, value] of Object.entries(obj(b.topics, 'topics'))) {
    if (!isValidTopicName(name)) throw new CorruptError(`topic name ${JSON.stringify(name)} is not legal`);
    const topic = decodeTopic(name, obj(value, `topics.${name}`));
    if (ids.has(topic.topicId)) throw new CorruptError(`topic id ${topic.topicId} is used twice`);
    ids.add(topic.topicId);
    topics.set(name, topic);
  }
  return { clusterId, brokerSequenceId, topics };
}

function decodeTopic(name: string, t: Record<string, unknown>): TopicMetadata {
  const at = `topics.${name}`;
  const topicId = uuid(t.topic_id, `${at}.topic_id`);
  const assignment = obj(t.partitions, `${at}.partitions`);
  const states = obj(t.partition_states, `${at}.partition_states`);
  const count = Object.keys(assignment).length;
  if (count === 0) throw new CorruptError(`${at} has no partitions`);
  if (Object.keys(states).length !== count) throw new CorruptError(`${at}.partition_states does not match partitions`);
  const partitions: PartitionMetadata[] = [];
  for (let p = 0; p < count; p++) {
    const replicas = ints(assignment[String(p)], `${at}.partitions.${p}`);
    if (replicas.length === 0 || new Set(replicas).size !== replicas.length)
      throw new CorruptError(`${at}.partitions.${p} must list distinct replicas`);
    const s = obj(states[String(p)], `${at}.partition_states.${p}`);
    partitions.push(
      Object.freeze({
        partition: p,
        replicas: Object.freeze(replicas),
        leader: int(s.leader, `${at}.partition_states.${p}.leader`, -1),
        leaderEpoch: int(s.leader_epoch, `${at}.partition_states.${p}.leader_epoch`, 0),
        isr: Object.freeze(ints(s.isr, `${at}.partition_states.${p}.isr`)),
        partitionEpoch: int(s.partition_epoch, `${at}.partition_states.${p}.partition_epoch`, 0),
      }),
    );
  }
  const configs = new Map<string, string>();
  for (const [key, value] of Object.entries(obj(t.config, `${at}.config`))) {
    if (typeof value !== 'string') throw new CorruptError(`${at}.config.${key} is not a string`);
    configs.set(key, value);
  }
  return freezeTopic({ name, topicId, isInternal: isInternalTopic(name), partitions, configs });
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new CorruptError(`${what} is not valid JSON (${(err as Error).message})`);
  }
}

function obj(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CorruptError(`${at} is not a JSON object`);
  return value as Record<string, unknown>;
}

function int(value: unknown, at: string, min = -(2 ** 31)): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new CorruptError(`${at} is not an integer >= ${min}`);
  return value;
}

function ints(value: unknown, at: string): number[] {
  if (!Array.isArray(value)) throw new CorruptError(`${at} is not an array`);
  return value.map((v, i) => int(v, `${at}[${i}]`));
}

function uuid(value: unknown, at: string): string {
  if (typeof value !== 'string' || !isUuid(value) || value === ZERO_UUID)
    throw new CorruptError(`${at} is not a non-zero Kafka UUID`);
  return value;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
