import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../protocol/records/crc.js';
import { freezeTopic } from './topic-commands.js';
import { decodeMetadataFile, encodeMetadataFile, readMetadataFile, type MetadataSnapshot } from './metadata-file.js';
import { scratchDirs } from './test-support.js';

const scratch = scratchDirs();
const FILE = '/var/lib/samsa/samsa-metadata.json';

const snapshot: MetadataSnapshot = {
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
  brokerSequenceId: 3,
  topics: new Map([
    [
      'orders',
      freezeTopic({
        name: 'orders',
        topicId: 'AAAAAAAAAAAAAAAAAAAAAg',
        isInternal: false,
        partitions: [
          { partition: 0, replicas: [1, 2], leader: 1, leaderEpoch: 3, isr: [1, 2], partitionEpoch: 7 },
          { partition: 1, replicas: [2, 1], leader: -1, leaderEpoch: 0, isr: [], partitionEpoch: 0 },
        ],
        configs: new Map([['retention.ms', '1000']]),
      }),
    ],
  ]),
};

/** Re-checksum a hand-edited body so that only the schema check can catch it. */
function withBody(body: string): Buffer {
  const bytes = Buffer.from(body);
  const header = JSON.stringify({ format: 'samsa-metadata', version: 1, length: bytes.length, crc32c: crc32c(bytes) });
  return Buffer.from(`${header}\n${body}`);
}

function corruptMessage(data: Buffer): string {
  try {
    decodeMetadataFile(data, FILE);
  } catch (err) {
    expect(err).toMatchObject({ name: 'MetadataError', code: 'METADATA_CORRUPT' });
    const message = (err as Error).message;
    expect(message).toContain(`Metadata file ${FILE} is corrupt: `);
    return message.slice(`Metadata file ${FILE} is corrupt: `.length).split('. Samsa will not start')[0]!;
  }
  throw new Error('decoded without error');
}

describe('metadata file format', () => {
  it('round-trips a snapshot', () => {
    const text = encodeMetadataFile(snapshot);
    const decoded = decodeMetadataFile(Buffer.from(text), FILE);
    expect(decoded).toEqual(snapshot);
  });

  it('is a header line and a pretty JSON body in the documented layout', () => {
    const text = encodeMetadataFile(snapshot);
    const [header, ...rest] = text.split('\n');
    const body = rest.join('\n');
    expect(JSON.parse(header!)).toEqual({
      format: 'samsa-metadata',
      version: 1,
      length: Buffer.byteLength(body),
      crc32c: crc32c(Buffer.from(body)),
    });
    expect(JSON.parse(body)).toEqual({
      cluster_id: 'MkU3OEVBNTcwNTJENDM2Qg',
      broker_sequence_id: 3,
      topics: {
        orders: {
          topic_id: 'AAAAAAAAAAAAAAAAAAAAAg',
          partitions: { '0': [1, 2], '1': [2, 1] },
          partition_states: {
            '0': { leader: 1, leader_epoch: 3, isr: [1, 2], partition_epoch: 7 },
            '1': { leader: -1, leader_epoch: 0, isr: [], partition_epoch: 0 },
          },
          config: { 'retention.ms': '1000' },
        },
      },
    });
    expect(body.endsWith('}\n')).toBe(true);
  });

  it('reads a missing file as null', () => {
    expect(readMetadataFile(`${scratch()}/samsa-metadata.json`)).toBeNull();
  });

  it('detects truncation, bit flips and wrong headers', () => {
    const good = Buffer.from(encodeMetadataFile(snapshot));
    expect(corruptMessage(Buffer.alloc(0))).toBe('no header line (the file is empty or truncated)');
    expect(corruptMessage(good.subarray(0, 40))).toBe('no header line (the file is empty or truncated)');
    expect(corruptMessage(good.subarray(0, good.length - 1))).toMatch(/^body is \d+ bytes, the header says \d+$/);
    const flipped = Buffer.from(good);
    const at = flipped.indexOf('retention');
    flipped[at] = 'R'.charCodeAt(0);
    expect(corruptMessage(flipped)).toMatch(/^body checksum is 0x[0-9a-f]{8}, the header says 0x[0-9a-f]{8}$/);
    expect(corruptMessage(Buffer.from('garbage\n{}'))).toMatch(/^header is not valid JSON/);
    expect(corruptMessage(Buffer.from('{"format":"other"}\n{}'))).toBe(
      'header format is "other", not "samsa-metadata"',
    );
    expect(corruptMessage(Buffer.from('{"format":"samsa-metadata","version":2}\n{}'))).toBe(
      'header version 2 is not 1, the only one this Samsa reads',
    );
    expect(corruptMessage(withBody('{"cluster_id": '))).toMatch(/^body is not valid JSON/);
  });

  it('checks the schema of a body with a valid checksum', () => {
    const body = (topics: unknown, clusterId: unknown = 'MkU3OEVBNTcwNTJENDM2Qg') =>
      withBody(JSON.stringify({ cluster_id: clusterId, broker_sequence_id: 0, topics }));
    const topic = (over: object = {}) => ({
      topic_id: 'AAAAAAAAAAAAAAAAAAAAAg',
      partitions: { '0': [1] },
      partition_states: { '0': { leader: 1, leader_epoch: 0, isr: [1], partition_epoch: 0 } },
      config: {},
      ...over,
    });
    expect(decodeMetadataFile(body({ t: topic() }), FILE).topics.get('t')?.partitions).toHaveLength(1);
    expect(corruptMessage(body({}, 'AAAAAAAAAAAAAAAAAAAAAA'))).toBe('cluster_id is not a non-zero Kafka UUID');
    expect(corruptMessage(body([]))).toBe('topics is not a JSON object');
    expect(corruptMessage(body({ 'bad name': topic() }))).toBe('topic name "bad name" is not legal');
    expect(corruptMessage(body({ t: topic({ topic_id: 'nope' }) }))).toBe(
      'topics.t.topic_id is not a non-zero Kafka UUID',
    );
    expect(corruptMessage(body({ t: topic(), u: topic() }))).toBe('topic id AAAAAAAAAAAAAAAAAAAAAg is used twice');
    expect(corruptMessage(body({ t: topic({ partitions: {} }) }))).toBe('topics.t has no partitions');
    expect(corruptMessage(body({ t: topic({ partitions: { '1': [1] } }) }))).toBe(
      'topics.t.partitions.0 is not an array',
    );
    expect(corruptMessage(body({ t: topic({ partitions: { '0': [1, 1] } }) }))).toBe(
      'topics.t.partitions.0 must list distinct replicas',
    );
    expect(corruptMessage(body({ t: topic({ partition_states: {} }) }))).toBe(
      'topics.t.partition_states does not match partitions',
    );
    expect(
      corruptMessage(
        body({
          t: topic({ partition_states: { '0': { leader: 1, leader_epoch: -1, isr: [1], partition_epoch: 0 } } }),
        }),
      ),
    ).toBe('topics.t.partition_states.0.leader_epoch is not an integer >= 0');
    expect(corruptMessage(body({ t: topic({ config: { 'retention.ms': 5 } }) }))).toBe(
      'topics.t.config.retention.ms is not a string',
    );
  });

  it('reads through the file system and names the file on corruption', () => {
    const file = `${scratch()}/samsa-metadata.json`;
    fs.writeFileSync(file, encodeMetadataFile(snapshot));
    expect(readMetadataFile(file)).toEqual(snapshot);
    fs.writeFileSync(file, '');
    expect(() => readMetadataFile(file)).toThrow(`Metadata file ${file} is corrupt`);
  });
});
