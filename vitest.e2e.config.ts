import { defineConfig } from 'vitest/config';

/** Browser tests: the real server in-process, the built UI, Debian's Chromium driven by playwright-core. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 60_000,
    // beforeAll may have to build the UI first.
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
