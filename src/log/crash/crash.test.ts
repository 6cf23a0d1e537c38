/**
 * Crash tests with a real child process killed with SIGKILL (see README.md beside this file).
 *
 * Each cycle: a child (append-child.ts) opens the log, recovering it, and appends the deterministic
 * workload of a fresh seed, acknowledging each returned append on stdout; the parent kills it at a
 * random moment, scans the files independently, optionally damages the active segment (bytes cut from
 * its tail, or garbage appended), then opens the log itself (the recovery path: no clean-shutdown
 * marker, recovery point 0) and checks that
 * - the log holds exactly the batches it held before the cycle plus the longest run of the child's
 *   batches written whole, minus those not wholly before the damage: every acknowledged batch (and no
 *   batch after a torn write) is there, byte for byte, and readable through PartitionLog.read;
 * - the log end offset follows the last batch, every .log file ends at a batch boundary, and a torn
 *   tail is reported with the position where the surviving batches end;
 * - the indexes, in memory and (after close) on disk through SegmentVerifier (`samsa dump-log
 *   --verify`), agree with the log; lookups of random offsets find their batch.
 * The kill only loses the process, not the page cache: an acknowledged append must survive it.
 *
 * CRASH_KILLS (default 200) sets the number of plain kills; a fifth as many again are run with
 * truncation and with garbage. Lanes run in parallel, each in its own directory, restarted every
 * 25 cycles so that recovery stays short.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRegion } from '../fetch-data-info.js';
import { PartitionLog } from '../partition-log.js';
import { SegmentVerifier } from '../segment-verifier.js';
import { MemoryLogger, makeTmpDir, removeTmpDir } from '../testing/test-batches.js';
import { indexProblems, logFileOf, scanLogFile, segmentBases, type ScannedBatch } from './check.js';
import { CRASH_LOG_CONFIG, CRASH_PARTITION, CRASH_TOPIC, expectedBatches, sha1 } from './workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const childPath = path.join(here, 'append-child.ts');

const PLAIN_KILLS = Number(process.env.CRASH_KILLS ?? 200);
const DAMAGE_KILLS = Math.ceil(PLAIN_KILLS / 5);
const LANES = Math.max(1, Math.min(4, os.availableParallelism()));
const CYCLES_PER_DIR = 25;
const MAX_KILL_DELAY_MS = 25;
/** A kill also comes once this many appends were seen, so a loaded machine does not grow the log unboundedly. */
const MAX_ACKS_BEFORE_KILL = 400;

type Damage = 'none' | 'truncate' | 'garbage';

interface ModelBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly hash: string;
}

interface Ack {
  readonly append: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly hash: string;
}

interface ChildRun {
  readonly ready: { logEndOffset: number } | null;
  readonly acks: Ack[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

interface Stats {
  kills: number;
  acked: number;
  unackedWritten: number;
  tornTails: number;
  truncations: number;
  rolls: number;
}

/**
 * Runs the child until it is killed: `delayMs` after it reported the log open, or when the parent has
 * read `maxAcks` acknowledgements, whichever comes first (the child is usually a little ahead of both).
 */
function runChild(
  command: readonly string[],
  dir: string,
  seed: number,
  epoch: number,
  delayMs: number,
  maxAcks: number,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...command, dir, String(seed), String(epoch)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let ready: { logEndOffset: number } | null = null;
    const acks: Ack[] = [];
    const onLine = (line: string): void => {
      const f = line.split(' ');
      if (f[0] === 'R') {
        ready = { logEndOffset: Number(f[1]) };
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      } else if (f[0] === 'A') {
        acks.push({ append: Number(f[1]), baseOffset: Number(f[2]), lastOffset: Number(f[3]), hash: f[4]! });
        if (acks.length === maxAcks) child.kill('SIGKILL');
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        onLine(out.slice(0, nl));
        out = out.slice(nl + 1);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const safety = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(safety);
      resolve({ ready, acks, signal, stderr });
    });
  });
}

class Lane {
  dir = '';
  model: ModelBatch[] = [];
  /** Size of every segment file at the end of the last cycle (only the active one may change). */
  sizes = new Map<number, number>();
  cycles = 0;
  epoch = 0;

