// The closing summary of `npm test` (scripts/test_summary.mjs) on hand-made result files: each way
// a run can go wrong must turn it red, and counts must be of distinct tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// @ts-expect-error plain ESM script without types
import { summarize } from '../../scripts/test_summary.mjs';

type Summary = { ok: boolean; passed: number; failed: number; skipped: number; problems: string[]; lines: string[] };
const run = (dir: string, suites: string[]): Summary => summarize(dir, suites, '/repo');

function junit(cases: { name: string; status: 'run' | 'fail' | 'notrun'; out?: string }[]): string {
  const body = cases
    .map(
      (c) =>
        `<testcase name="${c.name}" classname="${c.name}" time="0.1" status="${c.status}">` +
        `${c.status === 'notrun' ? '<skipped message="SKIP_REGULAR_EXPRESSION_MATCHED"/>' : ''}` +
        `<system-out>${c.out ?? ''}</system-out></testcase>`,
    )
    .join('\n');
  return `<?xml version="1.0"?>\n<testsuite name="(empty)" tests="${cases.length}" failures="0">\n${body}\n</testsuite>`;
}

function vitestJson(
  files: {
    name: string;
    status?: string;
    message?: string;
    tests: { title: string; status: string; skipReason?: string; failure?: string }[];
  }[],
): string {
  return JSON.stringify({
    numFailedTestSuites: files.filter((f) => f.status === 'failed').length,
    testResults: files.map((f) => ({
      name: `/repo/${f.name}`,
      status: f.status ?? (f.tests.some((t) => t.status === 'failed') ? 'failed' : 'passed'),
      message: f.message ?? '',
      assertionResults: f.tests.map((t) => ({
        fullName: t.title,
        title: t.title,
        status: t.status,
        meta: t.skipReason ? { skipReason: t.skipReason } : {},
        failureMessages: t.failure ? [t.failure] : [],
      })),
    })),
  });
}

function resultsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'av-summary-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const nativeOk = junit([
  { name: 'A.one', status: 'run' },
  { name: 'A.two', status: 'run' },
]);
const nodeOk = vitestJson([{ name: 'tests/js/a.test.ts', tests: [{ title: 'works', status: 'passed' }] }]);

