import { defineConfig } from 'vitest/config';

// The install smoke test: npm pack → fresh Vite app → vite build → Debian Chromium. Slow by nature
// (npm install, two Vite runs): one file, its steps in order.
export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
