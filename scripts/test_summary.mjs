// Adds up the suites' results into one closing line: "tests: N passed, N failed".
// Exits non-zero when a suite failed or left no result (a suite that ran nothing is a failure).
import { existsSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let missing = [];

const ctestFile = `${dir}/ctest.txt`;
const ctest = existsSync(ctestFile) ? readFileSync(ctestFile, 'utf8') : '';
const m = ctest.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
if (m) {
  passed += Number(m[3]) - Number(m[2]);
  failed += Number(m[2]);
} else missing.push('ctest');

for (const name of ['vitest-node', 'vitest-browser', 'vitest-package']) {
  const file = `${dir}/${name}.json`;
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numTotalTests === 0) missing.push(name);
}
if (missing.length) console.log(`suites with no results: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || missing.length ? 1 : 0);
