// The list files of the clients' own suites (suite.ts), tests.allow and FINDINGS.md, and the one rerun of a
// failed allowed test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Broker } from './broker.js';
import { readAllow, readFindings, rerunFailures, type TestOutcome } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'samsa-suite-lists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('suite lists', () => {
  it('tests.allow: one name a line; comments, blank lines and surrounding spaces ignored', () => {
    const f = join(dir, 'tests.allow');
    writeFileSync(f, '# header\nTestA\n\n  TestB  # trailing note\n#TestC\ntest_x.py::test_y[gzip]\n');
    expect(readAllow(f)).toEqual(['TestA', 'TestB', 'test_x.py::test_y[gzip]']);
  });

  it('FINDINGS.md: the backticked name opening each list item, nothing else', () => {
    const f = join(dir, 'FINDINGS.md');
    writeFileSync(
      f,
      '# Findings\n\nProse naming `NotATest`.\n\n- `TestTxn`: hangs (`EndTxn`).\n- `0045_x`: skipped\n  - `nested`: no\n-  `spaced`: no\n',
    );
    expect(readFindings(f)).toEqual(['TestTxn', '0045_x']);
  });

  it('FINDINGS.md missing: no names', () => {
    expect(readFindings(join(dir, 'absent.md'))).toEqual([]);
  });
});

describe('rerunFailures', () => {
  const pass: TestOutcome = { outcome: 'pass', output: '' };
  const fail: TestOutcome = { outcome: 'fail', output: 'boom', summary: 'assert' };

  it('runs each failed allowed test once more, alone; a second pass counts, a second failure stays', async () => {
    const second = new Map([
      ['flaky', pass],
      ['broken', fail],
      ['missing', pass],
    ]);
    const runs: string[][] = [];
    const spec = {
      title: 't',
      dir,
      broker: {},
      run: (_b: Broker, tests: string[]): Promise<Map<string, TestOutcome>> => {
        runs.push(tests);
        return Promise.resolve(new Map(tests.map((t) => [t, second.get(t)!])));
      },
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = new Map([
      ['ok', pass],
      ['flaky', fail],
      ['broken', fail],
      ['finding', fail],
    ]);
    const out = await rerunFailures(spec, {} as Broker, ['ok', 'flaky', 'broken', 'missing'], first);
    const warned = warn.mock.calls.map((c) => String(c[0]).split('\n')[0]);
    warn.mockRestore();
    expect(runs).toEqual([['flaky'], ['broken'], ['missing']]);
    expect(out.get('flaky')).toBe(pass);
    expect(out.get('broken')).toBe(fail);
    expect(out.get('missing')).toBe(pass);
    expect(out.get('finding')).toBe(fail);
    expect(warned).toEqual([
      'flaky: t: flaky failed, then passed when run again alone; its first failure:',
      'flaky: t: missing failed, then passed when run again alone; its first failure:',
    ]);
  });
});
