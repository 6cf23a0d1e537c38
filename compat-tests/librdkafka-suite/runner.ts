// Runs librdkafka's own regression tests (tests/ of the librdkafka bundled in @confluentinc/kafka-javascript,
// built by setup.sh) against a live broker, as a client suite of harness/suite.ts. Each scenario of
// librdkafka's (`-s <scenario>`: the broker config the tests expect) is its own folder with tests.allow
// and FINDINGS.md: librdkafka-suite/ (default) and librdkafka-suite/noautocreate/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_VERSION, repoRoot, type Broker } from '../harness/broker.js';
import { defineSuite, readAllow, type TestOutcome } from '../harness/suite.js';
import { runCommand } from '../kafka-tools/tools.js';

const suiteDir = join(repoRoot, 'compat-tests/librdkafka-suite');

/** librdkafka's version from the bundled rdkafka.h (RD_KAFKA_VERSION 0xMMmmrrxx), for the report. */
export function librdkafkaVersion(): string {
  const h = join(
    repoRoot,
    '.cache/compat-node/node_modules/@confluentinc/kafka-javascript/deps/librdkafka/src/rdkafka.h',
  );
  const hex = existsSync(h)
    ? /#define RD_KAFKA_VERSION\s+0x([0-9a-fA-F]{8})/.exec(readFileSync(h, 'utf8'))?.[1]
    : undefined;
  if (!hex) return '?';
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/** The number a test's name starts with: TESTS= selects by it ("0045" runs every 0045_* test). */
const num = (name: string): string => name.slice(0, 4);

/** One test in test-runner's -r report (test_report_<date>.json). */
interface ReportTest {
  state: string;
  extra?: string;
}

/**
 * Runs `test-runner -L -Q -E -r -p<parallel> [-s scenario]` for the given test numbers, in a fresh
 * directory of the broker's (the runner writes its report and stats files into its working directory),
 * and reads the report: PASSED is a pass, SKIPPED a skip, anything else (FAILED, a test still RUNNING
 * when a timeout aborted the runner, DNS: did not start) a failure.
 */
async function runTests(
  testsDir: string,
  broker: Broker,
  scenario: string,
  numbers: string[],
  parallel: number,
): Promise<Map<string, TestOutcome>> {
  const conf = join(broker.logDir, 'test.conf');
  // test.conf as librdkafka's test.conf.example; slow CI machines get longer timeouts.
  writeFileSync(conf, `bootstrap.servers=${broker.bootstrap}\ntest.timeout.multiplier=2\n`);
  const cwd = join(broker.logDir, `run-${numbers.join('-').slice(0, 60)}`);
  execFileSync('mkdir', ['-p', cwd]);
  const r = await runCommand(join(testsDir, 'test-runner'), ['-L', '-Q', '-E', '-r', `-p${parallel}`, '-s', scenario], {
    timeoutMs: 1_700_000,
    cwd,
    env: {
      // librdkafka's tests change with CI set (0055 skips itself, 0025 and 0062 loosen, fewer run at once):
      // the suite runs the same here as on a developer's machine, and an allowed test never skips.
      CI: undefined,
      RDKAFKA_TEST_CONF: conf,
      TESTS: numbers.join(','),
      TEST_KAFKA_VERSION: KAFKA_VERSION,
      // Tests that run Kafka's scripts (test_kafka_topics, test_kafka_cmd) get the stock 3.9 tools.
      KAFKA_PATH: join(repoRoot, 'compat-tests/kafka-tools'),
      KAFKA_VERSION,
      BROKERS: broker.bootstrap,
      LD_LIBRARY_PATH: `${join(testsDir, '../src')}:${join(testsDir, '../src-cpp')}`,
    },
  });
  const report = readdirSync(cwd)
    .filter((f) => /^test_report_.*\.json$/.test(f))
    .sort()
    .pop();
  const out = new Map<string, TestOutcome>();
  // The runner colours its output with ANSI escapes (ESC [ ... m).
  const log = `${r.stdout}\n${r.stderr}`.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  if (!report) {
    for (const n of numbers)
      out.set(n, { outcome: 'fail', output: `test-runner wrote no report (exit ${r.status})\n${log.slice(-4000)}` });
    return out;
  }
  const tests = (JSON.parse(readFileSync(join(cwd, report), 'utf8')) as { tests: Record<string, ReportTest> }).tests;
  for (const [name, t] of Object.entries(tests)) {
    if (name === '<MAIN>' || !numbers.includes(num(name))) continue;
    const outcome = t.state === 'PASSED' ? 'pass' : t.state === 'SKIPPED' ? 'skip' : 'fail';
    const own = log.split('\n').filter((l) => l.includes(name) && /FAIL|assert|error/i.test(l));
    // The runner's closing table ("| <name> | FAILED | <secs> | <first failure>"), else the line after
    // its "### Test "<name>" failed at ..." banner (the assertion).
    const lines = log.split('\n');
    const row = lines.find((l) => l.startsWith(`| ${name} `) && !/PASSED|SKIPPED/.test(l));
    const banner = lines.findIndex((l) => l.startsWith(`### Test "${name}`));
    const summary =
      row?.split('|')[4]?.trim() || (banner >= 0 ? lines[banner + 1]?.trim() : '') || `${t.state} ${t.extra ?? ''}`;
    out.set(name, { outcome, output: `${t.state} ${t.extra ?? ''}\n${own.slice(-30).join('\n')}`, summary });
  }
  return out;
}

export interface LibrdkafkaSuite {
  /** librdkafka's test scenario (tests/scenarios/<name>.json): `default`, `noautocreate`. */
  readonly scenario: string;
  /** The folder with this scenario's tests.allow and FINDINGS.md. */
  readonly dir: string;
  /** The broker config the scenario stands for. */
  readonly broker: Record<string, string | number | boolean>;
}

export function defineLibrdkafkaSuite(spec: LibrdkafkaSuite): void {
  let testsDir = '';
  defineSuite({
    title: `librdkafka ${librdkafkaVersion()} tests${spec.scenario === 'default' ? '' : ` (${spec.scenario})`}`,
    dir: spec.dir,
    broker: spec.broker,
    prepare: () => {
      testsDir = execFileSync('bash', [join(suiteDir, 'setup.sh')], { encoding: 'utf8', timeout: 590_000 }).trim();
      if (!existsSync(join(testsDir, 'test-runner'))) throw new Error(`no test-runner in ${testsDir}`);
    },
    run: async (broker, tests) => {
      const allowed = new Set(readAllow(join(spec.dir, 'tests.allow')));
      const allowedNums = [...new Set(tests.filter((t) => allowed.has(t)).map(num))];
      const results = await runTests(testsDir, broker, spec.scenario, allowedNums, 2);
      // The others (full run) one number per runner: a test that hangs aborts its runner at its timeout.
      const otherNums = [...new Set(tests.filter((t) => !allowed.has(t)).map(num))].filter(
        (n) => !allowedNums.includes(n),
      );
      for (const n of otherNums)
        for (const [k, v] of await runTests(testsDir, broker, spec.scenario, [n], 1))
          if (!results.has(k)) results.set(k, v);
      return results;
    },
  });
}