  constructor(
    readonly id: number,
    readonly rand: () => number,
    readonly stats: Stats,
    readonly command: readonly string[],
  ) {
    this.reset();
  }

  reset(): void {
    if (this.dir !== '') removeTmpDir(this.dir);
    this.dir = makeTmpDir(`samsa-crash-${this.id}-`);
    this.model = [];
    this.sizes = new Map();
    this.cycles = 0;
  }

  get logEndOffset(): number {
    return this.model.length === 0 ? 0 : this.model[this.model.length - 1]!.lastOffset + 1;
  }

  async cycle(damage: Damage): Promise<void> {
    if (this.cycles === CYCLES_PER_DIR) this.reset();
    this.cycles++;
    const seed = crypto.randomInt(0x7fffffff);
    const epoch = ++this.epoch;
    const delay = Math.floor(this.rand() * MAX_KILL_DELAY_MS);
    const maxAcks = Math.floor(this.rand() * MAX_ACKS_BEFORE_KILL);
    const run = await runChild(this.command, this.dir, seed, epoch, delay, maxAcks);
    const where = `lane ${this.id} seed ${seed} epoch ${epoch} damage ${damage}`;
    expect(run.ready, `${where}: child never opened the log: ${run.stderr}`).not.toBeNull();
    expect(run.signal, `${where}: child was not killed: ${run.stderr}`).toBe('SIGKILL');
    this.stats.kills++;
    this.stats.acked += run.acks.length;
    expect(run.ready!.logEndOffset, where).toBe(this.logEndOffset);

    // What the files hold after the kill, scanned independently of the log layer.
    const bases = segmentBases(this.dir);
    const activeBefore = [...this.sizes.keys()].pop() ?? -1;
    for (const [base, size] of this.sizes) {
      if (base !== activeBefore) expect(fs.statSync(logFileOf(this.dir, base)).size, `${where}: ${base}`).toBe(size);
    }
    const touched = bases.filter((b) => b >= activeBefore);
    this.stats.rolls += Math.max(0, touched.length - 1);
    const scans = touched.map((b) => scanLogFile(logFileOf(this.dir, b), b));
    scans.forEach((s, i) => {
      if (i < scans.length - 1) expect(s.validBytes, `${where}: non-last ${s.file} has a bad tail`).toBe(s.size);
    });
    const last = scans[scans.length - 1]!;
    if (last.validBytes < last.size) this.stats.tornTails++;

    // The new batches on disk are exactly a prefix of the workload, covering every acknowledged append.
    const known = new Set(this.model.map((m) => m.baseOffset));
    const onDisk = scans.flatMap((s) => s.batches.map((b) => ({ scan: s, batch: b })));
    const fresh = onDisk.filter((d) => !known.has(d.batch.baseOffset));
    const workload = expectedBatches(seed, this.logEndOffset, epoch, run.acks.length + 2);
    expect(fresh.length, `${where}: more batches on disk than the workload wrote`).toBeLessThanOrEqual(workload.length);
    fresh.forEach((d, i) => {
      expect(d.batch.bytes.equals(workload[i]!.bytes), `${where}: batch ${i} at ${d.batch.position} differs`).toBe(
        true,
      );
    });
    const ackedBatches = workload.filter((w) => w.append < run.acks.length).length;
    expect(fresh.length, `${where}: an acknowledged batch is missing`).toBeGreaterThanOrEqual(ackedBatches);
    this.stats.unackedWritten += fresh.length - ackedBatches;
    for (const ack of run.acks) {
      const group = workload.filter((w) => w.append === ack.append);
      expect(ack.hash, `${where}: ack ${ack.append}`).toBe(sha1(group.map((w) => w.bytes)));
      expect([ack.baseOffset, ack.lastOffset]).toEqual([group[0]!.baseOffset, group[group.length - 1]!.lastOffset]);
    }

    // Damage to the active segment, and which batches must survive it.
    let cutAt = last.size;
    if (damage === 'truncate' && last.size > 0) {
      cutAt = last.size - 1 - Math.floor(this.rand() * Math.min(last.size, 64 * 1024));
      fs.truncateSync(last.file, cutAt);
    } else if (damage === 'garbage') {
      fs.appendFileSync(last.file, garbage(this.rand));
    }
    const survives = (d: { scan: { file: string }; batch: ScannedBatch }): boolean =>
      d.scan.file !== last.file || d.batch.position + d.batch.size <= cutAt;
    const survivingFresh = fresh.filter(survives);
    const expected: ModelBatch[] = [
      ...this.model.filter((m) => {
        const d = onDisk.find((x) => x.batch.baseOffset === m.baseOffset);
        return d === undefined || survives(d);
      }),
      ...survivingFresh.map((d) => ({
        baseOffset: d.batch.baseOffset,
        lastOffset: d.batch.lastOffset,
        hash: sha1([d.batch.bytes]),
      })),
    ];
    const survivingInLast = onDisk.filter((d) => d.scan.file === last.file && survives(d));
    const endOfLast = survivingInLast.reduce((e, d) => Math.max(e, d.batch.position + d.batch.size), 0);
    const damaged = fs.statSync(last.file).size > endOfLast;

    // Recovery, as a broker after a crash.
    const logger = new MemoryLogger();
    const log = PartitionLog.open({
      dir: this.dir,
      topic: CRASH_TOPIC,
      partition: CRASH_PARTITION,
      config: CRASH_LOG_CONFIG,
      hadCleanShutdown: false,
      logger,
    });
    try {
      const expectedEnd = expected.length === 0 ? 0 : expected[expected.length - 1]!.lastOffset + 1;
      expect(log.logEndOffset, where).toBe(expectedEnd);
      if (damaged) {
        this.stats.truncations++;
        expect(
          log.recoveryTruncations.map((t) => [t.file, t.position]),
          where,
        ).toEqual([[last.file, endOfLast]]);
      } else {
        expect(log.recoveryTruncations, where).toEqual([]);
      }
      // Segments the child never touched keep their size; everything from the one it appended to on is
      // read back through PartitionLog.read (older batches were read in earlier cycles).
      for (const segment of log.logSegments.filter((seg) => seg.baseOffset < activeBefore)) {
        expect(segment.size, `${where}: ${segment.log.path}`).toBe(this.sizes.get(segment.baseOffset));
      }
      const from = Math.max(activeBefore, log.logStartOffset);
      expect(
        readAll(log, from).map((b) => [b.baseOffset, b.lastOffset, b.hash]),
        where,
      ).toEqual(expected.filter((b) => b.baseOffset >= from).map((b) => [b.baseOffset, b.lastOffset, b.hash]));
      for (const segment of log.logSegments.filter((s) => s.baseOffset >= activeBefore)) {
        const scan = scanLogFile(segment.log.path, segment.baseOffset);
        expect(scan.validBytes, `${where}: ${segment.log.path} does not end at a batch boundary`).toBe(scan.size);
        expect(indexProblems(segment, scan), where).toEqual([]);
      }
      for (let i = 0; i < 10 && expected.length > 0; i++) {
        const b = expected[Math.floor(this.rand() * expected.length)]!;
        const offset = b.baseOffset + Math.floor(this.rand() * (b.lastOffset - b.baseOffset + 1));
        const r = log.read(offset, { maxBytes: 1, isolation: 'LOG_END', minOneMessage: true });
        const bytes = readRegion(r.region);
        r.release();
        expect(Number(bytes.readBigInt64BE(0)), `${where}: lookup of ${offset}`).toBe(b.baseOffset);
      }
    } finally {
      log.close();
    }
    this.verifyFiles(activeBefore, where);
    this.model = expected;
    this.sizes = new Map(segmentBases(this.dir).map((b) => [b, fs.statSync(logFileOf(this.dir, b)).size]));
  }

