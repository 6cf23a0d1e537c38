// Kafka's Java clients 3.9 and 4.1 (java/ClientsCheck.java, compiled at test time against the jars in
// .cache/kafka/<version>/libs) against a live broker. See README.md beside this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { TOOL_VERSIONS, compileClientsCheck, type ToolResult } from './tools.js';

let broker: Broker;

beforeAll(async () => {
  broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
});

afterAll(async () => {
  await broker?.stop();
});

describe.each(TOOL_VERSIONS)('Kafka %s Java clients', (version) => {
  const tag = version.replace(/\./g, '');
  let run: (args: string[], timeoutMs?: number) => Promise<ToolResult>;

  beforeAll(() => {
    run = compileClientsCheck(version);
  });

  const scenario = async (name: string, topic: string): Promise<string[]> => {
    const r = await run([name, broker.bootstrap, topic], 180_000);
    if (r.status !== 0) {
      throw new Error(
        `ClientsCheck ${name} exited ${r.status}\n${r.stdout}\n${r.stderr}\n--- broker\n${broker.tail(60)}`,
      );
    }
    return r.stdout.split('\n').filter((l) => l.startsWith('ok '));
  };

  it('producer with default settings (idempotent) sends 3000 records and an assigned consumer reads them back', async () => {
    const steps = await scenario('producer', `java-producer-${tag}`);
    expect(steps).toEqual([
      'ok create',
      'ok send 3000',
      expect.stringMatching(/^ok idempotent producer id \d+$/),
      'ok read back 3000',
    ]);
  });

  it('consumer group (classic protocol): two members share three partitions and commit to the end', async () => {
    const steps = await scenario('group', `java-group-${tag}`);
    expect(steps).toEqual([
      'ok produce 900',
      'ok two members consumed 900',
      'ok committed offsets at the end',
      'ok group empty after close',
    ]);
  });

  // KIP-848 (ConsumerGroupHeartbeat, API 68): the Java 4.1 consumer against a broker that has it on by
  // default (Kafka 4.1.2 when proving against Kafka; Kafka 3.9 keeps it off). The 3.9 client's
  // implementation was a preview: skipped.
  (version.startsWith('3.') ? it.skip : it)(
    'consumer group with group.protocol=consumer (KIP-848): two members share three partitions, commit, leave',
    async () => {
      const b848 = await startBroker({ overrides: { 'auto.create.topics.enable': false }, kafkaVersion: '4.1.2' });
      try {
        const r = await run(['group-consumer-protocol', b848.bootstrap, `java-group848-${tag}`], 180_000);
        if (r.status !== 0)
          throw new Error(`ClientsCheck exited ${r.status}\n${r.stdout}\n${r.stderr}\n--- broker\n${b848.tail(60)}`);
        expect(r.stdout.split('\n').filter((l) => l.startsWith('ok '))).toEqual([
          'ok produce 900',
          'ok two members consumed 900',
          'ok committed offsets at the end',
          'ok group empty after close',
        ]);
      } finally {
        await b848.stop();
      }
    },
  );

  it('AdminClient: cluster, topics, configs, partitions, offsets, records, group offsets, log dirs', async () => {
    const steps = await scenario('admin', `java-admin-${tag}`);
    expect(steps).toHaveLength(9);
    expect(steps.at(-1)).toBe('ok deleteTopics');
  });
});
