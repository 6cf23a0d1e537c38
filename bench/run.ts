import { brokerStartupBenchmarks } from './broker/startup.bench.js';
import { clusterBenchmarks } from './cluster/replication.bench.js';
import { groupBenchmarks } from './groups/groups.bench.js';
import { formatTable, type Measurement } from './harness.js';
import { kafkaVsSamsaBenchmarks } from './kafka-vs-samsa/compare.bench.js';
import { consumeBenchmarks } from './kafka-vs-samsa/consume.bench.js';
import { zeroCopyBenchmarks } from './kafka-vs-samsa/zero-copy.bench.js';
import { logAppendBenchmarks } from './log/append.bench.js';
import { compactionBenchmarks } from './log/compaction.bench.js';
import { logReadBenchmarks } from './log/read.bench.js';
import { logRecoveryBenchmarks } from './log/recovery.bench.js';
import { codecBenchmarks } from './protocol/codecs.bench.js';
import { logValidatorBenchmarks } from './protocol/produce-validation.bench.js';
import { recordBenchmarks } from './protocol/records.bench.js';

/**
 * `npm run bench [name...]`: runs the named benchmark groups (all by default) and prints Markdown tables
 * to paste into docs/benchmarks.md with the machine and the date.
 */
// A group returns measurements to tabulate, or (process-level benchmarks) a finished Markdown table.
const groups: Record<string, () => Measurement[] | Promise<string>> = {
  'protocol-codecs': codecBenchmarks,
  'protocol-records': recordBenchmarks,
  'produce-validation': logValidatorBenchmarks,
  'log-append': logAppendBenchmarks,
  'log-read': logReadBenchmarks,
  'log-recovery': logRecoveryBenchmarks,
  'log-compaction': compactionBenchmarks,
  'broker-startup': brokerStartupBenchmarks,
  groups: groupBenchmarks,
  // Starts Apache Kafka and Samsa side by side (needs java, mvn and a build); run only when named.
  compare: kafkaVsSamsaBenchmarks,
  // Starts ZooKeeper and three brokers (needs java, mvn and a build); run only when named.
  cluster: clusterBenchmarks,
  // Workload (4) alone: Kafka beside Samsa's zero-copy and read fetch paths (same needs as compare).
  consume: consumeBenchmarks,
  // Samsa's sendfile and read fetch paths with a consumer that does not decode (needs java and mvn).
  'zero-copy': zeroCopyBenchmarks,
};
const onlyWhenNamed = new Set(['compare', 'cluster', 'consume', 'zero-copy']);

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length > 0 ? !wanted.includes(name) : onlyWhenNamed.has(name)) continue;
  console.log(`\n### ${name}\n`);
  const result = await run();
  console.log(typeof result === 'string' ? result : formatTable(result));
}
