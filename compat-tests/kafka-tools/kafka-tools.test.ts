// The console scripts of Kafka 3.9 and 4.1 (bin/, stock main classes from Maven's jars) against a live
// broker with --bootstrap-server. See README.md beside this file.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../harness/broker.js';
import { settle } from '../harness/records.js';
import { TOOL_VERSIONS, ok, problems, runTool, type ToolResult } from './tools.js';

/**
 * The rows of a `kafka-consumer-groups.sh --describe` or `--reset-offsets` table, by column name. Read
 * as tokens after the GROUP header, since Kafka 3.9 prints the reset table without line breaks.
 * Every cell is one token (the tools print "-" for an empty one).
 */
function table(stdout: string): Record<string, string>[] {
  const at = stdout.search(/^\s*GROUP\s/m);
  if (at < 0) return [];
  const tokens = stdout.slice(at).trim().split(/\s+/);
  const first = tokens.findIndex((t, i) => i > 0 && !/^[A-Z][A-Z-]*$/.test(t));
  const cols = tokens.slice(0, first < 0 ? tokens.length : first);
  const rows: Record<string, string>[] = [];
  for (let i = cols.length; i + cols.length <= tokens.length; i += cols.length) {
    rows.push(Object.fromEntries(cols.map((c, j) => [c, tokens[i + j] ?? ''])));
  }
  return rows;
}

let broker: Broker;
let scratch: string;

beforeAll(async () => {
  broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
  scratch = mkdtempSync(join(tmpdir(), 'samsa-kafka-tools-'));
});

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await broker?.stop();
});

