import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './brokers.js';

/** The parts of a V8 .cpuprofile (node --cpu-prof) read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The top functions by self time in the one .cpuprofile under `dir`, as a Markdown table; idle time
 * is left out and shares are of the busy time. A function is named with its file (relative to the repo,
 * or the node: internal module) and line.
 */
export function topSelfTime(dir: string, top = 15): string {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) return '(no profile written)';
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const names = new Map<number, string>();
  for (const n of p.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url.startsWith('file://') ? relative(ROOT, new URL(url).pathname) : url;
    names.set(n.id, `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`);
  }
  const self = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const name = names.get(p.samples[i]!)!;
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (name.startsWith('(idle)')) continue;
    busy += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `Busy (non-idle) CPU time in the profile: ${(busy / 1e6).toFixed(2)} s.`,
    '',
    '| function (self time) | ms | share of busy |',
    '|---|---:|---:|',
    ...rows.map(
      ([k, v]) => `| \`${k.replace(/\|/g, '\\|')}\` | ${(v / 1000).toFixed(0)} | ${((100 * v) / busy).toFixed(1)}% |`,
    ),
  ].join('\n');
}
