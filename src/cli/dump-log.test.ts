import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../log/partition-log.js';
import { makeTmpDir, removeTmpDir, testConfig } from '../log/testing/test-batches.js';
import { CompressionType, buildRecordBatch } from '../protocol/records/index.js';
import { DumpLog, parseDumpLogArgs } from './dump-log.js';

/** Three records as in the Kafka run that produced GOLDEN: no key, a key with headers, a null value. */
function records(i: number) {
  return Array.from({ length: 3 }, (_, j) => ({
    timestamp: 1_700_000_000_000 + i * 10 + j,
    key: j === 0 ? null : Buffer.from(`k${i}-${j}`),
    value: j === 2 ? null : Buffer.from(`value ${i} ${j} ${'x'.repeat(100)}`),
    headers:
      j === 1
        ? [
            { key: 'h1', value: Buffer.from('v') },
            { key: 'h2', value: null },
          ]
        : undefined,
  }));
}

/** Kafka 3.9.2's DumpLogSegments --print-data-log on the first batch of the same segment. */
const X = 'x'.repeat(100);
const GOLDEN = [
  'Log starting offset: 0',
  'baseOffset: 0 lastOffset: 2 count: 3 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 5 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1700000000002 size: 323 magic: 2 compresscodec: none crc: 714697756 isvalid: true',
  `| offset: 0 CreateTime: 1700000000000 keySize: -1 valueSize: 110 sequence: -1 headerKeys: [] payload: value 0 0 ${X}`,
  `| offset: 1 CreateTime: 1700000000001 keySize: 4 valueSize: 110 sequence: -1 headerKeys: [h1,h2] key: k0-1 payload: value 0 1 ${X}`,
  '| offset: 2 CreateTime: 1700000000002 keySize: 4 valueSize: -1 sequence: -1 headerKeys: [] key: k0-2',
];

function dump(args: string[]): { out: string[]; err: string[]; code: number } {
  const opts = parseDumpLogArgs(args);
  if (opts === 'help') throw new Error('help');
  const out: string[] = [];
  const err: string[] = [];
  const code = new DumpLog(opts, { out: (t) => out.push(t), err: (t) => err.push(t) }).run();
  return { out, err, code };
}

describe('samsa dump-log', () => {
  let dir: string;
  let seg: (suffix: string, base?: number) => string;

  beforeEach(() => {
    dir = makeTmpDir();
    seg = (suffix, base = 0) => path.join(dir, `${String(base).padStart(20, '0')}${suffix}`);
    const log = PartitionLog.open({
      dir,
      topic: 't',
      partition: 0,
      config: testConfig({ segmentBytes: 1200, indexIntervalBytes: 100 }),
    });
    for (let i = 0; i < 8; i++) {
      const idempotent = i % 2 === 1;
      log.appendAsLeader(
        buildRecordBatch(records(i), {
          compression: i % 3 === 2 ? CompressionType.LZ4 : CompressionType.NONE,
          producerId: idempotent ? 1000 : -1,
          producerEpoch: idempotent ? 3 : -1,
          baseSequence: idempotent ? 2147483646 : -1,
        }),
        5,
      );
    }
    log.close();
  });
  afterEach(() => removeTmpDir(dir));

  it("prints batches and records in DumpLogSegments's layout", () => {
    const { out, err, code } = dump(['--print-data-log', '--files', seg('.log')]);
    expect([code, err]).toEqual([0, []]);
    expect(out.slice(0, 6)).toEqual([`Dumping ${seg('.log')}`, ...GOLDEN]);
    // Sequences wrap at 2^31 as Kafka's incrementSequence does.
    expect(out[6]).toContain('baseSequence: 2147483646 lastSequence: 0 producerId: 1000 producerEpoch: 3');
    expect(out).toContain(
      `| offset: 5 CreateTime: 1700000000012 keySize: 4 valueSize: -1 sequence: 0 headerKeys: [] key: k1-2`,
    );
    expect(out.filter((l) => l.includes('compresscodec: lz4'))).not.toEqual([]);
  });

  it('dumps the indexes and checks them against the log', () => {
    const { out, err, code } = dump(['--files', `${seg('.index')},${seg('.timeindex')}`]);
    expect([code, err]).toEqual([0, []]);
    expect(out[0]).toBe(`Dumping ${seg('.index')}`);
    expect(out[1]).toMatch(/^offset: \d+ position: \d+$/);
    expect(out.some((l) => /^timestamp: \d+ offset: \d+$/.test(l))).toBe(true);
    const sanity = dump(['--index-sanity-check', '--files', `${seg('.index')},${seg('.timeindex')}`]);
    expect(sanity.out).toEqual([
      `Dumping ${seg('.index')}`,
      `${seg('.index')} passed sanity check.`,
      `Dumping ${seg('.timeindex')}`,
      `${seg('.timeindex')} passed sanity check.`,
    ]);
  });

  it('reports trailing bytes as Kafka does, and --verify fails on them and on a bad CRC', () => {
    fs.appendFileSync(seg('.log'), Buffer.from('garbage garbage garbage'));
    const { out, code } = dump(['--files', seg('.log')]);
    expect(code).toBe(0);
    expect(out[out.length - 1]).toBe('Found 23 invalid bytes at the end of 00000000000000000000.log');
    const files = ['.log', '.index', '.timeindex'].map((s) => seg(s)).join(',');
    const verify = dump(['--verify', '--files', files]);
    expect(verify.code).toBe(1);
    expect(verify.err.join('\n')).toContain('23 bytes at position');

    fs.truncateSync(seg('.log'), fs.statSync(seg('.log')).size - 23);
    expect(dump(['--verify', '--files', files]).code).toBe(0);
    const fd = fs.openSync(seg('.log'), 'r+');
    fs.writeSync(fd, Buffer.from([0x55]), 0, 1, 100);
    fs.closeSync(fd);
    const bad = dump(['--verify', '--files', files]);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/position 0 \(offset 0\): record batch CRC \d+ does not match/);
    expect(dump(['--files', seg('.log')]).out[2]).toContain('isvalid: false');
  });

  it('reports an index entry that disagrees with the log', () => {
    const data = fs.readFileSync(seg('.index'));
    data.writeInt32BE(data.readInt32BE(0) + 1, 0);
    fs.writeFileSync(seg('.index'), data);
    const { err, code } = dump(['--verify-index-only', '--files', seg('.index')]);
    expect(code).toBe(1);
    expect(err[0]).toBe(`Mismatches in :${seg('.index')}`);
    expect(err[1]).toMatch(/^ {2}Index offset: \d+, log offset: \d+$/);
  });

  it('fails clearly on missing files, unknown flags and a missing --files', () => {
    const missing = dump(['--files', path.join(dir, '00000000000000000099.log')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual([`samsa dump-log: ${path.join(dir, '00000000000000000099.log')}: no such file`]);
    expect(() => parseDumpLogArgs(['--bogus'])).toThrow('bogus is not a recognized option');
    expect(() => parseDumpLogArgs(['--print-data-log'])).toThrow('Missing required argument "[files]"');
    expect(() => parseDumpLogArgs(['--files'])).toThrow('requires an argument');
    expect(parseDumpLogArgs(['--help'])).toBe('help');
    expect(dump(['--files', path.join(dir, 'leader-epoch-checkpoint')]).err).toEqual([
      `Ignoring unknown file ${path.join(dir, 'leader-epoch-checkpoint')}`,
    ]);
  });
});
