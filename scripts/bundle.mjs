// Bundles the compiled CLI into dist/bundle/ with esbuild, after `tsc -p tsconfig.build.json`:
//
//   node scripts/bundle.mjs
//
// Why: Node resolves, reads and links every ES module separately, and the broker's graph is ~230
// modules; loading them was most of the broker's start time (docs/benchmarks.md, "Standalone broker").
// One chunk per subcommand loads in a fraction of that. Layout (all in one directory, so the relative
// URLs the code computes from import.meta.url still resolve):
//   dist/bundle/main.js              the CLI (bin/samsa.js prefers it when it is newer than dist/cli/main.js)
//   dist/bundle/cleaner-worker.js    the log cleaner's worker_threads entry, next to the chunk that
//                                    starts it (src/log/cleaner/cleaner-thread.ts resolves it there)
//   dist/bundle/<name>-<hash>.js     subcommands (loaded on demand) and shared chunks
// npm packages stay external (native addons are resolved from node_modules at run time).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', 'cleaner-worker': 'src/log/cleaner/cleaner-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
