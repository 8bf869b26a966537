// Bundles the TypeScript package into dist/: index.js (main thread) and worker.js (the worker),
// each a self-contained ES module (Comlink inlined) so the package works with or without a bundler.
// Type declarations come from tsc (emitDeclarationOnly). Assets stay beside them in dist/core/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

await build({
  entryPoints: { index: 'web/index.ts', worker: 'web/worker.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  splitting: false,
  sourcemap: false,
  logLevel: 'warning',
});
execFileSync('npx', ['tsc', '-p', 'web/tsconfig.json', '--emitDeclarationOnly'], { stdio: 'inherit' });
console.log('[build] dist/index.js, dist/worker.js and .d.ts written');
