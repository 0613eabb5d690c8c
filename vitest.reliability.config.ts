import { defineConfig } from 'vitest/config';

/**
 * The slow suites, one file at a time, with gc exposed: reliability (crashes,
 * long offline periods, fuzzing and leak checks) and a toy-sized run of the
 * benchmark harness.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts', 'test/bench/**/*.test.ts'],
    // Backstops against hangs, not speed bounds (see vitest.config.ts).
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    execArgv: ['--expose-gc'],
  },
});
