import type { Measurement } from '../harness.js';
import { readRegion } from '../../src/log/fetch-data-info.js';
import { PartitionLog } from '../../src/log/partition-log.js';
import { LOG_BYTES, QUIET, benchConfig, benchDir, buildLog, mbps, removeDir, summarize } from './common.js';
import type { LogConfig } from '../../src/log/log-config.js';

const ROUNDS = 7;
const LOOKUPS_PER_ROUND = 20_000;

/**
 * Random-offset reads from a log of SAMSA_BENCH_LOG_GB (default 1 GiB; the figure is 10) of
 * 16 KiB batches: PartitionLog.read of one batch (segment floor lookup, offset index binary search,
 * a header scan from the indexed position, a retained file region) with and without then reading the
 * region's bytes (pread; the file is in the page cache). The same bytes are written twice: in Kafka's
 * 1 GiB segments (one or a few segments) and in 1 MiB segments (about a thousand), to show the lookup
 * cost grows with the log of the segment count at most.
 */
export function logReadBenchmarks(): Measurement[] {
  const out: Measurement[] = [];
  const gb = (LOG_BYTES / 1024 ** 3).toFixed(1);
  const layouts: [string, LogConfig][] = [
    ['1 GiB segments', benchConfig()],
    ['1 MiB segments', benchConfig({ segmentBytes: 1024 * 1024 })],
  ];
  for (const [label, config] of layouts) {
    const dir = benchDir('read');
    try {
      const { lastOffset } = buildLog(dir, LOG_BYTES, config);
      const log = PartitionLog.open({
        dir,
        topic: 'bench',
        partition: 0,
        config,
        hadCleanShutdown: true,
        logger: QUIET,
      });
      const offsets = Array.from({ length: LOOKUPS_PER_ROUND }, () => Math.floor(Math.random() * (lastOffset + 1)));
      const opts = { maxBytes: 16 * 1024, isolation: 'LOG_END', minOneMessage: true } as const;
      const rounds = (withBytes: boolean): number[] => {
        const rates: number[] = [];
        for (let r = 0; r <= ROUNDS; r++) {
          const t = performance.now();
          for (const offset of offsets) {
            const info = log.read(offset, opts);
            if (withBytes) readRegion(info.region);
            info.release();
          }
          if (r > 0) rates.push(LOOKUPS_PER_ROUND / ((performance.now() - t) / 1000));
        }
        return rates;
      };
      const segments = log.numberOfSegments;
      out.push(summarize(`read region, random offset, ${gb} GiB in ${segments} × ${label}`, rounds(false), 0));
      out.push(summarize(`read region + pread 16 KiB, ${gb} GiB in ${segments} × ${label}`, rounds(true), 16 * 1024));
      log.close();
    } finally {
      removeDir(dir);
    }
  }
  console.log(
    `log-read: lookups/s ${Math.round(out[0]!.opsPerSec)} (few segments) vs ${Math.round(out[2]!.opsPerSec)} (many); ` +
      `with pread ${mbps(out[1]!)} vs ${mbps(out[3]!)} MB/s`,
  );
  return out;
}
