// Samsa's tools beside Kafka 3.9.2's stock tools on the same broker: the same question must get the
// same text, byte for byte, where scripts parse it (issue 7). See README.md beside this file.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startBroker, type Broker } from '../harness/broker.js';
import { settle } from '../harness/records.js';
import { ok, runCommand, runTool, type ToolResult } from '../kafka-tools/tools.js';

const KAFKA = '3.9.2';

let broker: Broker;

beforeAll(async () => {
  broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
  const topics: [string, string[]][] = [
    ['parity-plain', ['--partitions', '3']],
    ['parity-configs', ['--partitions', '2', '--config', 'retention.ms=3600000', '--config', 'cleanup.policy=compact']],
  ];
  for (const [topic, args] of topics) await kafka('kafka-topics', [...bs(), '--create', '--topic', topic, ...args]);
  // A group with committed offsets and no members: records in, a consumer that commits and leaves.
  await kafka('kafka-console-producer', [...bs(), '--topic', 'parity-plain'], 'a\nb\nc\nd\ne\n');
  await kafka('kafka-console-consumer', [
    ...bs(),
    '--topic',
    'parity-plain',
    '--group',
    'parity-group',
    '--from-beginning',
    '--max-messages',
    '5',
    '--timeout-ms',
    '30000',
  ]);
}, 300_000);

afterAll(async () => {
  await broker?.stop();
});

function bs(): string[] {
  return ['--bootstrap-server', broker.bootstrap];
}

async function kafka(tool: string, args: string[], input?: string): Promise<ToolResult> {
  return ok(await runTool(KAFKA, tool, args, { input }), `${tool}.sh ${args.join(' ')}`);
}

/** `samsa <tool> args...` from the built dist/ (npm test builds before the compat project). */
async function samsa(tool: string, args: string[]): Promise<ToolResult> {
  return ok(
    await runCommand(process.execPath, [join(repoRoot, 'bin/samsa.js'), tool, ...args]),
    `samsa ${tool} ${args.join(' ')}`,
  );
}

/** Runs the stock tool and ours with the same arguments; their stdout must be identical. */
async function sameOutput(kafkaTool: string, samsaTool: string, args: string[]): Promise<string> {
  const [theirs, ours] = [await kafka(kafkaTool, args), await samsa(samsaTool, args)];
  expect(ours.stdout).toBe(theirs.stdout);
  return ours.stdout;
}

describe(`samsa tools print what Kafka ${KAFKA}'s tools print`, () => {
  it('topics --list', async () => {
    const out = await sameOutput('kafka-topics', 'topics', [...bs(), '--list']);
    expect(out).toContain('parity-plain\n');
  });

  it('topics --describe of one topic, with and without config overrides', async () => {
    for (const topic of ['parity-plain', 'parity-configs']) {
      const out = await sameOutput('kafka-topics', 'topics', [...bs(), '--describe', '--topic', topic]);
      expect(out).toMatch(new RegExp(`^Topic: ${topic}\\tTopicId: `));
    }
  });

  it('topics --describe of every topic, internal ones excluded and included', async () => {
    await sameOutput('kafka-topics', 'topics', [...bs(), '--describe']);
    await sameOutput('kafka-topics', 'topics', [...bs(), '--describe', '--exclude-internal']);
  });

  it('topics --describe with the partition filters', async () => {
    // A healthy single broker: nothing under-replicated or unavailable, every partition at min ISR 1.
    for (const filter of ['--under-replicated-partitions', '--unavailable-partitions']) {
      expect(await sameOutput('kafka-topics', 'topics', [...bs(), '--describe', filter])).toBe('');
    }
    const atMin = await sameOutput('kafka-topics', 'topics', [...bs(), '--describe', '--at-min-isr-partitions']);
    expect(atMin).toContain('\tTopic: parity-plain\tPartition: 2\tLeader: 1');
  });

  it('consumer-groups --list and --describe of a group without members', async () => {
    const list = await sameOutput('kafka-consumer-groups', 'consumer-groups', [...bs(), '--list']);
    expect(list).toContain('parity-group');
    const described = await sameOutput('kafka-consumer-groups', 'consumer-groups', [
      ...bs(),
      '--describe',
      '--group',
      'parity-group',
    ]);
    expect(described).toMatch(/CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG/);
  });

  it('consumer-groups --describe --offsets and --state', async () => {
    for (const extra of [['--offsets'], ['--state'], ['--members']]) {
      await sameOutput('kafka-consumer-groups', 'consumer-groups', [
        ...bs(),
        '--describe',
        '--group',
        'parity-group',
        ...extra,
      ]);
    }
  });

  it('consumer-groups --describe of a group with an active member', async () => {
    const member = spawn(
      join(repoRoot, 'compat-tests/kafka-tools/bin/kafka-console-consumer.sh'),
      [...bs(), '--topic', 'parity-plain', '--group', 'parity-active', '--from-beginning'],
      { env: { ...process.env, KAFKA_VERSION: KAFKA }, stdio: 'ignore' },
    );
    try {
      const args = [...bs(), '--describe', '--group', 'parity-active'];
      await settle(
        async () => (await kafka('kafka-consumer-groups', args)).stdout,
        // Stable output: all three partitions assigned, committed (auto-commit) and without lag.
        (out) => (out.match(/parity-plain\s+\d+\s+\d+\s+\d+\s+0\s+console-consumer-/g) ?? []).length === 3,
      );
      for (const extra of [[], ['--members', '--verbose'], ['--state']]) {
        await sameOutput('kafka-consumer-groups', 'consumer-groups', [...args, ...extra]);
      }
    } finally {
      member.kill('SIGKILL');
    }
  });

  it('configs --describe of a topic', async () => {
    await sameOutput('kafka-configs', 'configs', [
      ...bs(),
      '--describe',
      '--entity-type',
      'topics',
      '--entity-name',
      'parity-configs',
    ]);
  });
});
