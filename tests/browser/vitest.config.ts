import { defineConfig } from 'vitest/config';

// Real Debian Chromium driven by playwright-core against pages served from this repo.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    // expect.poll's own default (1 s) is shorter than a loaded CI machine takes to render a demo
    // view after a click (a red run: the Storage tab's IndexedDB stats); a poll that waits longer
    // still fails on a wrong value, only later.
    expect: { poll: { timeout: 20_000 } },
  },
});
