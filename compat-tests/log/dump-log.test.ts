// Segment files both ways between Samsa and Apache Kafka 3.9.2 (see README.md beside this file):
// Kafka's DumpLogSegments reads what our PartitionLog writes, and `samsa dump-log` reads what Kafka's
// broker writes, with output identical to DumpLogSegments's on the same files.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DumpLog, parseDumpLogArgs } from '../../src/cli/dump-log.js';
import { PartitionLog } from '../../src/log/partition-log.js';
import { logConfig } from '../../src/log/log-config.js';
import { CompressionType, buildRecordBatch, type SimpleRecord } from '../../src/protocol/records/index.js';
import { KAFKA_VERSION, freePort, repoRoot } from '../harness/broker.js';

let libs = '';
let log4j = '';

function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => /^\d{20}\.(log|index|timeindex)$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

function kafkaDump(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    'java',
    [`-Dlog4j.configuration=file:${log4j}`, '-cp', `${libs}/*`, 'kafka.tools.DumpLogSegments', ...args],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function samsaDump(args: string[]): { stdout: string; stderr: string; status: number } {
  const opts = parseDumpLogArgs(args);
  if (opts === 'help') throw new Error('unexpected help');
  const out: string[] = [];
  const err: string[] = [];
  const status = new DumpLog(opts, { out: (t) => out.push(`${t}\n`), err: (t) => err.push(`${t}\n`) }).run();
  return { stdout: out.join(''), stderr: err.join(''), status };
}

beforeAll(() => {
  libs = execFileSync('bash', [path.join(repoRoot, 'scripts/kafka-dist.sh'), KAFKA_VERSION], {
    encoding: 'utf8',
  }).trim();
  log4j = path.join(path.dirname(libs), 'log4j.properties');
});

describe("Kafka's DumpLogSegments reads segments written by Samsa's PartitionLog", () => {
  let dir = '';
  let records = 0;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-dumplog-'));
    const log = PartitionLog.open({
      dir: path.join(dir, 'samsa-0'),
      topic: 'samsa',
      partition: 0,
      config: logConfig({ segmentBytes: 4096, indexIntervalBytes: 256, fileDeleteDelayMs: 0 }),
    });
    const codecs = [
      CompressionType.NONE,
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ];
    for (let i = 0; i < 60; i++) {
      const n = 1 + (i % 7);
      const batch: SimpleRecord[] = Array.from({ length: n }, (_, j) => ({
        timestamp: 1_700_000_000_000 + i * 100 + j,
        key: j % 3 === 0 ? null : Buffer.from(`key-${i}-${j}`),
        value: j % 5 === 4 ? null : Buffer.from(`value ${i}/${j} ${'héllo wörld '.repeat(1 + (i % 20))}`),
        headers:
          j % 2 === 1
            ? [
                { key: 'trace', value: Buffer.from(`t${i}`) },
                { key: 'empty', value: null },
              ]
            : [],
      }));
      const idempotent = i % 3 === 1;
      log.appendAsLeader(
        buildRecordBatch(batch, {
          compression: codecs[i % codecs.length],
          producerId: idempotent ? 4000 + (i % 2) : -1,
          producerEpoch: idempotent ? 2 : -1,
          baseSequence: idempotent ? i * 10 : -1,
        }),
        3 + Math.floor(i / 20),
      );
      records += n;
    }
    expect(log.numberOfSegments).toBeGreaterThan(2);
    log.close();
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('verifies the indexes and passes the index sanity check', () => {
    const files = segmentFiles(path.join(dir, 'samsa-0'));
    const verify = kafkaDump(['--verify-index-only', '--files', files.join(',')]);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    const sanity = kafkaDump(['--index-sanity-check', '--files', files.filter((f) => !f.endsWith('.log')).join(',')]);
    expect(sanity.status).toBe(0);
    expect(sanity.stderr).toBe('');
    // An index without entries is reported "is empty." before any check, as DumpLogSegments does.
    expect(sanity.stdout.match(/(passed sanity check|is empty)\./g)?.length).toBe((files.length * 2) / 3);
    for (const flags of [['--verify-index-only'], ['--index-sanity-check'], []]) {
      const args = [...flags, '--files', files.join(',')];
      const kafka = kafkaDump(args);
      expect(samsaDump(args), flags.join(' ')).toEqual({ stdout: kafka.stdout, stderr: kafka.stderr, status: 0 });
    }
  });

  it('prints every record, exactly as samsa dump-log does', () => {
    const files = segmentFiles(path.join(dir, 'samsa-0')).join(',');
    const kafka = kafkaDump(['--print-data-log', '--files', files]);
    expect(kafka.stderr).toBe('');
    expect(kafka.status).toBe(0);
    expect(kafka.stdout.match(/^\| offset: /gm)?.length).toBe(records);
    expect(kafka.stdout).toContain('payload: value 59/0 héllo wörld');
    expect(kafka.stdout).not.toContain('isvalid: false');
    expect(samsaDump(['--print-data-log', '--files', files])).toEqual({ stdout: kafka.stdout, stderr: '', status: 0 });
  });
});

describe('samsa dump-log reads segments written by Apache Kafka 3.9.2', () => {
  let dir = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-dumplog-kafka-'));
    const port = await freePort();
    const controllerPort = await freePort([port]);
    const env = { ...process.env, KAFKA_BROKER_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort) };
    const script = path.join(repoRoot, 'scripts/kafka-kraft.sh');
    execFileSync(
      'bash',
      [
        script,
        'start',
        KAFKA_VERSION,
        dir,
        'num.partitions=1',
        'log.segment.bytes=65536',
        'log.index.interval.bytes=1024',
      ],
      { env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    try {
      const bootstrap = `127.0.0.1:${port}`;
      const java = (cls: string, args: string[], input?: string): void => {
        execFileSync('java', [`-Dlog4j.configuration=file:${log4j}`, '-cp', `${libs}/*`, cls, ...args], {
          input,
          stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'inherit'],
          timeout: 120_000,
        });
      };
      for (const codec of ['lz4', 'zstd', 'gzip']) {
        java('org.apache.kafka.tools.ProducerPerformance', [
          '--topic',
          'perf',
          '--num-records',
          '2000',
          '--record-size',
          '200',
          '--throughput',
          '-1',
          '--producer-props',
          `bootstrap.servers=${bootstrap}`,
          `compression.type=${codec}`,
          'batch.size=8192',
          'linger.ms=2',
        ]);
      }
      const lines = Array.from({ length: 300 }, (_, i) => `h1:v${i},h2:x\tkey-${i}|value ${i} ${'z'.repeat(i % 50)}`);
      java(
        'kafka.tools.ConsoleProducer',
        [
          '--bootstrap-server',
          bootstrap,
          '--topic',
          'keyed',
          '--property',
          'parse.key=true',
          '--property',
          'parse.headers=true',
          '--property',
          'key.separator=|',
          '--producer-property',
          'compression.type=snappy',
          '--producer-property',
          'linger.ms=5',
        ],
        `${lines.join('\n')}\n`,
      );
    } finally {
      execFileSync('bash', [script, 'stop', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
    }
  }, 600_000);

  afterAll(() => {
    if (dir !== '' && process.env['SAMSA_COMPAT_KEEP'] !== '1') fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const topic of ['perf-0', 'keyed-0']) {
    it(`dumps ${topic} exactly as DumpLogSegments does`, () => {
      const files = segmentFiles(path.join(dir, 'data', topic));
      if (topic === 'perf-0') expect(files.length).toBeGreaterThan(3);
      for (const flags of [[], ['--print-data-log'], ['--verify-index-only'], ['--index-sanity-check']]) {
        const args = [...flags, '--files', files.join(',')];
        const kafka = kafkaDump(args);
        expect(kafka.status).toBe(0);
        expect(samsaDump(args), flags.join(' ')).toEqual({ stdout: kafka.stdout, stderr: kafka.stderr, status: 0 });
      }
    });

    it(`verifies ${topic} with samsa dump-log --verify`, () => {
      const files = segmentFiles(path.join(dir, 'data', topic));
      const r = samsaDump(['--verify', '--files', files.join(',')]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(
        r.stdout
          .split('\n')
          .filter((l) => l.endsWith(')'))
          .every((l) => l.includes(': OK (')),
      ).toBe(true);
    });
  }

  it('reads the same records through a Samsa PartitionLog opened on the Kafka directory', () => {
    const src = path.join(dir, 'data', 'keyed-0');
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-dumplog-open-'));
    try {
      for (const f of segmentFiles(src)) fs.copyFileSync(f, path.join(copy, path.basename(f)));
      const log = PartitionLog.open({
        dir: copy,
        topic: 'keyed',
        partition: 0,
        config: logConfig({}),
        hadCleanShutdown: false,
      });
      try {
        expect(log.logEndOffset).toBe(300);
        expect(log.recoveryTruncations).toEqual([]);
      } finally {
        log.close();
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
