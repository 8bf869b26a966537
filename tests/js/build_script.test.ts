// scripts/build.sh builds through cmake_build (scripts/lib/cmake_build.sh): a compile error must
// stop the build with cmake's exit status, so `npm test` never runs against stale binaries.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const lib = fileURLToPath(new URL('../../scripts/lib/cmake_build.sh', import.meta.url));
let project: string;

function build(): { status: number | null; output: string } {
  const r = spawnSync('bash', ['-c', `. "${lib}" && cmake_build "${project}/build" -j 1`], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'av-build-'));
  writeFileSync(
    join(project, 'CMakeLists.txt'),
    'cmake_minimum_required(VERSION 3.16)\nproject(probe CXX)\nadd_library(probe STATIC probe.cpp)\n',
  );
  writeFileSync(join(project, 'probe.cpp'), 'int probe() { return 1; }\n');
  execFileSync('cmake', ['-S', project, '-B', join(project, 'build')], { stdio: 'ignore' });
});

describe('cmake_build', () => {
  it('succeeds and hides cmake progress lines on a good build', () => {
    const r = build();
    expect(r.status).toBe(0);
    expect(r.output).not.toMatch(/^\[\s*\d+%\]/m);
  });

  it('fails with the compiler error shown when a source does not compile', () => {
    writeFileSync(join(project, 'probe.cpp'), 'int probe( { return 1; }\n');
    const r = build();
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/probe\.cpp.*error/);
    expect(r.output).toContain('[build] FAILED');
  });
});