describe.each(TOOL_VERSIONS)('Kafka %s tools', (version) => {
  const tag = version.replace(/\./g, '');
  const bs = (): string[] => ['--bootstrap-server', broker.bootstrap];
  const tool = async (name: string, args: string[], input?: string): Promise<ToolResult> => {
    const r = await runTool(version, name, args, { input });
    if (r.status !== 0) console.error(`--- broker output\n${broker.tail(60)}`);
    return ok(r, `${name}.sh ${args.join(' ')}`);
  };
  const topicsList = async (): Promise<string[]> =>
    (await tool('kafka-topics', [...bs(), '--list'])).stdout.split('\n').filter((l) => l !== '');
  const endOffsets = async (topic: string, time = '-1'): Promise<string[]> =>
    (await tool('kafka-get-offsets', [...bs(), '--topic', topic, '--time', time])).stdout
      .split('\n')
      .filter((l) => l !== '');

  describe('kafka-topics.sh', () => {
    const topic = `topics-${tag}`;

    it('creates, lists, describes, alters and deletes a topic', async () => {
      const created = await tool('kafka-topics', [
        ...bs(),
        '--create',
        '--topic',
        topic,
        '--partitions',
        '3',
        '--replication-factor',
        '1',
        '--config',
        'retention.ms=3600000',
      ]);
      expect(created.stdout).toContain(`Created topic ${topic}.`);
      expect(await topicsList()).toContain(topic);

      const dup = await runTool(version, 'kafka-topics', [...bs(), '--create', '--topic', topic, '--partitions', '1']);
      expect(dup.status).not.toBe(0);
      expect(dup.stdout + dup.stderr).toMatch(/TopicExistsException|already exists/);

      const described = (await tool('kafka-topics', [...bs(), '--describe', '--topic', topic])).stdout;
      expect(described).toMatch(
        new RegExp(`Topic: ${topic}\\s+TopicId: \\S+\\s+PartitionCount: 3\\s+ReplicationFactor: 1`),
      );
      expect(described).toContain('retention.ms=3600000');
      for (let p = 0; p < 3; p++) {
        expect(described).toMatch(
          new RegExp(
            `Partition: ${p}\\s+Leader: ${broker.brokerId}\\s+Replicas: ${broker.brokerId}\\s+Isr: ${broker.brokerId}`,
          ),
        );
      }

      await tool('kafka-topics', [...bs(), '--alter', '--topic', topic, '--partitions', '5']);
      const altered = (await tool('kafka-topics', [...bs(), '--describe', '--topic', topic])).stdout;
      expect(altered).toMatch(/PartitionCount: 5/);
      expect(altered).toMatch(/Partition: 4\s+Leader: /);

      const shrink = await runTool(version, 'kafka-topics', [
        ...bs(),
        '--alter',
        '--topic',
        topic,
        '--partitions',
        '2',
      ]);
      expect(shrink.status).not.toBe(0);
      expect(shrink.stdout + shrink.stderr).toMatch(/InvalidPartitionsException/);

      await tool('kafka-topics', [...bs(), '--delete', '--topic', topic]);
      await settle(topicsList, (ts) => !ts.includes(topic));
      expect(await topicsList()).not.toContain(topic);
    });
  });

  describe('console producer, console consumer and kafka-consumer-groups.sh', () => {
    const topic = `console-${tag}`;
    const group = `console-group-${tag}`;
    let between = 0;

    const describeGroup = async (): Promise<Record<string, string>[]> =>
      table((await tool('kafka-consumer-groups', [...bs(), '--describe', '--group', group])).stdout);
    const reset = async (how: string[], execute: boolean): Promise<Record<string, string>[]> =>
      table(
        (
          await tool('kafka-consumer-groups', [
            ...bs(),
            '--reset-offsets',
            '--group',
            group,
            '--topic',
            topic,
            ...how,
            ...(execute ? ['--execute'] : ['--dry-run']),
          ])
        ).stdout,
      );
    const committed = async (): Promise<string> => (await describeGroup())[0]?.['CURRENT-OFFSET'] ?? '';

    beforeAll(async () => {
      await tool('kafka-topics', [...bs(), '--create', '--topic', topic, '--partitions', '1']);
      await settle(
        () => endOffsets(topic),
        (l) => l.length === 1,
      );
    });

    it('produces keyed lines with headers and consumes them with --group', async () => {
      const lines = Array.from({ length: 20 }, (_, i) => `h:${i}\tk${i}:line ${i} ünïcode`);
      await tool(
        'kafka-console-producer',
        [
          ...bs(),
          '--topic',
          topic,
          '--property',
          'parse.key=true',
          '--property',
          'key.separator=:',
          '--property',
          'parse.headers=true',
        ],
        lines.join('\n') + '\n',
      );
      expect(await endOffsets(topic)).toEqual([`${topic}:0:20`]);
      const consumed = await tool('kafka-console-consumer', [
        ...bs(),
        '--topic',
        topic,
        '--group',
        group,
        '--from-beginning',
        '--max-messages',
        '20',
        '--property',
        'print.key=true',
        '--property',
        'print.headers=true',
        '--property',
        'key.separator=|',
        '--timeout-ms',
        '60000',
      ]);
      expect(consumed.stdout.split('\n').filter((l) => l !== '')).toEqual(
        Array.from({ length: 20 }, (_, i) => `h:${i}|k${i}|line ${i} ünïcode`),
      );
      expect(consumed.stderr).toMatch(/Processed a total of 20 messages/);
      // The group committed on close: a second run of the same group gets nothing new.
      const again = await runTool(version, 'kafka-console-consumer', [
        ...bs(),
        '--topic',
        topic,
        '--group',
        group,
        '--timeout-ms',
        '3000',
      ]);
      expect(again.stdout).toBe('');
      expect(again.stderr).toMatch(/Processed a total of 0 messages/);
    });

    it('lists the group and describes its lag', async () => {
      const listed = (await tool('kafka-consumer-groups', [...bs(), '--list'])).stdout.split('\n');
      expect(listed).toContain(group);
      between = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      await tool('kafka-console-producer', [...bs(), '--topic', topic], 'a\nb\nc\nd\ne\n');
      const rows = await describeGroup();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        GROUP: group,
        TOPIC: topic,
        PARTITION: '0',
        'CURRENT-OFFSET': '20',
        'LOG-END-OFFSET': '25',
        LAG: '5',
      });
      const state = await tool('kafka-consumer-groups', [...bs(), '--describe', '--group', group, '--state']);
      expect(state.stdout).toMatch(/Empty/);
    });

    it('resets offsets to earliest, latest, a datetime and by a shift (dry run, then execute)', async () => {
      const cases: { how: string[]; want: string }[] = [
        { how: ['--to-earliest'], want: '0' },
        { how: ['--to-latest'], want: '25' },
        { how: ['--to-datetime', new Date(between).toISOString().replace(/Z$/, '+00:00')], want: '20' },
        { how: ['--shift-by', '-3'], want: '17' },
        { how: ['--to-datetime', '2000-01-01T00:00:00.000+00:00'], want: '0' },
        { how: ['--shift-by', '100'], want: '25' },
      ];
      for (const c of cases) {
        const before = await committed();
        const dry = await reset(c.how, false);
        expect(dry, `dry run ${c.how.join(' ')}`).toEqual([
          expect.objectContaining({ GROUP: group, TOPIC: topic, PARTITION: '0', 'NEW-OFFSET': c.want }),
        ]);
        expect(await committed(), `dry run ${c.how.join(' ')} changes nothing`).toBe(before);
        const done = await reset(c.how, true);
        expect(done, `execute ${c.how.join(' ')}`).toEqual([expect.objectContaining({ 'NEW-OFFSET': c.want })]);
        expect(await committed(), `execute ${c.how.join(' ')}`).toBe(c.want);
      }
    });

    it('deletes the group', async () => {
      const del = await tool('kafka-consumer-groups', [...bs(), '--delete', '--group', group]);
      expect(del.stdout).toMatch(new RegExp(`Deletion of requested consumer groups \\('${group}'\\) was successful`));
      const listed = (await tool('kafka-consumer-groups', [...bs(), '--list'])).stdout.split('\n');
      expect(listed).not.toContain(group);
    });
  });

  describe('kafka-configs.sh', () => {
    const topic = `configs-${tag}`;
    const topicArgs = (): string[] => [...bs(), '--entity-type', 'topics', '--entity-name', topic];

    it('describes and alters topic configs', async () => {
      await tool('kafka-topics', [...bs(), '--create', '--topic', topic, '--partitions', '1']);
      const none = (await tool('kafka-configs', [...topicArgs(), '--describe'])).stdout;
      expect(none).toContain(`Dynamic configs for topic ${topic} are:`);
      await tool('kafka-configs', [
        ...topicArgs(),
        '--alter',
        '--add-config',
        'retention.ms=86400000,cleanup.policy=[compact,delete]',
      ]);
      const set = (await tool('kafka-configs', [...topicArgs(), '--describe'])).stdout;
      expect(set).toMatch(
        /retention\.ms=86400000 sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:retention\.ms=86400000/,
      );
      expect(set).toMatch(/cleanup\.policy=compact,delete/);
      await tool('kafka-configs', [...topicArgs(), '--alter', '--delete-config', 'retention.ms']);
      const after = (await tool('kafka-configs', [...topicArgs(), '--describe'])).stdout;
      expect(after).not.toContain('retention.ms=');
      expect(after).toContain('cleanup.policy=');
      const all = (await tool('kafka-configs', [...topicArgs(), '--describe', '--all'])).stdout;
      // Kafka 3.9 reports no synonyms for retention.ms with --all (checked against Kafka).
      expect(all).toMatch(/retention\.ms=604800000 sensitive=false synonyms=\{\}/);
      expect(all).toMatch(/max\.message\.bytes=1048588/);
      const bad = await runTool(version, 'kafka-configs', [
        ...topicArgs(),
        '--alter',
        '--add-config',
        'retention.ms=abc',
      ]);
      expect(bad.status).not.toBe(0);
      expect(bad.stdout + bad.stderr).toMatch(/InvalidConfigurationException|Invalid value abc/);
    });

    it('describes broker configs', async () => {
      const out = (
        await tool('kafka-configs', [
          ...bs(),
          '--entity-type',
          'brokers',
          '--entity-name',
          String(broker.brokerId),
          '--describe',
          '--all',
        ])
      ).stdout;
      expect(out).toContain(`All configs for broker ${broker.brokerId} are:`);
      expect(out).toMatch(
        /auto\.create\.topics\.enable=false sensitive=false synonyms=\{STATIC_BROKER_CONFIG:auto\.create\.topics\.enable=false/,
      );
      expect(out).toMatch(/num\.partitions=1 /);
    });
  });

  describe('kafka-get-offsets.sh and kafka-delete-records.sh', () => {
    const topic = `offsets-${tag}`;

    it('reads end, earliest and max-timestamp offsets, deletes records and reads the new start', async () => {
      await tool('kafka-topics', [...bs(), '--create', '--topic', topic, '--partitions', '2']);
      await settle(
        () => endOffsets(topic),
        (l) => l.length === 2,
      );
      await tool(
        'kafka-console-producer',
        [...bs(), '--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=:'],
        Array.from({ length: 30 }, (_, i) => `${i}:v${i}`).join('\n') + '\n',
      );
      const ends = await endOffsets(topic);
      const total = ends.reduce((n, l) => n + Number(l.split(':')[2]), 0);
      expect(total).toBe(30);
      expect(await endOffsets(topic, '-2')).toEqual([`${topic}:0:0`, `${topic}:1:0`]);
      const p0 = Number(ends[0]?.split(':')[2]);
      expect(p0).toBeGreaterThan(3);
      // max-timestamp (-3, KIP-734): the offset of a record with the partition's largest timestamp (the
      // console producer gives many records the same millisecond, so which one is not fixed here). Asked
      // before DeleteRecords: Kafka, like Samsa, may then still answer an offset below the new start.
      const maxTs = (await endOffsets(topic, '-3')).map((l) => Number(l.split(':')[2]));
      expect(maxTs[0]).toBeGreaterThanOrEqual(0);
      expect(maxTs[0]).toBeLessThan(p0);
      expect(maxTs[1]).toBeGreaterThanOrEqual(0);
      expect(maxTs[1]).toBeLessThan(30 - p0);
      const json = join(scratch, `delete-${tag}.json`);
      writeFileSync(json, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, offset: 3 }] }));
      const del = await tool('kafka-delete-records', [...bs(), '--offset-json-file', json]);
      expect(del.stdout).toMatch(new RegExp(`partition: ${topic}-0\\s+low_watermark: 3`));
      expect(await endOffsets(topic, '-2')).toEqual([`${topic}:0:3`, `${topic}:1:0`]);
      // Past the end: OffsetOutOfRange, reported per partition.
      writeFileSync(json, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, offset: p0 + 10 }] }));
      const past = await runTool(version, 'kafka-delete-records', [...bs(), '--offset-json-file', json]);
      expect(past.stdout + past.stderr).toMatch(/OffsetOutOfRangeException/);
    });
  });

  describe('kafka-dump-log.sh', () => {
    const topic = `dump-${tag}`;

    it("prints every record of the broker's own segment files", async () => {
      await tool('kafka-topics', [...bs(), '--create', '--topic', topic, '--partitions', '1']);
      await settle(
        () => endOffsets(topic),
        (l) => l.length === 1,
      );
      await tool(
        'kafka-console-producer',
        // --compression-codec: Kafka 3.9's ConsoleProducer overrides a compression.type producer property.
        [...bs(), '--topic', topic, '--compression-codec', 'gzip', '--producer-property', 'linger.ms=20'],
        Array.from({ length: 50 }, (_, i) => `dump ${i}`).join('\n') + '\n',
      );
      const dir = join(broker.logDir, 'data', `${topic}-0`);
      await settle(
        async () => existsSync(dir),
        (x) => x,
      );
      const files = readdirSync(dir)
        .filter((n) => /^\d{20}\.(log|index|timeindex)$/.test(n))
        .map((n) => join(dir, n));
      const log = files.filter((f) => f.endsWith('.log'));
      expect(log.length).toBeGreaterThan(0);
      const dump = await tool('kafka-dump-log', ['--print-data-log', '--deep-iteration', '--files', log.join(',')]);
      expect(problems(dump.stderr)).toEqual([]);
      expect(dump.stdout.match(/^\| offset: /gm)?.length).toBe(50);
      expect(dump.stdout).toContain('compresscodec: gzip');
      expect(dump.stdout).toContain('payload: dump 49');
      expect(dump.stdout).not.toContain('isvalid: false');
      const verify = await tool('kafka-dump-log', ['--verify-index-only', '--files', files.join(',')]);
      expect(problems(verify.stderr)).toEqual([]);
      expect(verify.stdout).not.toMatch(/Mismatches|not found/);
    });
  });

  describe('perf tests', () => {
    const topic = `perf-${tag}`;
    const n = 50_000;

    it(`kafka-producer-perf-test.sh sends ${n} records without errors`, async () => {
      await tool('kafka-topics', [...bs(), '--create', '--topic', topic, '--partitions', '3']);
      await settle(
        () => endOffsets(topic),
        (l) => l.length === 3,
      );
      const r = await tool('kafka-producer-perf-test', [
        '--topic',
        topic,
        '--num-records',
        String(n),
        '--record-size',
        '200',
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${broker.bootstrap}`,
        'acks=all',
        'compression.type=lz4',
      ]);
      expect(problems(r.stderr)).toEqual([]);
      expect(r.stdout).toMatch(new RegExp(`${n} records sent`));
      const total = (await endOffsets(topic)).reduce((s, l) => s + Number(l.split(':')[2]), 0);
      expect(total).toBe(n);
    });

    it(`kafka-consumer-perf-test.sh reads ${n} records without errors`, async () => {
      const r = await tool('kafka-consumer-perf-test', [
        ...bs(),
        '--topic',
        topic,
        '--messages',
        String(n),
        '--timeout',
        '60000',
        '--group',
        `perf-group-${tag}`,
      ]);
      expect(problems(r.stderr)).toEqual([]);
      const [head, row] = r.stdout.trim().split('\n');
      expect(head).toMatch(/^start\.time, end\.time, data\.consumed\.in\.MB/);
      const cols = (row ?? '').split(',').map((s) => s.trim());
      expect(Number(cols[4])).toBe(n); // data.consumed.in.nMsg
    });
  });
});
