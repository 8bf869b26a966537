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

/** Every `path` in backticks, with `name.{h,cpp}` expanded to both files. */
function namedPaths(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const [, token] of markdown.matchAll(/`([^`\s]+)`/g)) {
    const brace = /^(.*)\{([^}]+)\}(.*)$/.exec(token!);
    if (brace) for (const ext of brace[2]!.split(',')) out.add(`${brace[1]}${ext}${brace[3]}`);
    else out.add(token!);
  }
  return out;
}

describe('docs/architecture.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const named = namedPaths(doc);
  // Generated files (web/generated/) and the folders' own READMEs are not source files.
  const sources = ['src', 'wasm', 'web', 'demo'].flatMap((dir) =>
    filesUnder(dir, (p) => !p.endsWith('README.md') && !p.startsWith('web/generated/')),
  );

  it('names every source file of src/, wasm/, web/ and demo/', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => !named.has(f))).toEqual([]);
  });

  it('names no source file that does not exist', () => {
    const layerPaths = [...named].filter(
      (p) => /^(src|wasm|web|demo)\/.+\.[a-z.]+$/.test(p) && !p.startsWith('web/generated') && !p.endsWith('README.md'),
    );
    expect(layerPaths.filter((p) => !sources.includes(p))).toEqual([]);
  });
});
