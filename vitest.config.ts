import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file gets its own database (SQLite file or PostgreSQL schema), so files run in parallel safely.
    pool: 'forks',
  },
});