describe('test summary', () => {
  it('counts a test that ran natively and under ASan once', () => {
    const s = run(resultsDir({ 'ctest.xml': nativeOk, 'ctest-asan.xml': nativeOk, 'vitest-node.json': nodeOk }), [
      'native',
      'asan',
      'node',
    ]);
    expect(s.ok).toBe(true);
    expect([s.passed, s.failed, s.skipped]).toEqual([3, 0, 0]);
    expect(s.lines.at(-1)).toBe('tests: 3 passed, 0 failed, 0 skipped');
  });

  it('prints why a test failed, without its stack, under the FAILED line', () => {
    const failure =
      'Error: Test timed out in 120000ms.\nIf this is a long-running test, pass a timeout value.\n    at file:///repo/x.js:1:2\n    at run (node:internal)';
    const node = vitestJson([{ name: 'tests/js/a.test.ts', tests: [{ title: 'slow', status: 'failed', failure }] }]);
    const s = run(resultsDir({ 'vitest-node.json': node }), ['node']);
    expect(s.ok).toBe(false);
    const at = s.lines.indexOf('    FAILED tests/js/a.test.ts > slow');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(s.lines.slice(at + 1, at + 3)).toEqual([
      '      | Error: Test timed out in 120000ms.',
      '      | If this is a long-running test, pass a timeout value.',
    ]);
    expect(s.lines.join('\n')).not.toContain('node:internal');
  });

  it('lists a test that passed on a retry, with its first failure, and stays green', () => {
    const firefox = vitestJson([
      { name: 'tests/browser/a.test.ts', tests: [{ title: 'loads', status: 'passed', failure: 'Error: Test timed out in 120000ms.' }] },
    ]);
    const s = run(resultsDir({ 'vitest-firefox.json': firefox }), ['firefox']);
    expect(s.ok).toBe(true);
    expect(s.lines).toContain('    RETRIED tests/browser/a.test.ts > loads (passed on a retry; its first failure:)');
    expect(s.lines).toContain('      | Error: Test timed out in 120000ms.');
    expect(s.lines.at(-1)).toBe('tests: 1 passed, 0 failed, 0 skipped');
  });

  it('counts a failed lint as a failure', () => {
    const lint = JSON.stringify({ checks: [{ name: 'biome ci --error-on-warnings', status: 'failed' }] });
    const s = run(resultsDir({ 'lint.json': lint, 'vitest-node.json': nodeOk }), ['lint', 'node']);
    expect(s.ok).toBe(false);
    expect(s.lines).toContain('    FAILED biome ci --error-on-warnings');
    expect(s.lines.at(-1)).toBe('tests: 1 passed, 1 failed, 0 skipped');
  });

  it('is red when a test failed in only one of its runs', () => {
    const asan = junit([
      { name: 'A.one', status: 'fail' },
      { name: 'A.two', status: 'run' },
    ]);
    const s = run(resultsDir({ 'ctest.xml': nativeOk, 'ctest-asan.xml': asan }), ['native', 'asan']);
    expect(s.ok).toBe(false);
    expect([s.passed, s.failed]).toEqual([1, 1]);
  });

  it('reports a GoogleTest skip as skipped, with its message as the reason', () => {
    const xml = junit([
      { name: 'A.one', status: 'run' },
      { name: 'A.skip', status: 'notrun', out: 'x.cpp:3: Skipped\nno sqlite3 CLI\n[  SKIPPED ] A.skip' },
    ]);
    const s = run(resultsDir({ 'ctest.xml': xml }), ['native']);
    expect(s.ok).toBe(true);
    expect([s.passed, s.skipped]).toEqual([1, 1]);
    expect(s.lines.join('\n')).toContain('A.skip — no sqlite3 CLI');
  });

  it('is red when a suite left no results (it crashed)', () => {
    const s = run(resultsDir({ 'ctest.xml': nativeOk }), ['native', 'browser']);
    expect(s.ok).toBe(false);
    expect(s.problems.join()).toMatch(/browser: no results/);
    expect(s.lines.at(-1)).toMatch(/^tests: 2 passed, 1 failed, 0 skipped$/);
  });

  it('is red when a results file is unreadable', () => {
    const s = run(resultsDir({ 'vitest-node.json': '{"testResults": [' }), ['node']);
    expect(s.ok).toBe(false);
  });

  it('is red when a Vitest file failed outside its tests (import error, beforeAll)', () => {
    const json = vitestJson([
      { name: 'tests/js/a.test.ts', tests: [{ title: 'works', status: 'passed' }] },
      { name: 'tests/js/b.test.ts', status: 'failed', message: 'Cannot find module x', tests: [] },
    ]);
    const s = run(resultsDir({ 'vitest-node.json': json }), ['node']);
    expect(s.ok).toBe(false);
    expect(s.problems.join()).toContain('tests/js/b.test.ts failed outside its tests: Cannot find module x');
  });

  it('is red when a whole suite or file was skipped', () => {
    const json = vitestJson([
      { name: 'tests/js/a.test.ts', tests: [{ title: 'works', status: 'passed' }] },
      { name: 'tests/js/b.test.ts', tests: [{ title: 'x', status: 'skipped', skipReason: 'why' }] },
    ]);
    expect(run(resultsDir({ 'vitest-node.json': json }), ['node']).ok).toBe(false);
    const allSkipped = junit([{ name: 'A.s', status: 'notrun', out: 'Skipped\nwhy\n' }]);
    expect(run(resultsDir({ 'ctest.xml': allSkipped }), ['native']).ok).toBe(false);
  });

  it('is red when a suite ran no test', () => {
    expect(run(resultsDir({ 'vitest-node.json': vitestJson([]) }), ['node']).ok).toBe(false);
  });

  it('lists skips with their reason and is red for a skip without one', () => {
    const withReason = vitestJson([
      {
        name: 'a.test.ts',
        tests: [
          { title: 'ok', status: 'passed' },
          { title: 'late', status: 'skipped', skipReason: 'frames arrived late' },
        ],
      },
    ]);
    const s = run(resultsDir({ 'vitest-browser.json': withReason }), ['browser']);
    expect(s.ok).toBe(true);
    expect(s.skipped).toBe(1);
    expect(s.lines.join('\n')).toContain('late — frames arrived late');
    const noReason = vitestJson([
      {
        name: 'a.test.ts',
        tests: [
          { title: 'ok', status: 'passed' },
          { title: 'late', status: 'skipped' },
        ],
      },
    ]);
    expect(run(resultsDir({ 'vitest-browser.json': noReason }), ['browser']).ok).toBe(false);
  });

  it('fails a fuzz target that crashed or executed too little', () => {
    const fuzz = (targets: object[]) => JSON.stringify({ seed: 7, minExecutions: 1000, targets });
    const ok = run(resultsDir({ 'fuzz.json': fuzz([{ target: 't', ok: true, executions: 5000 }]) }), ['fuzz']);
    expect(ok.ok).toBe(true);
    const idle = run(resultsDir({ 'fuzz.json': fuzz([{ target: 't', ok: true, executions: 0 }]) }), ['fuzz']);
    expect(idle.ok).toBe(false);
    const crashed = run(resultsDir({ 'fuzz.json': fuzz([{ target: 't', ok: false, executions: 9000 }]) }), ['fuzz']);
    expect(crashed.ok).toBe(false);
    // A target left out with --skip (a documented open finding) is a skip with its reason.
    const skipped = run(
      resultsDir({
        'fuzz.json': fuzz([
          { target: 't', ok: true, executions: 5000 },
          { target: 'd', ok: true, executions: 0, skipped: 'open finding' },
        ]),
      }),
      ['fuzz'],
    );
    expect([skipped.ok, skipped.passed, skipped.skipped]).toEqual([true, 1, 1]);
    expect(skipped.lines.join('\n')).toContain('d — open finding');
  });
});
