// Consumer groups through kafka-python (Debian's 2.0.2 and the venv's newest) and confluent-kafka-python
// (venv): two members of one group in threads over a 4-partition topic, every message counted once,
// the offsets committed. The members start together, so each may rebalance once while joining; the
// drivers commit synchronously after every poll, so a rebalance cannot re-deliver.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { DEBIAN_PYTHON, VENV_PYTHON, runDriver } from '../harness/python.js';
import type { KAdmin, KKafka } from '../kafkajs/driver.js';
import { GROUP_BROKER, createTopic, exactlyOnce, kafkaClient, produceNumbered, type KGroupAdmin } from './common.js';

const DRIVER = fileURLToPath(new URL('./groups_driver.py', import.meta.url));

interface Result {
  version: string;
  members: Array<{ values: string[]; partitions: number[] }>;
}

describe('consumer groups through the Python clients', () => {
  let broker: Broker;
  let kafka: KKafka;
  let admin: KAdmin;

  beforeAll(async () => {
    broker = await startBroker({ overrides: GROUP_BROKER });
    kafka = kafkaClient(broker.bootstrap, 'compat-groups-py');
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  const cases: Array<[string, string, string, Record<string, string>]> = [
    ['kafka-python 2.0.2 (Debian)', DEBIAN_PYTHON, 'kafka-python', {}],
    ['kafka-python (venv)', VENV_PYTHON, 'kafka-python', {}],
    ['confluent-kafka-python, range', VENV_PYTHON, 'confluent-kafka', { strategy: 'range' }],
    ['confluent-kafka-python, cooperative-sticky', VENV_PYTHON, 'confluent-kafka', { strategy: 'cooperative-sticky' }],
  ];
  for (const [name, python, client, extra] of cases) {
    it(`${name}: two members share the partitions, each message once, offsets committed`, async () => {
      const topic = `py-${name.replace(/[^a-z0-9]+/gi, '-')}`;
      const group = `g-${topic}`;
      await createTopic(admin, topic, 4);
      const expected = await produceNumbered(kafka, topic, 4, 25);
      const r = await runDriver<Result>(python, DRIVER, client, {
        bootstrap: broker.bootstrap,
        topic,
        group,
        members: 2,
        count: 100,
        ...extra,
      });
      console.log(`${name}: ${r.version}; partitions ${JSON.stringify(r.members.map((m) => m.partitions))}`);
      expect(
        exactlyOnce(
          expected,
          r.members.flatMap((m) => m.values),
        ),
      ).toEqual([]);
      const offsets = await (admin as unknown as KGroupAdmin).fetchOffsets({ groupId: group, topics: [topic] });
      expect(offsets[0]!.partitions.map((p) => p.offset)).toEqual(['25', '25', '25', '25']);
    });
  }
});
