// A kafkajs group member in its own process, for the SIGKILL test: `node --import tsx member-child.ts
// <json {bootstrap, groupId, topic}>`. Prints "joined" once, then one line per message ("m <value>")
// before committing that message's next offset, so a kill can only cause a re-delivery, never a loss.
import { kafkaClient } from './common.js';
import { startMember } from './member.js';

const { bootstrap, groupId, topic } = JSON.parse(process.argv[2] ?? '{}') as {
  bootstrap: string;
  groupId: string;
  topic: string;
};
const kafka = kafkaClient(bootstrap, 'compat-groups-child');
await startMember(kafka, groupId, topic, {
  autoCommit: false,
  onMessage: async (m, member) => {
    process.stdout.write(`m ${m.message.value?.toString() ?? ''}\n`);
    await member.consumer.commitOffsets([
      { topic: m.topic, partition: m.partition, offset: String(Number(m.message.offset) + 1) },
    ]);
  },
});
process.stdout.write('joined\n');
