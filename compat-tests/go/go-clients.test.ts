// franz-go and IBM/sarama (pinned in go.mod/go.sum beside this file, from the Go module proxy) against a
// live broker: produce, consume, groups and admin. See README.md beside this file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startBroker, type Broker } from '../harness/broker.js';
import { runCommand } from '../kafka-tools/tools.js';

const goDir = join(repoRoot, 'compat-tests/go');
const binDir = join(repoRoot, '.cache/go/bin');

/** Module and build caches under .cache; modules from the proxy as go.sum pins them; no toolchain download. */
export const goEnv: Record<string, string> = {
  GOMODCACHE: join(repoRoot, '.cache/go/mod'),
  GOCACHE: join(repoRoot, '.cache/go/build'),
  GOFLAGS: '-mod=mod',
  GOTOOLCHAIN: 'local',
};

/** The pinned version of a module, from go.mod. */
function pinned(module: string): string {
  const m = new RegExp(`${module.replace(/\./g, '\\.')} (v\\S+)`).exec(readFileSync(join(goDir, 'go.mod'), 'utf8'));
  return m?.[1] ?? '?';
}

const CLIENTS = [
  { name: 'franz', title: `franz-go ${pinned('github.com/twmb/franz-go')}` },
  { name: 'sarama', title: `sarama ${pinned('github.com/IBM/sarama')}` },
] as const;

let broker: Broker;

beforeAll(async () => {
  broker = await startBroker({ overrides: { 'auto.create.topics.enable': false } });
});

afterAll(async () => {
  await broker?.stop();
});

for (const { name, title } of CLIENTS)
  describe(`Go ${title}`, () => {
    const bin = join(binDir, name);

    beforeAll(() => {
      mkdirSync(binDir, { recursive: true });
      // `go run` would link again for every scenario; one build per run, into .cache, does it once.
      execFileSync('go', ['build', '-o', bin, `./${name}`], {
        cwd: goDir,
        env: { ...process.env, ...goEnv },
        stdio: ['ignore', 'inherit', 'inherit'],
        timeout: 300_000,
      });
    });

    const scenario = async (s: string): Promise<string[]> => {
      const r = await runCommand(bin, [s, broker.bootstrap, `go-${name}-${s}`], { timeoutMs: 180_000 });
      if (r.status !== 0) {
        throw new Error(`${name} ${s} exited ${r.status}\n${r.stdout}\n${r.stderr}\n--- broker\n${broker.tail(60)}`);
      }
      return r.stdout.split('\n').filter((l) => l.startsWith('ok '));
    };

    it('produces 3000 records (idempotent) and consumes them back without a group', async () => {
      const steps = await scenario('produce');
      expect(steps).toHaveLength(2);
      expect(steps[1]).toBe('ok consume 3000');
    });

    it('consumer group: two members share three partitions and commit to the end', async () => {
      const steps = await scenario('group');
      expect(steps).toContain('ok two members consumed 900');
      expect(steps).toContain('ok committed offsets at the end');
      expect(steps.at(-1)).toBe('ok group empty after close');
    });

    it('admin: cluster, topics, configs, partitions, offsets, records, groups', async () => {
      const steps = await scenario('admin');
      expect(steps.length).toBeGreaterThanOrEqual(8);
      expect(steps.at(-1)).toMatch(/^ok delete topics?$/);
    });
  });
