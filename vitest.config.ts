import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'compat',
          include: ['compat-tests/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // Each file in its own process, so a native client that crashes takes down only its own file.
          // scripts/test.sh runs this project with one worker: one broker and one client at a time.
          pool: 'forks',
        },
      },
    ],
  },
});
