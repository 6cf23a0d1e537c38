// A client's own test suite (franz-go's kgo tests, librdkafka's tests, kafka-python's tests) run against a
// live broker, declared as vitest tests so that the compat project and REPORT.md count them.
//
// Each suite folder holds:
//   tests.allow   the suite's tests that must pass, one name a line (`#` starts a comment); only grows
//   FINDINGS.md   every other test, a line each: "- `name`: why it fails or is skipped (issue N)"
//
// By default (CI) only the allowed tests run, and each is one vitest test that fails unless the suite
// reported it passed. With SAMSA_COMPAT_FULL=1 (`npm run compat:full`) the whole suite runs, and the
// tests named in FINDINGS.md get their own scenario with their real outcome: pass, fail, or skip when the
// suite skipped them itself. A test that passes there belongs in tests.allow.
//
// An allowed test that fails is run once more, alone, against the same broker: the client suites carry
// timing-dependent tests and client-side races (FINDINGS.md names those seen) that a loaded two-core
// machine trips now and then. A test that fails twice fails; one that passes the second time passes and
// is printed as flaky, with its first failure, so a flake is never silent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startBroker, type Broker } from './broker.js';

/** SAMSA_COMPAT_FULL=1: run everything (`npm run compat:full`), not only CI's subset. */
export function fullRun(): boolean {
  return process.env['SAMSA_COMPAT_FULL'] === '1';
}

export type Outcome = 'pass' | 'fail' | 'skip';

export interface TestOutcome {
  readonly outcome: Outcome;
  /** The suite's own output for this test (its error on a failure). */
  readonly output: string;
  /** One line saying why it failed or skipped (the failure's message), for the report. */
  readonly summary?: string;
}

/** Names in a tests.allow file: one a line, `#` comments and blank lines ignored. */
export function readAllow(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

/** Names in FINDINGS.md: each line `- \`name\`...`. */
export function readFindings(file: string): string[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, 'utf8').matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]!);
}

export interface SuiteSpec {
  /** The describe title: the client, its version, the suite (e.g. "franz-go v1.22.3 kgo tests"). */
  readonly title: string;
  /** The suite folder (tests.allow, FINDINGS.md). */
  readonly dir: string;
  /** Broker config the suite expects (its own, never our defaults). */
  readonly broker: Record<string, string | number | boolean>;
  /** Builds what the suite needs (once, before the broker starts). */
  prepare?(): Promise<void> | void;
  /** Runs the named tests against `broker` and reports each by name (a missing name counts as not run). */
  run(broker: Broker, tests: string[]): Promise<Map<string, TestOutcome>>;
}

const HOOK_TIMEOUT_MS = fullRun() ? 4 * 3_600_000 : 1_800_000;

/** Runs each failed allowed test once more on its own; a second pass replaces the first failure. */
export async function rerunFailures(
  spec: SuiteSpec,
  broker: Broker,
  allowed: readonly string[],
  first: Map<string, TestOutcome>,
): Promise<Map<string, TestOutcome>> {
  const results = new Map(first);
  for (const name of allowed) {
    const before = first.get(name);
    if (before?.outcome === 'pass') continue;
    const again = (await spec.run(broker, [name])).get(name);
    if (again?.outcome !== 'pass') continue;
    console.warn(
      `flaky: ${spec.title}: ${name} failed, then passed when run again alone; its first failure:\n` +
        `${before?.summary ?? '(not reported)'}\n${(before?.output ?? '').slice(-2000)}`,
    );
    results.set(name, again);
  }
  return results;
}

/** Declares the suite: the allowed tests, and in a full run the tests of FINDINGS.md too. */
export function defineSuite(spec: SuiteSpec): void {
  const allowed = readAllow(join(spec.dir, 'tests.allow'));
  const allowedSet = new Set(allowed);
  const others = fullRun() ? readFindings(join(spec.dir, 'FINDINGS.md')).filter((n) => !allowedSet.has(n)) : [];
  let broker: Broker;
  let results = new Map<string, TestOutcome>();

  describe(spec.title, () => {
    beforeAll(async () => {
      await spec.prepare?.();
      broker = await startBroker({ overrides: spec.broker });
      results = await spec.run(broker, [...allowed, ...others]);
      results = await rerunFailures(spec, broker, allowed, results);
      // A suite's whole run is this one hook: minutes for the allowed tests, up to hours in a full run.
    }, HOOK_TIMEOUT_MS);

    afterAll(async () => {
      await broker?.stop();
    });

    const outcome = (name: string): TestOutcome =>
      results.get(name) ?? { outcome: 'fail', output: `${name}: the suite did not report this test` };

    describe('tests.allow', () => {
      for (const name of allowed)
        it(name, () => {
          const r = outcome(name);
          if (r.outcome !== 'pass')
            throw new Error(
              `${name}: ${r.outcome}: ${r.summary ?? ''}\n${r.output.slice(-6000)}\n--- broker\n${broker.tail(60)}`,
            );
        });
    });

    if (others.length > 0)
      describe('not in tests.allow (FINDINGS.md)', () => {
        for (const name of others)
          it(name, (ctx) => {
            const r = outcome(name);
            if (r.outcome === 'skip') ctx.skip();
            if (r.outcome !== 'pass')
              throw new Error(`${name}: ${r.outcome}: ${r.summary ?? ''}\n${r.output.slice(-3000)}`);
          });
      });
  });
}
