import { defineConfig } from 'vitest/config';

// Node tests of the built package (dist/): the real wasm core, espeak-ng data and SQLite.
export default defineConfig({
  test: {
    include: ['tests/js/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
