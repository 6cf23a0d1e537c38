import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata } from '../../protocol/messages/03-metadata.js';
import { Produce } from '../../protocol/messages/00-produce.js';
import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { buildRecordBatch } from '../../protocol/records/record-batch-builder.js';
import { BrokerConfig } from '../config/broker-config.js';
import { KafkaServer } from '../kafka-server.js';
import { Logger } from '../logger.js';
import { RawClient } from './raw-client.js';

/**
 * A standalone broker in this process over real sockets and files in a fresh temp dir, with a raw
 * client connected, for handler tests. `restart` stops it cleanly and starts it again on the same
 * dirs; `stop` shuts it down and removes the dirs.
 */
export class TestBroker {
  private constructor(
    readonly dir: string,
    private readonly properties: string,
    public server: KafkaServer,
    public client: RawClient,
  ) {}

  static async start(extraProperties = ''): Promise<TestBroker> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-admin-'));
    const properties = `broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dir}\n${extraProperties}`;
    const server = await KafkaServer.start(BrokerConfig.parse(properties), new Logger('test'));
    return new TestBroker(dir, properties, server, await RawClient.open(server.boundPorts[0]!));
  }

  async restart(): Promise<void> {
    this.client.close();
    await this.server.shutdown();
    this.server = await KafkaServer.start(BrokerConfig.parse(this.properties), new Logger('test'));
    this.client = await RawClient.open(this.server.boundPorts[0]!);
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.server.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Creates a topic through CreateTopics v7 and fails the test unless it was created. */
  async createTopic(name: string, numPartitions = 1, configs: Record<string, string> = {}): Promise<string> {
    const r = await this.client.request<{
      topics: { errorCode: number; errorMessage: string | null; topicId: string }[];
    }>(CreateTopics, 7, {
      topics: [
        {
          name,
          numPartitions,
          replicationFactor: 1,
          assignments: [],
          configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })),
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const t = r.topics[0]!;
    if (t.errorCode !== 0) throw new Error(`creating ${name}: error ${t.errorCode} ${t.errorMessage}`);
    return t.topicId;
  }

  /** Produces `count` records to one partition with Produce v9; returns the partition's error code and base offset. */
  async produce(
    topic: string,
    partition: number,
    count: number,
    valueBytes = 2,
  ): Promise<{ errorCode: number; baseOffset: number }> {
    const records = buildRecordBatch(
      Array.from({ length: count }, (_, i) => ({
        timestamp: Date.now(),
        key: Buffer.from(`k${i}`),
        value: Buffer.alloc(valueBytes, 'v'),
      })),
    );
    const r = await this.client.request<{
      responses: { partitionResponses: { errorCode: number; baseOffset: number }[] }[];
    }>(Produce, 9, {
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
    });
    return r.responses[0]!.partitionResponses[0]!;
  }

  async metadata(topics: string[]): Promise<{ topics: { name: string; errorCode: number; partitions: unknown[] }[] }> {
    return this.client.request(Metadata, 12, {
      topics: topics.map((name) => ({ name, topicId: ZERO_UUID })),
      allowAutoTopicCreation: false,
    });
  }
}
