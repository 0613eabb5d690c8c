import { defineConfig } from 'vitest/config';

/** The reliability suite: crashes, long offline periods, fuzzing and leak checks. One file at a time, with gc exposed. */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    execArgv: ['--expose-gc'],
  },
});
