import { defineConfig } from 'vitest/config';

// Real Debian Chromium driven by playwright-core against pages served from this repo.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
