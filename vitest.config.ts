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
          // One broker and one client at a time: on two cores, parallel runs starve each other.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
