import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleConsumer } from './console-consumer.js';
import { consoleProducer } from './console-producer.js';
import { consumerGroups } from './consumer-groups.js';
import { TestBroker, runTool } from './testing/tool-harness.js';
import { topics } from './topics.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await TestBroker.start();
  const b = ['--bootstrap-server', broker.bootstrap];
  await runTool(topics, [...b, '--create', '--topic', 'events', '--partitions', '2']);
  await runTool(
    consoleProducer,
    [...b, '--topic', 'events', '--property', 'parse.key=true', '--property', 'key.separator=:'],
    {
      stdin: 'a:1\nb:2\nc:3\nd:4\ne:5\nf:6\n',
    },
  );
  // The group reads 4 of the 6 records, commits and leaves.
  await runTool(consoleConsumer, [
    ...b,
    '--topic',
    'events',
    '--group',
    'billing',
    '--from-beginning',
    '--max-messages',
    '4',
    '--timeout-ms',
    '3000',
  ]);
});
afterAll(async () => {
  await broker.stop();
});

const run = (...args: string[]) => runTool(consumerGroups, ['--bootstrap-server', broker.bootstrap, ...args]);
const HEADER =
  'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID';

describe('samsa consumer-groups', () => {
  it('lists groups', async () => {
    expect((await run('--list')).out.split('\n')).toContain('billing');
  });

  it("describes offsets and lag in Kafka's columns", async () => {
    const r = await run('--describe', '--group', 'billing');
    expect(r.code).toBe(0);
    expect(r.err).toBe("\nConsumer group 'billing' has no active members.\n");
    // As Kafka's tool: each row starts with its newline, so the table does not end with one.
    expect(r.out.endsWith('\n')).toBe(false);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe(HEADER);
    const rows = lines.slice(2).map((l) => l.split(/ +/));
    expect(rows.map((c) => c.slice(0, 3))).toEqual([
      ['billing', 'events', '0'],
      ['billing', 'events', '1'],
    ]);
    const lag = rows.reduce((n, c) => n + Number(c[5]), 0);
    expect(lag).toBe(2);
    expect(rows.every((c) => c[6] === '-' && c[7] === '-' && c[8] === '-')).toBe(true);
  });

  it('describes state and members', async () => {
    const state = await run('--describe', '--group', 'billing', '--state');
    expect(state.out).toMatch(
      /^\nGROUP {21}COORDINATOR \(ID\) {10}ASSIGNMENT-STRATEGY {2}STATE {11}#MEMBERS\nbilling {19}127\.0\.0\.1:\d+ {2}\(0\)\s+Empty {11}0\n$/,
    );
    const members = await run('--describe', '--group', 'billing', '--members');
    expect(members.out).toBe('\nGROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     \n');
  });

  it('plans a reset with --dry-run and applies it with --execute', async () => {
    const dry = await run('--reset-offsets', '--group', 'billing', '--topic', 'events', '--to-earliest', '--dry-run');
    expect(dry.out).toBe(
      `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n` +
        [0, 1]
          .map((p) => `${'billing'.padEnd(30)} ${'events'.padEnd(30)} ${String(p).padEnd(10)} ${'0'.padEnd(15)}\n`)
          .join(''),
    );
    await run('--reset-offsets', '--group', 'billing', '--topic', 'events:0', '--to-offset', '0', '--execute');
    await run('--reset-offsets', '--group', 'billing', '--topic', 'events:1', '--to-latest', '--execute');
    await run('--reset-offsets', '--group', 'billing', '--topic', 'events:1', '--shift-by', '-1', '--execute');
    await run(
      '--reset-offsets',
      '--group',
      'billing',
      '--all-topics',
      '--to-datetime',
      '2000-01-01T00:00:00.000',
      '--dry-run',
    );
    const after = (await run('--describe', '--group', 'billing')).out
      .split('\n')
      .slice(2)
      .map((l) => l.split(/ +/));
    expect(after[0]![3]).toBe('0');
    expect(Number(after[1]![4]) - Number(after[1]![3])).toBe(1);
  });

  it('refuses to reset an active group', async () => {
    const abort = new AbortController();
    const member = runTool(
      consoleConsumer,
      ['--bootstrap-server', broker.bootstrap, '--topic', 'events', '--group', 'live'],
      { abort: abort.signal },
    );
    await new Promise((r) => setTimeout(r, 1500));
    const r = await run('--reset-offsets', '--group', 'live', '--topic', 'events', '--to-earliest', '--execute');
    const d = await run('--describe', '--group', 'live');
    abort.abort();
    await member;
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "samsa consumer-groups: Assignments can only be reset if the group 'live' is inactive, but the current state is Stable.\n",
    );
    expect(d.out).toMatch(/live +events +0 +\S+ +\S+ +\S+ +console-consumer-\S+ +\/?127\.0\.0\.1 +console-consumer\n/);
  });

  it('deletes a group, and fails on an unknown one', async () => {
    const r = await run('--delete', '--group', 'billing');
    expect(r).toMatchObject({ code: 0, out: "Deletion of requested consumer groups ('billing') was successful.\n" });
    const again = await run('--describe', '--group', 'billing');
    expect(again).toMatchObject({ code: 1, err: "samsa consumer-groups: Consumer group 'billing' does not exist.\n" });
    const del = await run('--delete', '--group', 'billing');
    expect(del.code).toBe(1);
    expect(del.err).toContain("Group 'billing' could not be deleted due to: GROUP_ID_NOT_FOUND");
  });

  it.each([
    [['--describe'], '--describe needs --group or --all-groups'],
    [['--list', '--describe'], 'exactly one action'],
    [['--reset-offsets', '--group', 'g', '--topic', 't'], 'needs exactly one of --to-offset'],
    [['--reset-offsets', '--group', 'g', '--to-earliest'], 'one of the reset scopes should be defined'],
    [
      ['--reset-offsets', '--group', 'g', '--all-topics', '--to-datetime', 'soon', '--dry-run'],
      'Error parsing timestamp "soon"',
    ],
  ])('rejects %j', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });
});