  /** SegmentVerifier (`samsa dump-log --verify`) over the segments this cycle touched: batches, indexes, sanity. */
  private verifyFiles(fromBase: number, where: string): void {
    const files = segmentBases(this.dir)
      .filter((b) => b >= fromBase)
      .flatMap((b) => ['.log', '.index', '.timeindex'].map((s) => logFileOf(this.dir, b).replace(/\.log$/, s)));
    const lines: string[] = [];
    const code = new SegmentVerifier({ out: (t) => lines.push(t), err: (t) => lines.push(`ERR ${t}`) }).run(files);
    expect(code, `${where}: dump-log --verify:\n${lines.join('\n')}`).toBe(0);
  }
}

/** Random bytes, zeros (pages never written), or a plausible batch header whose CRC is wrong. */
function garbage(rand: () => number): Buffer {
  const n = 1 + Math.floor(rand() * 4096);
  const kind = Math.floor(rand() * 3);
  if (kind === 0) return crypto.randomBytes(n);
  if (kind === 1) return Buffer.alloc(n);
  const buf = crypto.randomBytes(Math.max(n, 61));
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt8(2, 16);
  return buf;
}

/** Every batch of the log from offset `from` (a batch boundary) through PartitionLog.read, with a hash of its bytes. */
function readAll(log: PartitionLog, from: number): ModelBatch[] {
  const out: ModelBatch[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const r = log.read(offset, { maxBytes: 1024 * 1024, isolation: 'LOG_END', minOneMessage: true });
    const bytes = readRegion(r.region);
    r.release();
    expect(r.nextOffset).toBeGreaterThan(offset);
    for (let at = 0; at < bytes.length;) {
      const size = 12 + bytes.readInt32BE(at + 8);
      const base = Number(bytes.readBigInt64BE(at));
      out.push({
        baseOffset: base,
        lastOffset: base + bytes.readInt32BE(at + 23),
        hash: sha1([bytes.subarray(at, at + size)]),
      });
      at += size;
    }
    offset = r.nextOffset;
  }
  return out;
}

