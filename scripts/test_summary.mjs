// Adds up the suites' results into one closing line: "tests: N passed, N failed".
// Exits non-zero when a suite failed or left no result (a suite that ran nothing is a failure).
import { existsSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let missing = [];

// ctest.txt: build/native; ctest-asan.txt: the same suite under ASan + UBSan (build/asan).
for (const name of ['ctest', 'ctest-asan']) {
  const file = `${dir}/${name}.txt`;
  const ctest = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const m = ctest.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
  if (m) {
    passed += Number(m[3]) - Number(m[2]);
    failed += Number(m[2]);
  } else missing.push(name);
}

// fuzz.json (scripts/fuzz.sh --summary): each target counts as one test, passed when it ran its
// time without a crash.
const fuzzFile = `${dir}/fuzz.json`;
if (existsSync(fuzzFile)) {
  const { targets } = JSON.parse(readFileSync(fuzzFile, 'utf8'));
  const ok = targets.filter((t) => t.ok);
  passed += ok.length;
  failed += targets.length - ok.length;
  const executions = targets.reduce((sum, t) => sum + t.executions, 0);
  console.log(`fuzz: ${ok.length}/${targets.length} targets clean, ${executions} executions`);
  if (targets.length === 0) missing.push('fuzz');
} else missing.push('fuzz');

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
