import { formatTable } from './harness.js';
import { codecBenchmarks } from './protocol/codecs.bench.js';
import { logValidatorBenchmarks } from './protocol/produce-validation.bench.js';
import { recordBenchmarks } from './protocol/records.bench.js';

/**
 * `npm run bench [name...]`: runs the named benchmark groups (all by default) and prints Markdown tables
 * to paste into docs/benchmarks.md with the machine and the date.
 */
const groups: Record<string, () => ReturnType<typeof codecBenchmarks>> = {
  'protocol-codecs': codecBenchmarks,
  'protocol-records': recordBenchmarks,
  'produce-validation': logValidatorBenchmarks,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n### ${name}\n`);
  console.log(formatTable(run()));
}
