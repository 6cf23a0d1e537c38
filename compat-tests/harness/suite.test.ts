// The list files of the clients' own suites (suite.ts): tests.allow and FINDINGS.md.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAllow, readFindings } from './suite.js';

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
