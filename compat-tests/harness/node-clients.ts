// Loads the Node.js Kafka clients that scripts/setup-compat.sh installs into .cache/compat-node (kept
// out of the main package.json). The clients are CommonJS packages, loaded through createRequire.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './broker.js';

export const compatNodePrefix = join(repoRoot, '.cache/compat-node');

/** require() rooted at .cache/compat-node; throws a pointer to the setup script if it is missing. */
export function requireCompat<T>(name: string): T {
  const manifest = join(compatNodePrefix, 'package.json');
  if (!existsSync(manifest)) {
    throw new Error(`${name} is not installed: run scripts/setup-compat.sh (installs into ${compatNodePrefix})`);
  }
  return createRequire(manifest)(name) as T;
}

/** The installed version of a compat client, from its package.json. */
export function compatVersion(name: string): string {
  return requireCompat<{ version: string }>(`${name}/package.json`).version;
}
