// Builds the sendfile N-API addon (native/sendfile.c) into dist/native/sendfile.node with the system C
// compiler, after `tsc`:
//
//   node scripts/build-native.mjs [--out <file>] [--strict]
//
// Node's headers come from the running Node's install (<prefix>/include/node), /usr/include/node, or
// node-gyp's cache. The addon is optional: without Linux, a compiler or the headers this prints why
// and exits 0 (with --strict, 1), and the broker serves fetches through its read path
// (samsa.fetch.zero.copy=auto). The output is written to a temporary name and renamed, so concurrent
// builds never leave a half-written file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : join(root, 'dist/native/sendfile.node');
const strict = args.includes('--strict');

function giveUp(why) {
  console.error(`build-native: not building the sendfile addon: ${why}; fetches use the read path`);
  process.exit(strict ? 1 : 0);
}

if (process.platform !== 'linux') giveUp(`sendfile(2) here is Linux-only (platform ${process.platform})`);
const candidates = [
  join(dirname(dirname(process.execPath)), 'include/node'),
  '/usr/include/node',
  '/usr/local/include/node',
  join(homedir(), '.cache/node-gyp', process.versions.node, 'include/node'),
  join(homedir(), '.node-gyp', process.versions.node, 'include/node'),
];
const include = candidates.find((d) => existsSync(join(d, 'node_api.h')));
if (include === undefined) giveUp(`no node_api.h in ${candidates.join(', ')}`);
const cc = process.env.CC ?? 'cc';
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
try {
  execFileSync(
    cc,
    ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', '-I', include, '-o', tmp, join(root, 'native/sendfile.c')],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
} catch (err) {
  giveUp(`${cc} failed: ${err.message}`);
}
renameSync(tmp, out);
console.error(`build-native: built ${out}`);