/**
 * How to start the child: bundled into one ESM file under .cache/ by esbuild (vitest's own bundler),
 * which node starts about twice as fast as through tsx; through tsx if esbuild cannot be loaded.
 */
async function childCommand(): Promise<{ command: string[]; cleanup: () => void }> {
  const outfile = path.join(repoRoot, '.cache', 'crash-child', `append-child-${process.pid}.mjs`);
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [childPath],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    return { command: [outfile], cleanup: () => fs.rmSync(outfile, { force: true }) };
  } catch {
    return { command: ['--import', 'tsx', childPath], cleanup: () => {} };
  }
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('crash safety under SIGKILL', () => {
  it(`keeps every acknowledged append through ${PLAIN_KILLS} kills, and ${DAMAGE_KILLS} each with truncation and garbage`, async () => {
    const started = performance.now();
    const seed = Number(process.env.CRASH_SEED ?? crypto.randomInt(0x7fffffff));
    const stats: Stats = { kills: 0, acked: 0, unackedWritten: 0, tornTails: 0, truncations: 0, rolls: 0 };
    const plan: Damage[] = [
      ...Array<Damage>(PLAIN_KILLS).fill('none'),
      ...Array<Damage>(DAMAGE_KILLS).fill('truncate'),
      ...Array<Damage>(DAMAGE_KILLS).fill('garbage'),
    ];
    const rand = mulberry(seed);
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [plan[i], plan[j]] = [plan[j]!, plan[i]!];
    }
    const child = await childCommand();
    const lanes = Array.from({ length: LANES }, (_, id) => new Lane(id, mulberry(seed + id + 1), stats, child.command));
    try {
      await Promise.all(
        lanes.map(async (lane) => {
          for (let i = lane.id; i < plan.length; i += LANES) await lane.cycle(plan[i]!);
        }),
      );
    } finally {
      for (const lane of lanes) removeTmpDir(lane.dir);
      child.cleanup();
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `crash test (CRASH_SEED=${seed}): ${stats.kills} kills in ${seconds.toFixed(1)} s on ${LANES} lanes ` +
        `(child: ${child.command[0] === '--import' ? 'node --import tsx' : 'bundled'}); ` +
        `${stats.acked} acknowledged appends, ${stats.unackedWritten} batches written but not acknowledged, ` +
        `${stats.tornTails} torn tails, ${stats.truncations} recovery truncations, ${stats.rolls} rolls`,
    );
    expect(stats.kills).toBe(plan.length);
  }, 900_000);
});
