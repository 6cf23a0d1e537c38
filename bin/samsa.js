#!/usr/bin/env node
// The `samsa` command: runs the compiled CLI (npm run build writes dist/). The esbuild bundle in
// dist/bundle/ (scripts/bundle.mjs) starts faster than the ~230 separate modules of dist/cli/; it is
// used when present and not older than the tsc output, so a bundle older than the last tsc build is never run.
import { statSync } from 'node:fs';
import { URL } from 'node:url';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const { main } = await import(mtime(bundled) >= mtime(compiled) ? bundled.href : compiled.href);

process.exitCode = await main(process.argv.slice(2));
