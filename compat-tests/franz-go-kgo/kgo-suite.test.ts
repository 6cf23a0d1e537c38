// franz-go's own pkg/kgo tests (the module pinned by go.mod beside this file, from the Go module proxy),
// run with `go test` against a live broker (KGO_SEEDS). tests.allow lists what must pass; FINDINGS.md
// says why every other test fails or skips. See README.md beside this file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/broker.js';
import { defineSuite, readAllow, type TestOutcome } from '../harness/suite.js';
import { runCommand } from '../kafka-tools/tools.js';

const dir = join(repoRoot, 'compat-tests/franz-go-kgo');
const version = /github\.com\/twmb\/franz-go (v\S+)/.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))?.[1] ?? '?';

/** Module and build caches under .cache (never committed); no toolchain download. */
const goEnv: Record<string, string> = {
  GOMODCACHE: join(repoRoot, '.cache/go/mod'),
  GOCACHE: join(repoRoot, '.cache/go/build'),
  GOFLAGS: '-mod=mod',
  GOTOOLCHAIN: 'local',
};

/** The kgo tests' own knobs: one broker, so replication factor 1; fewer records than the 500,000 default. */
const kgoEnv = (seeds: string): Record<string, string> => ({
  ...goEnv,
  KGO_SEEDS: seeds,
  KGO_TEST_RF: '1',
  KGO_TEST_RECORDS: '10000',
  KGO_LOG_LEVEL: 'none',
});

/** One `go test -json` event (test2json). */
interface GoEvent {
  Action: string;
  Test?: string;
  Output?: string;
}

/**
 * Runs `go test -json -run '^(names)$' github.com/twmb/franz-go/pkg/kgo` and reads each top-level test's
 * outcome. A test still running at -timeout (the binary panics) counts as failed with its output so far.
 */
async function goTest(names: string[], seeds: string, timeout: string): Promise<Map<string, TestOutcome>> {
  const out = new Map<string, TestOutcome>();
  if (names.length === 0) return out;
  const r = await runCommand(
    'go',
    [
      'test',
      '-json',
      '-count=1',
      `-timeout=${timeout}`,
      '-run',
      `^(${names.join('|')})$`,
      'github.com/twmb/franz-go/pkg/kgo',
    ],
    { env: kgoEnv(seeds), timeoutMs: 590_000 },
  );
  const output = new Map<string, string>();
  const final = new Map<string, 'pass' | 'fail' | 'skip'>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as GoEvent;
    if (!e.Test) continue;
    const top = e.Test.split('/')[0]!;
    if (e.Action === 'output') output.set(top, (output.get(top) ?? '') + (e.Output ?? ''));
    if (e.Test === top && (e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip')) final.set(top, e.Action);
  }
  for (const name of names) {
    const text = output.get(name) ?? '';
    // test2json reports a parallel parent's "--- PASS" late or, after a timeout elsewhere, not at all.
    const outcome = final.get(name) ?? (new RegExp(`^--- PASS: ${name} `, 'm').test(text) ? 'pass' : undefined);
    // The first line a test logged with its file position (t.Error, t.Fatal, t.Skip: "x_test.go:12: ...").
    const summary = /^\s+\w+_test\.go:\d+: .*$/m.exec(text)?.[0].trim();
    if (outcome) out.set(name, { outcome, output: text, summary });
    else out.set(name, { outcome: 'fail', output: `${text}\n(not finished; go test exited ${r.status})\n${r.stderr}` });
  }
  return out;
}

defineSuite({
  title: `franz-go ${version} kgo tests`,
  dir,
  broker: {},
  prepare: async () => {
    // Compile once before the broker starts (the first build fetches the module and takes ~30 s).
    const r = await runCommand('go', ['test', '-count=1', '-run', '^$', 'github.com/twmb/franz-go/pkg/kgo'], {
      env: goEnv,
      timeoutMs: 400_000,
    });
    if (r.status !== 0) throw new Error(`go test (build) exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  },
  run: async (broker, tests) => {
    const allowed = new Set(readAllow(join(dir, 'tests.allow')));
    // The allowed tests first; the others (full run) separately, so that one that hangs (transactions)
    // runs into its own timeout rather than the allowed tests'.
    const results = await goTest(
      tests.filter((t) => allowed.has(t)),
      broker.bootstrap,
      '8m',
    );
    for (const [k, v] of await goTest(
      tests.filter((t) => !allowed.has(t)),
      broker.bootstrap,
      '3m',
    ))
      results.set(k, v);
    return results;
  },
});
