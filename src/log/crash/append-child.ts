/**
 * The process the crash tests kill: opens (recovering) the PartitionLog in <dir> as a broker would after
 * a crash, then appends the workload of <seed> (workload.ts) as fast as it can, reporting every
 * returned append on stdout before doing anything else, until it is killed with SIGKILL.
 *
 *   node --import tsx src/log/crash/append-child.ts <dir> <seed> <leaderEpoch>
 *
 * It stops by itself only as a safety net (the parent died, or 20 s passed). Everything is
 * synchronous: the kill lands between or inside system calls of appends, rolls and stdout writes.
 */
import fs from 'node:fs';
import { PartitionLog } from '../partition-log.js';
import { CRASH_LOG_CONFIG, CRASH_PARTITION, CRASH_TOPIC, appendGroup, sha1 } from './workload.js';

const [dir, seedArg, epochArg] = process.argv.slice(2);
if (dir === undefined || seedArg === undefined || epochArg === undefined) {
  process.stderr.write('usage: append-child.ts <dir> <seed> <leaderEpoch>\n');
  process.exit(2);
}
const seed = Number(seedArg);
const leaderEpoch = Number(epochArg);

/** One synchronous write of a whole line to stdout (fd 1); the parent reads it even after the kill. */
function report(line: string): void {
  const buf = Buffer.from(`${line}\n`);
  let done = 0;
  while (done < buf.length) {
    try {
      done += fs.writeSync(1, buf, done, buf.length - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      process.exit(3); // EPIPE: the parent is gone.
    }
  }
}

const silent = {
  info: (): void => {},
  warn: (): void => {},
  error: (m: string): void => void process.stderr.write(`${m}\n`),
};
const log = PartitionLog.open({
  dir,
  topic: CRASH_TOPIC,
  partition: CRASH_PARTITION,
  config: CRASH_LOG_CONFIG,
  hadCleanShutdown: false,
  logger: silent,
});
report(`R ${log.logEndOffset} ${log.numberOfSegments} ${log.recoveryTruncations.length}`);

const deadline = Date.now() + 20_000;
for (let i = 0; Date.now() < deadline; i++) {
  const group = appendGroup(seed, i);
  const info = log.appendAsLeader(group, leaderEpoch);
  report(`A ${i} ${info.baseOffset} ${info.lastOffset} ${sha1(group)}`);
}
process.exit(4);
