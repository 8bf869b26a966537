// Adds up what every suite of `npm test` reported and prints one closing line:
//   "tests: N passed, N failed, N skipped"
// where N counts distinct tests (the native suite runs twice, natively and under ASan + UBSan; a
// test counts once, failed if it failed in any run). Before it, one line per suite with its own
// counts, then every skipped test with its reason. A failed test shows the first lines of its
// failure; one that passed only on a retry is listed as RETRIED with its first failure.
//
//   node scripts/test_summary.mjs build/test-results native asan node browser package fuzz
//
// The suites that were meant to run are named on the command line; each one must have left its
// results file. Red (exit 1) when a test failed, a suite left no results or none it could read
// (it crashed), a suite ran no test, a Vitest file failed outside its tests (import error, a
// failing beforeAll), every test of a suite or file was skipped, or a test skipped without a
// recorded reason. A runtime skip records its reason with tests/skip_reason.ts.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** How each suite's results are stored and read. */
const SUITES = {
  native: { file: 'ctest.xml', read: readCtest, family: 'native' },
  asan: { file: 'ctest-asan.xml', read: readCtest, family: 'native' },
  node: { file: 'vitest-node.json', read: readVitest, family: 'node' },
  browser: { file: 'vitest-browser.json', read: readVitest, family: 'browser' },
  firefox: { file: 'vitest-firefox.json', read: readVitest, family: 'firefox' },
  webkit: { file: 'vitest-webkit.json', read: readVitest, family: 'webkit' },
  package: { file: 'vitest-package.json', read: readVitest, family: 'package' },
  fuzz: { file: 'fuzz.json', read: readFuzz, family: 'fuzz' },
  lint: { file: 'lint.json', read: readChecks, family: 'lint' },
};

/** scripts/test.sh's own checks (lint): `{ checks: [{ name, status: 'passed' | 'failed' }] }`. */
function readChecks(text) {
  const { checks } = JSON.parse(text);
  return { tests: checks.map((c) => ({ name: c.name, status: c.status === 'passed' ? 'passed' : 'failed' })), problems: [] };
}

function unescapeXml(s) {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);
}

/** ctest --output-junit: one <testcase> per GoogleTest test; GTEST_SKIP shows as status="notrun"
 *  because tests/native/CMakeLists.txt sets SKIP_REGULAR_EXPRESSION. */
function readCtest(text) {
  const tests = [];
  const problems = [];
  for (const m of text.matchAll(/<testcase name="([^"]*)"[^>]*status="([a-z]+)"[^>]*>([\s\S]*?)<\/testcase>/g)) {
    const [, name, status, body] = m;
    const out = unescapeXml(body);
    if (status === 'run') tests.push({ name: unescapeXml(name), status: 'passed' });
    else if (status === 'fail')
      tests.push({ name: unescapeXml(name), status: 'failed', why: out.match(/[^\n]*Failure[^\n]*\n[^\n]*/)?.[0] });
    else {
      // GoogleTest prints the GTEST_SKIP message on the line before "[  SKIPPED ]".
      const reason = out.match(/Skipped\n([^\n]+)\n/)?.[1] ?? out.match(/\n([^\n[]+)\n\[ {2}SKIPPED \]/)?.[1];
      tests.push({ name: unescapeXml(name), status: 'skipped', reason: reason?.trim() });
    }
  }
  const declared = Number(text.match(/<testsuite[^>]*tests="(\d+)"/)?.[1] ?? NaN);
  if (declared !== tests.length) problems.push(`junit file declares ${declared} tests, ${tests.length} read`);
  return { tests, problems };
}

/** Vitest --reporter=json. A file can fail outside its tests (import error, beforeAll): that is a
 *  failure of its own, even when its tests show as skipped or it has none. */
function readVitest(text, root) {
  const r = JSON.parse(text);
  const tests = [];
  const problems = [];
  for (const file of r.testResults ?? []) {
    const rel = relative(root, file.name);
    const results = file.assertionResults ?? [];
    const failedTests = results.filter((t) => t.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0)
      problems.push(`${rel} failed outside its tests: ${(file.message || 'no message').split('\n')[0]}`);
    if (results.length > 0 && results.every((t) => t.status !== 'passed' && t.status !== 'failed'))
      problems.push(`${rel}: every test was skipped`);
    for (const t of results) {
      const status = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped';
      // A test that passed with failure messages passed on a retry (`--retry`): reported, not hidden.
      const retried = status === 'passed' && (t.failureMessages?.length ?? 0) > 0;
      tests.push({ name: `${rel} > ${t.fullName}`, status, reason: t.meta?.skipReason, why: t.failureMessages?.[0], retried });
    }
  }
  if (r.numFailedTestSuites > 0 && problems.length === 0 && !tests.some((t) => t.status === 'failed'))
    problems.push(`${r.numFailedTestSuites} suite(s) failed`);
  return { tests, problems };
}

/** scripts/fuzz.sh --summary: each target is one test; it passes when it ran clean and did real
 *  work (a target that executed almost nothing has not been tested); one left out with --skip
 *  (a documented open finding) is a skip with its reason. */
function readFuzz(text) {
  const { targets, minExecutions = 1 } = JSON.parse(text);
  const tests = targets.map((t) =>
    t.skipped
      ? { name: t.target, status: 'skipped', reason: t.skipped }
      : {
          name: t.target,
          status: t.ok && t.executions >= minExecutions ? 'passed' : 'failed',
          detail: t.ok && t.executions < minExecutions ? `${t.executions} executions < ${minExecutions}` : undefined,
        },
  );
  return { tests, problems: [] };
}

