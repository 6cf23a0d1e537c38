// kafka-python's own integration tests (test/integration of its PyPI source distribution, set up by
// setup.sh) with KAFKA_URI pointing at a live broker. tests.allow lists what must pass; FINDINGS.md says
// why every other test fails or skips. See README.md beside this file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/broker.js';
import { defineSuite, type Outcome, type TestOutcome } from '../harness/suite.js';
import { runCommand } from '../kafka-tools/tools.js';

const dir = join(repoRoot, 'compat-tests/kafka-python-suite');
const version = /version=(\S+)/.exec(readFileSync(join(dir, 'setup.sh'), 'utf8'))?.[1] ?? '?';
let src = '';

/**
 * The Kafka version the suite is told it talks to. kafka-python infers a broker's version from its
 * ApiVersions ranges, and test_kafka_version_infer checks the inference equals KAFKA_VERSION: Samsa's
 * ranges read as 4.1 (Samsa serves the newest versions of each API it has).
 */
const SUITE_KAFKA_VERSION = '4.1.0';

/** A junit <testcase> of pytest's --junitxml: classname `test.integration.<module>[.<Class>]`, name. */
function junit(xml: string): Map<string, TestOutcome> {
  const out = new Map<string, TestOutcome>();
  const unescape = (s: string): string =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const [module, ...classes] = m[1]!.split('.').slice(2);
    const id = [`${module}.py`, ...classes, unescape(m[2]!)].join('::');
    const body = m[4] ?? '';
    const outcome: Outcome = /<(failure|error)\b/.test(body) ? 'fail' : /<skipped\b/.test(body) ? 'skip' : 'pass';
    const summary = unescape(/<(?:failure|error|skipped)\b[^>]*\bmessage="([^"]*)"/.exec(body)?.[1] ?? '');
    out.set(id, { outcome, output: unescape(body).slice(0, 8000), summary });
  }
  return out;
}

defineSuite({
  title: `kafka-python ${version} integration tests`,
  dir,
  // The suite's own broker settings (kafka-python's servers/resources/default/kafka.properties): it
  // addresses node 0, joins groups with 3 s sessions, and expects 4 partitions for auto-created topics.
  broker: {
    'broker.id': 0,
    'num.partitions': 4,
    'auto.create.topics.enable': true,
    'group.min.session.timeout.ms': 1000,
    'offsets.topic.num.partitions': 2,
  },
  prepare: () => {
    src = execFileSync('bash', [join(dir, 'setup.sh')], { encoding: 'utf8', timeout: 590_000 }).trim();
  },
  run: async (broker, tests) => {
    const xml = join(broker.logDir, 'junit.xml');
    const r = await runCommand(
      join(src, '../venv/bin/python'),
      [
        '-m',
        'pytest',
        '-p',
        'no:cacheprovider',
        '-q',
        '--timeout=120',
        `--junitxml=${xml}`,
        ...tests.map((t) => `test/integration/${t}`),
      ],
      {
        cwd: src,
        timeoutMs: 1_700_000,
        env: {
          KAFKA_URI: `PLAINTEXT://${broker.bootstrap}`,
          KAFKA_VERSION: SUITE_KAFKA_VERSION,
          // Only checked to exist: with KAFKA_URI the suite starts no Kafka of its own.
          KAFKA_ROOT: join(src, '../kafka-root'),
        },
      },
    );
    let results: Map<string, TestOutcome>;
    try {
      results = junit(readFileSync(xml, 'utf8'));
    } catch {
      results = new Map();
    }
    const tail = `${r.stdout}\n${r.stderr}`.slice(-4000);
    for (const [k, v] of results) if (v.outcome !== 'pass') results.set(k, { ...v, output: `${v.output}\n${tail}` });
    return results;
  },
});
