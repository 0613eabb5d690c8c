import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/reliability/**', 'test/bench/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Backstops against hangs, not speed bounds: the suite must pass on a machine
    // several times slower (e.g. both cores busy, see stress-ng in the README).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: far too short for a page on a loaded machine.
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    // Two cores here: servers and browsers started by parallel files would starve each other.
    maxWorkers: 2,
  },
});
