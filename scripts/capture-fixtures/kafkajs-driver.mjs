// Drives kafkajs (installed by run.sh into .cache/capture-node, not a project dependency) through the
// recording proxy: admin topic and config calls, ACLs, a gzip producer, an idempotent and a
// transactional producer, a consumer group that commits, group and offset admin, DeleteRecords,
// CreatePartitions, partition reassignment listing, and clean-up. Every call that a single-node Kafka
// may refuse is still made (its error response is a fixture too) and the refusal is only logged.
//
//   CAPTURE_NODE_MODULES=.cache/capture-node/node_modules node kafkajs-driver.mjs 127.0.0.1:19192
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(`${resolve(process.env.CAPTURE_NODE_MODULES ?? '.')}/`);
const {
  Kafka,
  CompressionTypes,
  logLevel,
  AclResourceTypes,
  AclOperationTypes,
  AclPermissionTypes,
} = require('kafkajs');
const { ResourcePatternTypes, ConfigResourceTypes } = require('kafkajs');

const broker = process.argv[2] ?? '127.0.0.1:19192';
// Generous retries: the first transactional and group calls on a new broker wait for its internal
// topics (__transaction_state, __consumer_offsets) to be created and loaded.
const kafka = new Kafka({
  clientId: 'samsa-golden-kafkajs',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 },
});
const topic = 'kjs-events';
const other = 'kjs-other';
const group = 'kjs-group';

async function attempt(what, fn) {
  try {
    return await fn();
  } catch (err) {
    console.error(`kafkajs-driver: ${what} failed: ${err.message}`);
    return undefined;
  }
}

const admin = kafka.admin();
await admin.connect();
const leftovers = (await admin.listTopics()).filter((t) => t === topic || t === other);
if (leftovers.length > 0) await admin.deleteTopics({ topics: leftovers, timeout: 10000 });
await admin.createTopics({
  waitForLeaders: true,
  topics: [
    { topic, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
    { topic: other, numPartitions: 1, replicationFactor: 1 },
  ],
});
await attempt('createTopics (exists)', () => admin.createTopics({ topics: [{ topic: other }] }));
await admin.listTopics();
await admin.fetchTopicMetadata({ topics: [topic, other] });
await admin.describeCluster();
await admin.describeConfigs({
  includeSynonyms: true,
  resources: [
    { type: ConfigResourceTypes.TOPIC, name: topic },
    { type: ConfigResourceTypes.BROKER, name: '1', configNames: ['log.retention.hours', 'num.partitions'] },
  ],
});
await admin.alterConfigs({
  validateOnly: false,
  resources: [
    { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] },
  ],
});
await admin.createPartitions({ topicPartitions: [{ topic: other, count: 2 }] });
await attempt('createAcls', () =>
  admin.createAcls({
    acl: [
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: topic,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: 'User:golden',
        host: '*',
        operation: AclOperationTypes.READ,
        permissionType: AclPermissionTypes.ALLOW,
      },
    ],
  }),
);
await attempt('describeAcls', () =>
  admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  }),
);
await attempt('deleteAcls', () =>
  admin.deleteAcls({
    filters: [
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: topic,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: 'User:golden',
        host: '*',
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      },
    ],
  }),
);

// Plain producer: gzip and uncompressed batches, keys, headers, several partitions.
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
for (const compression of [CompressionTypes.GZIP, CompressionTypes.None]) {
  await producer.send({
    topic,
    compression,
    messages: Array.from({ length: 5 }, (_, i) => ({
      key: `k${i}`,
      value: `value ${i} ${'x'.repeat(i * 10)}`,
      headers: i % 2 ? { trace: `t${i}` } : undefined,
      partition: i % 2,
    })),
  });
}
await producer.sendBatch({
  acks: 1,
  topicMessages: [
    { topic, messages: [{ value: 'acks=1' }] },
    { topic: other, messages: [{ key: null, value: 'other topic' }] },
  ],
});
await producer.send({ topic, acks: 0, messages: [{ value: 'acks=0' }] });
await producer.disconnect();

// Idempotent producer (InitProducerId) and a transaction with an offset commit in it.
const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await idempotent.connect();
await idempotent.send({ topic, messages: [{ key: 'idem', value: 'idempotent' }] });
await idempotent.disconnect();

// Consumer group: join, sync, fetch, commit, heartbeat, leave.
const consumer = kafka.consumer({ groupId: group, heartbeatInterval: 500, maxBytes: 16384, maxWaitTimeInMs: 200 });
await consumer.connect();
await consumer.subscribe({ topics: [topic, other], fromBeginning: true });
let seen = 0;
await new Promise((resolve, reject) => {
  consumer
    .run({
      autoCommitThreshold: 3,
      eachMessage: async () => {
        seen++;
        if (seen === 12) resolve();
      },
    })
    .catch(reject);
});
await consumer.commitOffsets([{ topic: other, partition: 0, offset: '1' }]);
await consumer.disconnect();

// After the consumer group, so that __consumer_offsets exists when TxnOffsetCommit needs it.
const transactional = kafka.producer({ transactionalId: 'kjs-txn', maxInFlightRequests: 1, idempotent: true });
await attempt('transaction', async () => {
  await transactional.connect();
  const txn = await transactional.transaction();
  await txn.send({ topic, messages: [{ key: 'txn', value: 'in a transaction' }] });
  await txn.sendOffsets({
    consumerGroupId: 'kjs-txn-group',
    topics: [{ topic: other, partitions: [{ partition: 0, offset: '1' }] }],
  });
  await txn.commit();
  const aborted = await transactional.transaction();
  await aborted.send({ topic, messages: [{ value: 'aborted' }] });
  await aborted.abort();
});
await attempt('transactional disconnect', () => transactional.disconnect());

await admin.fetchOffsets({ groupId: group, topics: [topic, other] });
await admin.fetchTopicOffsets(topic);
await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000);
await admin.listGroups();
await admin.describeGroups([group, 'kjs-no-such-group']);
await admin.resetOffsets({ groupId: group, topic, earliest: true });
await admin.setOffsets({ groupId: group, topic: other, partitions: [{ partition: 0, offset: '0' }] });
await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
await attempt('listPartitionReassignments', () =>
  admin.listPartitionReassignments({ topics: [{ topic, partitions: [0, 1] }] }),
);
await attempt('alterPartitionReassignments', () =>
  admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [1] }] }] }),
);
await attempt('deleteGroups', () => admin.deleteGroups([group, 'kjs-txn-group']));
await admin.deleteTopics({ topics: [topic, other], timeout: 10000 });
await admin.disconnect();
console.error(`kafkajs-driver: done (${seen} messages consumed)`);
