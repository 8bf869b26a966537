// What a page downloads before it asks for a voice: the package's files in dist/, raw and gzip
// (node:zlib, level 9 — roughly what a static host serves precompressed).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The package's files a page may fetch, in the order a page meets them. */
export function packageFiles(root) {
  const dist = join(root, 'dist');
  const list = (dir, test) =>
    readdirSync(join(dist, dir))
      .filter(test)
      .sort()
      .map((f) => (dir ? `dist/${dir}/${f}` : `dist/${f}`));
  const files = [
    'dist/index.js',
    'dist/worker.js',
    ...list('', (f) => /^chunk-.*\.js$/.test(f)),
    ...list('core', () => true),
    ...list('ort', () => true),
  ];
  return files;
}

export function measureSizes(root, files) {
  return files.map((file) => {
    const bytes = readFileSync(join(root, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}
