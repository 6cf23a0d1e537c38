// The REPORT.md generator: rows of client × scenario with counts, failures listed, files that did not run.
import { describe, expect, it } from 'vitest';
import { markdown, rows, type JsonReport } from './report.js';

const report: JsonReport = {
  startTime: Date.UTC(2026, 0, 2, 3, 4, 5),
  testResults: [
    {
      name: '/repo/compat-tests/kafka-tools/kafka-tools.test.ts',
      assertionResults: [
        {
          ancestorTitles: ['Kafka 3.9.2 tools', 'kafka-configs.sh'],
          title: 'a',
          status: 'passed',
          duration: 1500,
          failureMessages: [],
        },
        {
          ancestorTitles: ['Kafka 3.9.2 tools', 'kafka-configs.sh'],
          title: 'b',
          status: 'failed',
          duration: 500,
          failureMessages: ['AssertionError: x | y\n  at z'],
        },
        {
          ancestorTitles: ['Kafka 3.9.2 Java clients'],
          title: 'KIP-848 group',
          status: 'skipped',
          duration: null,
          failureMessages: [],
        },
        { ancestorTitles: [], title: 'top-level test', status: 'passed', duration: 0, failureMessages: [] },
      ],
    },
    { name: '/repo/compat-tests/go/go-clients.test.ts', message: 'Error: go: not found\nmore', assertionResults: [] },
  ],
};

describe('compat report', () => {
  it('groups tests by client (outer describe, else folder) and scenario (inner describes, else title)', () => {
    expect(rows(report).map((r) => [r.client, r.scenario, r.pass, r.fail, r.skip])).toEqual([
      ['Kafka 3.9.2 tools', 'kafka-configs.sh', 1, 1, 0],
      ['Kafka 3.9.2 Java clients', 'KIP-848 group', 0, 0, 1],
      ['kafka-tools', 'top-level test', 1, 0, 0],
      ['go', expect.stringMatching(/go-clients\.test\.ts did not run$/), 0, 1, 0],
    ]);
  });

  it('writes totals, the table with escaped cells, and each failure with its first line', () => {
    const md = markdown(report, { Node: 'v20' });
    expect(md).toContain('- Node: v20');
    expect(md).toContain('**2 passed, 2 failed, 1 skipped.**');
    expect(md).toContain('| Kafka 3.9.2 tools | kafka-configs.sh | 1 | 1 | 0 | 2.0 |');
    expect(md).toContain('- Kafka 3.9.2 tools › kafka-configs.sh: b: AssertionError: x \\| y');
    expect(md).toContain('- go › ');
    expect(md).toContain('Error: go: not found');
    expect(md).not.toContain('more');
  });
});