/** The first lines of a failure message (stack frames dropped), so the closing summary says why. */
export function failureExcerpt(message, maxLines = 4) {
  if (!message) return [];
  return String(message)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() && !/^\s*at /.test(l))
    .slice(0, maxLines)
    .map((l) => (l.length > 240 ? `${l.slice(0, 240)}…` : l));
}

export function summarize(dir, suiteNames, root = process.cwd()) {
  const lines = [];
  const problems = [];
  const distinct = new Map(); // "family:name" → { status, reason }
  const rank = { failed: 3, passed: 2, skipped: 1 };
  for (const suite of suiteNames) {
    const spec = SUITES[suite];
    if (!spec) throw new Error(`unknown suite ${suite}`);
    const path = `${dir}/${spec.file}`;
    if (!existsSync(path)) {
      problems.push(`${suite}: no results (${spec.file}): the suite crashed or did not run`);
      lines.push(`  ${suite.padEnd(8)} CRASHED (no ${spec.file})`);
      continue;
    }
    let read;
    try {
      read = spec.read(readFileSync(path, 'utf8'), root);
    } catch (e) {
      problems.push(`${suite}: unreadable results ${spec.file}: ${e.message}`);
      lines.push(`  ${suite.padEnd(8)} CRASHED (unreadable ${spec.file})`);
      continue;
    }
    const count = (s) => read.tests.filter((t) => t.status === s).length;
    const [p, f, s] = [count('passed'), count('failed'), count('skipped')];
    lines.push(`  ${suite.padEnd(8)} ${p} passed, ${f} failed, ${s} skipped`);
    if (read.tests.length === 0) problems.push(`${suite}: ran no test`);
    else if (p === 0 && f === 0) problems.push(`${suite}: every test was skipped`);
    for (const msg of read.problems) problems.push(`${suite}: ${msg}`);
    for (const t of read.tests) {
      const key = `${spec.family}:${t.name}`;
      const prev = distinct.get(key);
      if (!prev || rank[t.status] > rank[prev.status]) distinct.set(key, { ...t, suite });
      if (t.retried) {
        lines.push(`    RETRIED ${t.name} (passed on a retry; its first failure:)`);
        for (const l of failureExcerpt(t.why)) lines.push(`      | ${l}`);
      }
      if (t.status === 'failed') {
        lines.push(`    FAILED ${t.name}${t.detail ? ` (${t.detail})` : ''}`);
        // CI shows only the end of the log: the first lines of the failure say why without it.
        for (const l of failureExcerpt(t.why)) lines.push(`      | ${l}`);
      }
    }
  }
  const all = [...distinct.values()];
  const skipped = all.filter((t) => t.status === 'skipped');
  for (const t of skipped) {
    lines.push(`  skipped: [${t.suite}] ${t.name} — ${t.reason ?? 'NO REASON RECORDED'}`);
    if (!t.reason) problems.push(`${t.suite}: "${t.name}" skipped without a reason`);
  }
  const passed = all.filter((t) => t.status === 'passed').length;
  const failed = all.filter((t) => t.status === 'failed').length;
  for (const msg of problems) lines.push(`  problem: ${msg}`);
  const runs = suiteNames.length;
  lines.push(`(${distinct.size} distinct tests over ${runs} suites)`);
  lines.push(`tests: ${passed} passed, ${failed + problems.length} failed, ${skipped.length} skipped`);
  return { lines, ok: failed === 0 && problems.length === 0, passed, failed, skipped: skipped.length, problems };
}

/** The numbers the browser suites measured per engine (tests/browser/engine_numbers.ts), as a table. */
export function engineTable(dir) {
  const engines = ['chromium', 'firefox', 'webkit'].filter((e) => existsSync(`${dir}/engines/${e}.json`));
  if (engines.length === 0) return [];
  const rows = engines.map((e) => JSON.parse(readFileSync(`${dir}/engines/${e}.json`, 'utf8')));
  const cell = (v) => (v === undefined ? '?' : String(v));
  const lines = ['browser engines (measured by this run; tiny test voice):'];
  lines.push(
    '  | engine | version | voice load ms | ORT start ms (a separate load) | first chunk ms | RTF | threads | OPFS | store | autoplay | click → first audio ms |',
  );
  lines.push('  |---|---|---|---|---|---|---|---|---|---|---|');
  for (const [i, r] of rows.entries())
    lines.push(
      `  | ${engines[i]} | ${cell(r.version)} | ${cell(r.voiceLoadMs)} | ${cell(r.runtimeStartMs)} | ${cell(r.firstChunkMs)} | ${cell(r.rtf)} | ${cell(r.threads)} | ${cell(r.opfs)} | ${cell(r.storage)} | ${cell(r.autoplay)} | ${cell(r.clickToFirstAudioMs)} |`,
    );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, ...suites] = process.argv.slice(2);
  if (!dir || suites.length === 0) {
    console.error('usage: node scripts/test_summary.mjs RESULTS_DIR SUITE...');
    process.exit(2);
  }
  const { lines, ok } = summarize(dir, suites);
  console.log([...engineTable(dir), ...lines].join('\n'));
  process.exit(ok ? 0 : 1);
}
